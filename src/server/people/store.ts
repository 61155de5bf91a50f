/**
 * SQL for people: loading, scoping, searching, duplicates and the merge chain. Other modules
 * that keep a person id (entries, cases, tests, doses…) resolve "the person" through
 * `canonicalPersonId`, because a merged-away record points to the record that survived.
 */
import {
  duplicateReasons,
  nameKey,
  nameSuffixes,
  prefixRange,
  type DuplicateKey,
  type DuplicateReason,
  type IdType,
  type PersonQuery,
  type Sex,
} from '../../domain/people.ts';
import type { Place, Scope } from '../../domain/access.ts';
import { nfc } from '../../domain/text.ts';
import { scopePredicate } from '../context.ts';
import type { Queryable } from '../db/index.ts';

export interface PersonRow {
  id: string;
  full_name: string;
  search_name: string;
  birth_date: string | null;
  birth_year: number;
  sex: Sex;
  id_type: IdType | null;
  id_number: string | null;
  phone: string | null;
  nationality: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  village_id: string | null;
  street: string | null;
  workplace: string | null;
  registered_province_code: string;
  registered_site_id: string | null;
  current_province_code: string | null;
  current_district_code: string | null;
  current_commune_code: string | null;
  merged_into: string | null;
  merged_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMN_NAMES = [
  'id',
  'full_name',
  'search_name',
  'birth_date',
  'birth_year',
  'sex',
  'id_type',
  'id_number',
  'phone',
  'nationality',
  'province_code',
  'district_code',
  'commune_code',
  'village_id',
  'street',
  'workplace',
  'registered_province_code',
  'registered_site_id',
  'current_province_code',
  'current_district_code',
  'current_commune_code',
  'merged_into',
  'merged_at',
  'created_at',
  'updated_at',
];
export const personColumns = (alias = 'p') => COLUMN_NAMES.map((c) => `${alias}.${c}`).join(', ');

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function presentPerson(p: PersonRow) {
  return {
    id: p.id,
    fullName: p.full_name,
    birthDate: p.birth_date,
    birthYear: p.birth_year,
    sex: p.sex,
    idType: p.id_type,
    idNumber: p.id_number,
    phone: p.phone,
    nationality: p.nationality,
    address: {
      provinceCode: p.province_code,
      districtCode: p.district_code,
      communeCode: p.commune_code,
      villageId: p.village_id,
      street: p.street,
    },
    workplace: p.workplace,
    registeredSiteId: p.registered_site_id,
    // where the person is now when it is not their home (the commune managing them)
    currentUnit: p.current_commune_code
      ? {
          provinceCode: p.current_province_code,
          districtCode: p.current_district_code,
          communeCode: p.current_commune_code,
        }
      : null,
    createdAt: iso(p.created_at),
    updatedAt: iso(p.updated_at),
  };
}
export type PresentedPerson = ReturnType<typeof presentPerson>;

/**
 * Where a person sits for access checks: their residence district, commune and village; the
 * province that registered them (so the province sees travellers from elsewhere it registered);
 * and the site that registered them.
 */
export function personPlace(p: PersonRow): Place {
  return {
    provinceCode: p.registered_province_code,
    districtCode: p.district_code,
    communeCode: p.commune_code,
    villageId: p.village_id,
    siteId: p.registered_site_id,
  };
}

/**
 * The unit managing a person (issue 13): where they are now when it is not their home (an
 * arrival's destination commune), else their home as `personPlace` has it. Cases, test orders,
 * contacts and quarantine orders are filed here.
 */
export function managingPlace(
  p: Pick<
    PersonRow,
    | 'registered_province_code'
    | 'district_code'
    | 'commune_code'
    | 'village_id'
    | 'current_province_code'
    | 'current_district_code'
    | 'current_commune_code'
  >,
): { provinceCode: string; districtCode: string; communeCode: string; villageId: string | null } {
  return p.current_commune_code
    ? {
        provinceCode: p.current_province_code!,
        districtCode: p.current_district_code!,
        communeCode: p.current_commune_code,
        villageId: null,
      }
    : {
        provinceCode: p.registered_province_code,
        districtCode: p.district_code,
        communeCode: p.commune_code,
        villageId: p.village_id,
      };
}

/** The places a person is seen from: their home (`personPlace`) and the unit managing them. */
export function personPlaces(p: PersonRow): Place[] {
  const home = personPlace(p);
  return p.current_commune_code ? [home, managingPlace(p)] : [home];
}

/** SQL expressions of the unit managing the person aliased `a` (see `managingPlace`). */
export function managingUnitSql(a = 'p') {
  return {
    province: `coalesce(${a}.current_province_code, ${a}.province_code)`,
    district: `coalesce(${a}.current_district_code, ${a}.district_code)`,
    commune: `coalesce(${a}.current_commune_code, ${a}.commune_code)`,
    village: `CASE WHEN ${a}.current_commune_code IS NULL THEN ${a}.village_id END`,
  };
}

/** The SQL predicate that holds a persons query to a scope (see `personPlace`). */
export function personScope(scope: Scope, params: unknown[], alias = 'p'): string {
  if (scope.level === 'province') {
    params.push(scope.provinceCode);
    return `${alias}.registered_province_code = $${params.length}`;
  }
  return scopePredicate(scope, params, alias, { site: 'registered_site_id' });
}

export function duplicateKey(p: PersonRow): DuplicateKey {
  return {
    idNumber: p.id_number,
    phone: p.phone,
    searchName: p.search_name,
    birthYear: p.birth_year,
    communeCode: p.commune_code,
  };
}

export async function loadPerson(q: Queryable, id: string): Promise<PersonRow | undefined> {
  const rows = await q.query<PersonRow>(
    `SELECT ${personColumns()} FROM persons p WHERE p.id = $1`,
    [id],
  );
  return rows[0];
}

/**
 * The id of the record that stands for this person now: the id itself, or the record it was
 * merged into (merges re-point older merged records, so this is one hop; the loop is a guard).
 * Undefined when no such person exists.
 */
export async function canonicalPersonId(q: Queryable, id: string): Promise<string | undefined> {
  let current = id;
  for (let hop = 0; hop < 16; hop++) {
    const rows = await q.query<{ merged_into: string | null }>(
      'SELECT merged_into FROM persons WHERE id = $1',
      [current],
    );
    if (!rows[0]) return undefined;
    if (!rows[0].merged_into) return current;
    current = rows[0].merged_into;
  }
  throw new Error(`merge chain of person ${id} is too long`);
}

/** The person that stands for `id` now, and how the requested record was merged into it. */
export async function resolvePerson(
  q: Queryable,
  id: string,
): Promise<
  { row: PersonRow; mergedFrom: { id: string; mergedAt: string | null } | null } | undefined
> {
  const asked = await loadPerson(q, id);
  if (!asked) return undefined;
  if (!asked.merged_into) return { row: asked, mergedFrom: null };
  const canonical = await canonicalPersonId(q, asked.merged_into);
  const row = canonical ? await loadPerson(q, canonical) : undefined;
  return row ? { row, mergedFrom: { id, mergedAt: iso(asked.merged_at) } } : undefined;
}

/** What a person record holds, normalised and with its codes resolved. */
export interface PersonValues {
  fullName: string;
  birthDate: string | null;
  birthYear: number;
  sex: Sex;
  idType: IdType | null;
  idNumber: string | null;
  phone: string | null;
  nationality: string;
  provinceCode: string;
  districtCode: string;
  communeCode: string;
  villageId: string | null;
  street: string | null;
  workplace: string | null;
}

export const valuesOf = (p: PersonRow): PersonValues => ({
  fullName: p.full_name,
  birthDate: p.birth_date,
  birthYear: p.birth_year,
  sex: p.sex,
  idType: p.id_type,
  idNumber: p.id_number,
  phone: p.phone,
  nationality: p.nationality,
  provinceCode: p.province_code,
  districtCode: p.district_code,
  communeCode: p.commune_code,
  villageId: p.village_id,
  street: p.street,
  workplace: p.workplace,
});

const valueParams = (v: PersonValues) => {
  // One spelling of a name however it was typed (NFD from some keyboards): issue 13 item 6.
  const fullName = nfc(v.fullName);
  return [
    fullName,
    nameKey(fullName),
    v.birthDate,
    v.birthYear,
    v.sex,
    v.idType,
    v.idNumber,
    v.phone,
    v.nationality,
    v.provinceCode,
    v.districtCode,
    v.communeCode,
    v.villageId,
    v.street,
    v.workplace,
  ];
};

/**
 * Inserts a person. `registeredProvinceCode` and `registeredSiteId` are the registering
 * user's province and site. With a client id, a replay returns the first record instead
 * (`created: false`).
 */
export async function insertPerson(
  q: Queryable,
  v: PersonValues,
  by: {
    userId: string | null;
    registeredProvinceCode: string;
    registeredSiteId: string | null;
    clientId?: string | null;
  },
): Promise<{ row: PersonRow; created: boolean }> {
  const rows = await q.query<PersonRow>(
    `INSERT INTO persons (full_name, search_name, birth_date, birth_year, sex, id_type, id_number,
       phone, nationality, province_code, district_code, commune_code, village_id, street,
       workplace, registered_province_code, registered_site_id, client_id, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)
     ON CONFLICT (client_id) DO NOTHING
     RETURNING ${COLUMN_NAMES.join(', ')}`,
    [
      ...valueParams(v),
      by.registeredProvinceCode,
      by.registeredSiteId,
      by.clientId ?? null,
      by.userId,
    ],
  );
  if (rows[0]) {
    await syncNameKeys(q, rows[0].id);
    return { row: rows[0], created: true };
  }
  const prior = await q.query<PersonRow>(
    `SELECT ${personColumns()} FROM persons p WHERE p.client_id = $1`,
    [by.clientId],
  );
  return { row: prior[0]!, created: false };
}

export async function updatePerson(q: Queryable, id: string, v: PersonValues): Promise<PersonRow> {
  const rows = await q.query<PersonRow>(
    `UPDATE persons SET full_name = $2, search_name = $3, birth_date = $4, birth_year = $5, sex = $6,
       id_type = $7, id_number = $8, phone = $9, nationality = $10, province_code = $11,
       district_code = $12, commune_code = $13, village_id = $14, street = $15, workplace = $16,
       updated_at = now()
     WHERE id = $1 RETURNING ${COLUMN_NAMES.join(', ')}`,
    [id, ...valueParams(v)],
  );
  await syncNameKeys(q, id);
  return rows[0]!;
}

/**
 * Rewrites a person's rows in person_name_keys from the record (none for a merged-away record).
 * Every write to a person's name, birth year, codes or merge state goes through here.
 */
export async function syncNameKeys(q: Queryable, personId: string): Promise<void> {
  await q.query('DELETE FROM person_name_keys WHERE person_id = $1', [personId]);
  const rows = await q.query<{ search_name: string; merged_into: string | null }>(
    'SELECT search_name, merged_into FROM persons WHERE id = $1',
    [personId],
  );
  const p = rows[0];
  if (!p || p.merged_into) return;
  await q.query(
    `INSERT INTO person_name_keys (person_id, key, search_name, birth_year, registered_province_code,
       district_code, commune_code, village_id, registered_site_id)
     SELECT p.id, k.key, p.search_name, p.birth_year, p.registered_province_code, p.district_code,
            p.commune_code, p.village_id, p.registered_site_id
       FROM persons p, unnest($2::text[]) AS k(key)
      WHERE p.id = $1`,
    [personId, nameSuffixes(p.search_name)],
  );
}

export interface SearchFilters {
  communeCode?: string;
  villageId?: string;
  birthYear?: number;
}

/** A search hit: the person and the key of the row that found them (for the cursor). */
export type SearchRow = PersonRow & { match_key: string | null };

/**
 * One page of the people in `scope` matching `query`, after the cursor. Every branch is one
 * index range read in order and stopped after `limit` rows, whatever the number of people:
 * - a document number or a phone: the exact-match index, then the scope (a handful of rows),
 *   in (search_name, id) order;
 * - a name: person_name_keys from the query to the next prefix, scope and birth year checked
 *   in the index itself, in (key, search_name, id) order — people whose name (or the part of
 *   it from some word on) is exactly the query come first, each group by full name;
 * - no query: the scope's (code, search_name, id) index.
 * The cursor is [search_name, id], or [key, search_name, id] for a name.
 */
export async function searchPersons(
  q: Queryable,
  scope: Scope,
  query: PersonQuery | null,
  filters: SearchFilters,
  after: unknown[] | null,
  limit: number,
): Promise<SearchRow[]> {
  const list = searchPersonsSql(scope, query, filters, after, limit);
  return q.query<SearchRow>(list.sql, list.params);
}

/** The SQL `searchPersons` runs (exported for the plan tests): name keys first, then persons. */
export function searchPersonsSql(
  scope: Scope,
  query: PersonQuery | null,
  filters: SearchFilters,
  after: unknown[] | null,
  limit: number,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const push = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const birthYear = filters.birthYear ?? (query?.kind === 'name' ? query.birthYear : undefined);
  const where = (alias: string) => {
    const w = [personScope(scope, params, alias)];
    if (filters.communeCode) w.push(`${alias}.commune_code = ${push(filters.communeCode)}`);
    if (filters.villageId) w.push(`${alias}.village_id = ${push(filters.villageId)}`);
    if (birthYear !== undefined) w.push(`${alias}.birth_year = ${push(birthYear)}`);
    return w;
  };

  if (query?.kind === 'name' && query.text) {
    const [lo, hi] = prefixRange(query.text);
    const w = where('k');
    w.push(`k.key >= ${push(lo)} AND k.key < ${push(hi)}`);
    if (after)
      w.push(
        `(k.key, k.search_name, k.person_id) > (${push(after[0])}, ${push(after[1])}, ${push(after[2])}::uuid)`,
      );
    const lim = push(limit);
    return {
      sql: `SELECT k.key AS match_key, ${personColumns()}
         FROM (SELECT k.key, k.search_name, k.person_id FROM person_name_keys k
                WHERE ${w.join(' AND ')}
                ORDER BY k.key, k.search_name, k.person_id LIMIT ${lim}) k
         JOIN persons p ON p.id = k.person_id AND p.merged_into IS NULL
        ORDER BY k.key, k.search_name, k.person_id`,
      params,
    };
  }
  const w = ['p.merged_into IS NULL', ...where('p')];
  if (query?.kind === 'id') w.push(`p.id_number = ${push(query.idNumber)}`);
  if (query?.kind === 'phone') w.push(`p.phone = ${push(query.phone)}`);
  if (after) w.push(`(p.search_name, p.id) > (${push(after[0])}, ${push(after[1])}::uuid)`);
  return {
    sql: `SELECT NULL AS match_key, ${personColumns()} FROM persons p WHERE ${w.join(' AND ')}
      ORDER BY p.search_name, p.id LIMIT ${push(limit)}`,
    params,
  };
}

/**
 * The records in `scope` that are likely the same person as `p`, with the reasons. Three
 * indexed lookups, one per reason: the same document number; the same phone and name; the same
 * name, birth year and commune.
 */
export async function findDuplicates(
  q: Queryable,
  scope: Scope,
  p: PersonRow,
): Promise<{ row: PersonRow; reasons: DuplicateReason[] }[]> {
  const params: unknown[] = [p.id];
  const push = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const arm = (cond: string) =>
    `SELECT id FROM persons p WHERE ${cond} AND p.merged_into IS NULL AND p.id <> $1 AND ${personScope(scope, params, 'p')}`;
  const arms: string[] = [];
  if (p.id_number) arms.push(arm(`p.id_number = ${push(p.id_number)}`));
  if (p.phone)
    arms.push(arm(`p.phone = ${push(p.phone)} AND p.search_name = ${push(p.search_name)}`));
  arms.push(
    arm(
      `p.search_name = ${push(p.search_name)} AND p.birth_year = ${push(p.birth_year)} AND p.commune_code = ${push(p.commune_code)}`,
    ),
  );
  const rows = await q.query<PersonRow>(
    `SELECT ${personColumns()} FROM persons p WHERE p.id IN (${arms.join(' UNION ')})
     ORDER BY p.search_name, p.id LIMIT 200`,
    params,
  );
  const key = duplicateKey(p);
  return rows
    .map((row) => ({ row, reasons: duplicateReasons(key, duplicateKey(row)) }))
    .filter((d) => d.reasons.length > 0);
}

/** The records merged into `id` (directly or through an earlier merge), newest first. */
export async function mergedInto(q: Queryable, id: string) {
  const rows = await q.query<{ id: string; merged_at: Date | string | null }>(
    'SELECT id, merged_at FROM persons WHERE merged_into = $1 ORDER BY merged_at DESC, id',
    [id],
  );
  return rows.map((r) => ({ id: r.id, mergedAt: iso(r.merged_at) }));
}

/** The households a person belongs to. */
export async function householdsOf(q: Queryable, personId: string) {
  const rows = await q.query<{
    household_id: string;
    relation: string;
    village_id: string;
    commune_code: string;
  }>(
    `SELECT m.household_id, m.relation, h.village_id, h.commune_code
       FROM household_members m JOIN households h ON h.id = m.household_id
      WHERE m.person_id = $1 ORDER BY m.added_at, m.household_id`,
    [personId],
  );
  return rows.map((r) => ({
    householdId: r.household_id,
    relation: r.relation,
    villageId: r.village_id,
    communeCode: r.commune_code,
  }));
}
