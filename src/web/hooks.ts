import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type RoleInfo, type UnitDetail, type VillageKind } from './api.ts';
import vi from './i18n/vi.ts';
import { slug } from './format.ts';

export function useRoles() {
  return useQuery({
    queryKey: ['roles'],
    queryFn: () => api<{ items: RoleInfo[] }>('/api/v1/roles').then((r) => r.items),
    staleTime: Infinity,
  });
}

/** Role names in the current language (from /api/v1/roles), falling back to the server's label. */
export function useRoleLabel() {
  const { i18n } = useTranslation();
  const roles = useRoles();
  return (role: string | null | undefined, fallback?: string | null): string => {
    if (!role) return '—';
    const info = roles.data?.find((r) => r.role === role);
    if (info) return i18n.language === 'en' ? info.label.en : info.label.vi;
    return fallback ?? role;
  };
}

export function useUnit(code: string | null | undefined) {
  return useQuery({
    queryKey: ['admin-unit', code],
    queryFn: () => api<UnitDetail>(`/api/v1/admin-units/${code}`),
    enabled: !!code,
    staleTime: 10 * 60_000,
  });
}

type UnitTypeKey = keyof typeof vi.unitType;
const isUnitType = (k: string): k is UnitTypeKey => k in vi.unitType;

/** "thành phố" → "Thành phố" / "City". */
export function useUnitTypeLabel() {
  const { t } = useTranslation();
  return (type: string) => {
    const key = slug(type);
    return isUnitType(key) ? t(`unitType.${key}`) : type;
  };
}

export function useVillageKindLabel() {
  const { t } = useTranslation();
  return (kind: VillageKind | string) =>
    kind in vi.villageKind ? t(`villageKind.${kind as VillageKind}`) : kind;
}
