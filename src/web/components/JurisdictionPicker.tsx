import { Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { SITE_KIND_LABELS } from '../../domain/labels.ts';
import {
  api,
  qs,
  type Page,
  type RoleInfo,
  type Scope,
  type ScopeLevel,
  type Site,
  type Unit,
  type Village,
} from '../api.ts';

/** What the cascading selects hold; turned into the API's `jurisdiction` on submit. */
export interface JurisdictionValue {
  level: ScopeLevel | null;
  provinceCode: string | null;
  districtCode: string | null;
  communeCode: string | null;
  villageId: string | null;
  siteKind: string | null;
  siteId: string | null;
}

export interface JurisdictionInput {
  level: ScopeLevel;
  unitCode?: string;
  villageId?: string;
  siteId?: string;
}

const DEPTH: Record<ScopeLevel, number> = {
  province: 1,
  district: 2,
  commune: 3,
  village: 4,
  site: 4,
};
const NEEDS: Record<ScopeLevel, { district: boolean; commune: boolean }> = {
  province: { district: false, commune: false },
  district: { district: true, commune: false },
  commune: { district: true, commune: true },
  village: { district: true, commune: true },
  site: { district: true, commune: true },
};

/** The levels a role may hold that also lie within the admin's own scope. */
export function grantableLevels(role: RoleInfo | undefined, actorScope: Scope): ScopeLevel[] {
  if (!role) return [];
  return role.levels.filter((l) => DEPTH[l] >= DEPTH[actorScope.level]);
}

/** Starting point: whatever the admin's own scope fixes is filled in. */
export function initialJurisdiction(actorScope: Scope): JurisdictionValue {
  return {
    level: null,
    provinceCode: actorScope.provinceCode,
    districtCode: actorScope.districtCode,
    communeCode: actorScope.communeCode,
    villageId: actorScope.level === 'village' ? actorScope.villageId : null,
    siteKind: null,
    siteId: actorScope.level === 'site' ? actorScope.siteId : null,
  };
}

/** After the role changes: keep the level if still allowed, else pick the only one or none. */
export function adjustForRole(
  value: JurisdictionValue,
  role: RoleInfo | undefined,
  actorScope: Scope,
): JurisdictionValue {
  const levels = grantableLevels(role, actorScope);
  const kinds = role?.siteKinds ?? [];
  const level =
    value.level && levels.includes(value.level)
      ? value.level
      : levels.length === 1
        ? levels[0]!
        : null;
  const siteKind =
    value.siteKind && kinds.includes(value.siteKind)
      ? value.siteKind
      : kinds.length === 1
        ? kinds[0]!
        : null;
  return { ...value, level, siteKind, siteId: siteKind === value.siteKind ? value.siteId : null };
}

export function toJurisdictionInput(v: JurisdictionValue): JurisdictionInput | null {
  switch (v.level) {
    case null:
      return null;
    case 'province':
      return v.provinceCode
        ? { level: 'province', unitCode: v.provinceCode }
        : { level: 'province' };
    case 'district':
      return v.districtCode
        ? { level: 'district', unitCode: v.districtCode }
        : { level: 'district' };
    case 'commune':
      return v.communeCode ? { level: 'commune', unitCode: v.communeCode } : { level: 'commune' };
    case 'village':
      return v.villageId ? { level: 'village', villageId: v.villageId } : { level: 'village' };
    case 'site':
      return v.siteId ? { level: 'site', siteId: v.siteId } : { level: 'site' };
  }
}

function useChildren(parent: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ['admin-units', parent ?? 'provinces'],
    queryFn: () =>
      api<{ items: Unit[] }>(`/api/v1/admin-units${qs({ parent })}`).then((r) => r.items),
    enabled,
    staleTime: 10 * 60_000,
  });
}

interface Props {
  value: JurisdictionValue;
  onChange: (value: JurisdictionValue) => void;
  role: RoleInfo | undefined;
  actorScope: Scope;
  /** Server field errors by path (`jurisdiction.unitCode`, `jurisdiction.villageId`…). */
  errors: Record<string, string | undefined>;
  disabled?: boolean;
}

