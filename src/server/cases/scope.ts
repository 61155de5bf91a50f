/**
 * Jurisdiction for cases and contacts. A case is seen by its responsible area and by the commune
 * where the person is now; a contact by the case's area and by the contact person's area (the
 * commune that reaches them). Outside both: 404, and the attempt is audited.
 */
import type { Place, Scope } from '../../domain/access.ts';
import type { Queryable } from '../db/index.ts';

const push = (params: unknown[], v: unknown) => {
  params.push(v);
  return `$${params.length}`;
};

/**
 * The record's own area and a second one, as separate predicates (each served by its own index):
 * the record is in scope when any is true. `second` names the columns of the second area.
 * Lists run one index scan per predicate (src/server/lists.ts); single lookups OR them.
 */
export function dualScopeBranches(
  scope: Scope,
  params: unknown[],
  alias: string,
  second: {
    province: string;
    district: string;
    commune: string;
    village: string | null;
    /** null: the table has no village_id of its own (contacts) */
    ownVillage?: null;
  },
  siteColumn: string | null = null,
): string[] {
  const a = `${alias}.`;
  switch (scope.level) {
    case 'province': {
      const p = push(params, scope.provinceCode);
      return [`${a}province_code = ${p}`, `${a}${second.province} = ${p}`];
    }
    case 'district': {
      const p = push(params, scope.districtCode);
      return [`${a}district_code = ${p}`, `${a}${second.district} = ${p}`];
    }
    case 'commune': {
      const p = push(params, scope.communeCode);
      return [`${a}commune_code = ${p}`, `${a}${second.commune} = ${p}`];
    }
    case 'village': {
      const p = push(params, scope.villageId);
      if (second.ownVillage === null)
        return [second.village ? `${a}${second.village} = ${p}` : 'false'];
      return second.village
        ? [`${a}village_id = ${p}`, `${a}${second.village} = ${p}`]
        : [`${a}village_id = ${p}`];
    }
    case 'site':
      return [siteColumn ? `${a}${siteColumn} = ${push(params, scope.siteId)}` : 'false'];
  }
}

/** `dualScopeBranches` as one predicate (either area). */
export function dualScope(
  scope: Scope,
  params: unknown[],
  alias: string,
  second: {
    province: string;
    district: string;
    commune: string;
    village: string | null;
    /** null: the table has no village_id of its own (contacts) */
    ownVillage?: null;
  },
  siteColumn: string | null = null,
): string {
  const b = dualScopeBranches(scope, params, alias, second, siteColumn);
  return b.length === 1 ? b[0]! : `(${b.join(' OR ')})`;
}

export const CASE_SECOND = {
  province: 'current_province_code',
  district: 'current_district_code',
  commune: 'current_commune_code',
  village: null,
};
export const CONTACT_SECOND = {
  province: 'person_province_code',
  district: 'person_district_code',
  commune: 'person_commune_code',
  village: 'person_village_id',
};

export { loadScopedAny } from '../context.ts';

/** The commune a village belongs to (village scopes read their commune's notices). */
export async function communeOfVillage(q: Queryable, villageId: string | null | undefined) {
  if (!villageId) return null;
  const r = await q.query<{ commune_code: string; district_code: string }>(
    'SELECT commune_code, district_code FROM villages WHERE id = $1',
    [villageId],
  );
  return r[0] ?? null;
}

/** The place of an admin unit (commune or district) for access checks. */
export async function unitPlace(q: Queryable, code: string, level?: 2 | 3) {
  const r = await q.query<{
    code: string;
    name: string;
    level: number;
    province_code: string;
    district_code: string | null;
  }>('SELECT code, name, level, province_code, district_code FROM admin_units WHERE code = $1', [
    code,
  ]);
  const u = r[0];
  if (!u || (level && u.level !== level)) return undefined;
  return {
    unit: u,
    place: {
      provinceCode: u.province_code,
      districtCode: u.level === 2 ? u.code : u.district_code,
      communeCode: u.level === 3 ? u.code : null,
    } as Place,
  };
}
