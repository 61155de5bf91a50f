/**
 * Places for the people pages: names of communes and villages (the person API answers with
 * codes only), and cascading selects province › district › commune › village held to the
 * user's jurisdiction.
 */
import { Select, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, qs, type Me, type Page, type Unit, type Village } from '../../api.ts';
import { useMe } from '../../auth.tsx';
import { useUnit } from '../../hooks.ts';
import { usePT } from '../t.ts';
import type { Address } from '../types.ts';

export interface PlaceValue {
  provinceCode: string | null;
  districtCode: string | null;
  communeCode: string | null;
  villageId: string | null;
}

/** Where a new record starts: whatever the user's scope fixes. */
export function initialPlace(me: Me): PlaceValue {
  return {
    provinceCode: me.scope.provinceCode,
    districtCode: me.scope.districtCode,
    communeCode: me.scope.communeCode,
    villageId: me.scope.level === 'village' ? me.scope.villageId : null,
  };
}

/** Which selects the user's scope fixes. A site's staff register people from anywhere. */
export function placeLocks(me: Me) {
  const site = me.scope.level === 'site';
  return {
    province: !site,
    district: !site && !!me.scope.districtCode,
    commune: !site && !!me.scope.communeCode,
    village: me.scope.level === 'village',
  };
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

/** The villages a user may pick in a commune (a village team: only their own). */
export function useVillageOptions(communeCode: string | null) {
  const me = useMe();
  const mayRead = me.permissions.includes('villages.read');
  const own = me.scope.level === 'village';
  return useQuery({
    queryKey: own ? ['villages-options', 'own'] : ['villages-options', communeCode],
    queryFn: () =>
      api<Page<Village>>(
        `/api/v1/villages${qs({ commune: own ? null : communeCode, limit: 500 })}`,
      ).then((r) => r.items),
    enabled: mayRead && (own || !!communeCode),
    // A commune outside the user's area (a checkpoint registering a traveller) has no list.
    retry: false,
  });
}

export function useVillage(id: string | null | undefined) {
  const me = useMe();
  return useQuery({
    queryKey: ['village', id],
    queryFn: () => api<Village>(`/api/v1/villages/${id}`),
    enabled: !!id && me.permissions.includes('villages.read'),
    staleTime: 10 * 60_000,
    retry: false,
  });
}

/** "Số 12, Tổ dân phố 1, Phường Mường Thanh" (with district and province when `full`). */
export function useAddressText(address: Address | null | undefined, full = false): string {
  const commune = useUnit(address?.communeCode);
  const village = useVillage(address?.villageId);
  if (!address) return '';
  const parts = [address.street, village.data?.name];
  if (full && commune.data) {
    parts.push(...[...commune.data.path].reverse().map((p) => p.name));
  } else {
    parts.push(commune.data?.name ?? address.communeCode);
  }
  return parts.filter(Boolean).join(', ');
}

export function AddressText({ address, full }: { address: Address; full?: boolean }) {
  return <>{useAddressText(address, full)}</>;
}

export function VillageName({ id }: { id: string }) {
  const v = useVillage(id);
  return <>{v.data?.name ?? '…'}</>;
}

export function CommuneName({ code }: { code: string }) {
  const u = useUnit(code);
  return <>{u.data?.name ?? code}</>;
}

interface Props {
  value: PlaceValue;
  onChange: (value: PlaceValue) => void;
  /** Show the village select (optional unless `villageRequired`). */
  withVillage?: boolean;
  villageRequired?: boolean;
  /** Field errors by path, e.g. `address.communeCode`. */
  communeError?: string;
  villageError?: string;
  disabled?: boolean;
  testIdPrefix?: string;
  /** Hide the selects the user's scope fixes, except the deepest of them. */
  compact?: boolean;
  /** A list filter: nothing required, every open select may be cleared. */
  filter?: boolean;
}

/** Province › district › commune (› village), with what the user's scope fixes locked. */
export function PlaceSelects({
  value,
  onChange,
  withVillage = true,
  villageRequired = false,
  communeError,
  villageError,
  disabled,
  testIdPrefix = 'place',
  compact = false,
  filter = false,
}: Props) {
  const pt = usePT();
  const me = useMe();
  const locks = placeLocks(me);
  const provinces = useChildren(null, true);
  const districts = useChildren(value.provinceCode, !!value.provinceCode);
  const communes = useChildren(value.districtCode, !!value.districtCode);
  const villages = useVillageOptions(value.communeCode);
  const options = (items: Unit[] | undefined) =>
    (items ?? []).map((u) => ({ value: u.code, label: u.name }));
  const hint = (locked: boolean) => (locked ? pt('field.locked') : undefined);
  const villageOptions = (villages.data ?? []).map((v) => ({ value: v.id, label: v.name }));
  // In compact form only the deepest locked select is shown (to say where the user works).
  const show = {
    province: !compact || !locks.district,
    district: !compact || !locks.commune,
    commune: !compact || !locks.village,
  };
  const showVillage =
    withVillage && !!value.communeCode && (villages.isPending || villageOptions.length > 0);

  return (
    <Stack gap="sm">
      {show.province && (
        <Select
          label={pt('field.province')}
          data={options(provinces.data)}
          value={value.provinceCode}
          onChange={(code) =>
            onChange({ provinceCode: code, districtCode: null, communeCode: null, villageId: null })
          }
          disabled={disabled || locks.province}
          description={hint(locks.province)}
          searchable
          allowDeselect={false}
          nothingFoundMessage="—"
          required
          data-testid={`${testIdPrefix}-province`}
        />
      )}
      {show.district && (
        <Select
          label={pt('field.district')}
          placeholder={pt('field.pick')}
          data={options(districts.data)}
          value={value.districtCode}
          onChange={(code) =>
            onChange({ ...value, districtCode: code, communeCode: null, villageId: null })
          }
          disabled={disabled || locks.district || !value.provinceCode}
          description={hint(locks.district)}
          searchable
          allowDeselect={filter}
          clearable={filter}
          nothingFoundMessage="—"
          required={!filter}
          data-testid={`${testIdPrefix}-district`}
        />
      )}
      {show.commune && (
        <Select
          label={pt('field.commune')}
          placeholder={pt('field.pick')}
          data={options(communes.data)}
          value={value.communeCode}
          onChange={(code) => onChange({ ...value, communeCode: code, villageId: null })}
          disabled={disabled || locks.commune || !value.districtCode}
          description={hint(locks.commune)}
          error={communeError}
          searchable
          allowDeselect={filter}
          clearable={filter}
          nothingFoundMessage="—"
          required={!filter}
          data-testid={`${testIdPrefix}-commune`}
        />
      )}
      {showVillage && (
        <Select
          label={pt('field.village')}
          placeholder={
            filter
              ? pt('households.allVillages')
              : villageRequired
                ? pt('field.pick')
                : pt('field.noVillage')
          }
          data={villageOptions}
          value={value.villageId}
          onChange={(id) => onChange({ ...value, villageId: id })}
          disabled={disabled || locks.village}
          description={hint(locks.village)}
          error={villageError}
          searchable
          clearable={!villageRequired && !locks.village}
          allowDeselect={!villageRequired}
          nothingFoundMessage="—"
          required={villageRequired}
          data-testid={`${testIdPrefix}-village`}
        />
      )}
    </Stack>
  );
}