export function JurisdictionPicker({ value, onChange, role, actorScope, errors, disabled }: Props) {
  const { t, i18n } = useTranslation();
  const levels = grantableLevels(role, actorScope);
  const need = value.level ? NEEDS[value.level] : { district: false, commune: false };
  const lockProvince = true; // an admin never places users outside their own province
  const lockDistrict = !!actorScope.districtCode;
  const lockCommune = !!actorScope.communeCode;

  const provinces = useChildren(null, !!value.level);
  const districts = useChildren(value.provinceCode, !!value.provinceCode && need.district);
  const communes = useChildren(value.districtCode, !!value.districtCode && need.commune);
  const villages = useQuery({
    queryKey: ['villages-options', value.communeCode],
    queryFn: () =>
      api<Page<Village>>(`/api/v1/villages${qs({ commune: value.communeCode, limit: 500 })}`).then(
        (r) => r.items,
      ),
    enabled: value.level === 'village' && !!value.communeCode,
  });
  const sites = useQuery({
    queryKey: ['sites-options', value.communeCode, value.siteKind],
    queryFn: () =>
      api<{ items: Site[] }>(
        `/api/v1/sites${qs({ commune: value.communeCode, kind: value.siteKind })}`,
      ).then((r) => r.items),
    enabled: value.level === 'site' && !!value.communeCode && !!value.siteKind,
  });

  const unitError = errors['jurisdiction.unitCode'];
  const levelError = errors['jurisdiction.level'] ?? errors['jurisdiction'];
  const unitOptions = (items: Unit[] | undefined) =>
    (items ?? []).map((u) => ({ value: u.code, label: u.name }));
  const siteKinds = role?.siteKinds ?? [];
  const kindLabel = (kind: string) => {
    const label = (SITE_KIND_LABELS as Record<string, { vi: string; en: string } | undefined>)[
      kind
    ];
    return label ? (i18n.language === 'en' ? label.en : label.vi) : kind;
  };

  return (
    <Stack gap="sm">
      <Select
        label={t('users.level')}
        placeholder={t('users.pick')}
        data={levels.map((l) => ({ value: l, label: t(`levels.${l}`) }))}
        value={value.level}
        onChange={(level) => onChange({ ...value, level: (level as ScopeLevel | null) ?? null })}
        error={levelError}
        disabled={disabled || !role}
        required
        allowDeselect={false}
        data-testid="jurisdiction-level"
      />
      {value.level && (
        <Select
          label={t('users.province')}
          data={unitOptions(provinces.data)}
          value={value.provinceCode}
          disabled
          description={lockProvince ? t('users.lockedHint') : undefined}
          error={value.level === 'province' ? unitError : undefined}
        />
      )}
      {need.district && (
        <Select
          label={t('users.district')}
          placeholder={t('users.pick')}
          data={unitOptions(districts.data)}
          value={value.districtCode}
          onChange={(code) =>
            onChange({
              ...value,
              districtCode: code,
              communeCode: null,
              villageId: null,
              siteId: null,
            })
          }
          searchable
          disabled={disabled || lockDistrict}
          description={lockDistrict ? t('users.lockedHint') : undefined}
          error={value.level === 'district' ? unitError : undefined}
          nothingFoundMessage="—"
          required
          data-testid="jurisdiction-district"
        />
      )}
      {need.commune && (
        <Select
          label={t('users.commune')}
          placeholder={t('users.pick')}
          data={unitOptions(communes.data)}
          value={value.communeCode}
          onChange={(code) =>
            onChange({ ...value, communeCode: code, villageId: null, siteId: null })
          }
          searchable
          disabled={disabled || lockCommune || !value.districtCode}
          description={lockCommune ? t('users.lockedHint') : undefined}
          error={value.level === 'commune' ? unitError : undefined}
          nothingFoundMessage="—"
          required
          data-testid="jurisdiction-commune"
        />
      )}
      {value.level === 'village' && (
        <Select
          label={t('users.village')}
          placeholder={t('users.pick')}
          data={(villages.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
          value={value.villageId}
          onChange={(id) => onChange({ ...value, villageId: id })}
          searchable
          disabled={disabled || !value.communeCode}
          error={errors['jurisdiction.villageId']}
          nothingFoundMessage="—"
          required
          data-testid="jurisdiction-village"
        />
      )}
      {value.level === 'site' && siteKinds.length > 1 && (
        <Select
          label={t('users.siteKind')}
          placeholder={t('users.pick')}
          data={siteKinds.map((k) => ({ value: k, label: kindLabel(k) }))}
          value={value.siteKind}
          onChange={(kind) => onChange({ ...value, siteKind: kind, siteId: null })}
          disabled={disabled}
          required
        />
      )}
      {value.level === 'site' && (
        <Select
          label={t('users.site')}
          placeholder={t('users.pick')}
          data={(sites.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          value={value.siteId}
          onChange={(id) => onChange({ ...value, siteId: id })}
          searchable
          disabled={disabled || !value.communeCode || !value.siteKind}
          error={errors['jurisdiction.siteId']}
          nothingFoundMessage={t('users.noSites')}
          required
          data-testid="jurisdiction-site"
        />
      )}
      {value.level === 'site' && sites.data?.length === 0 && (
        <Text size="xs" c="dimmed">
          {t('users.noSites')}
        </Text>
      )}
    </Stack>
  );
}
