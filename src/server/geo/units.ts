import type { Queryable } from '../db/index.ts';

export const POPULATION_SOURCE = {
  vi: 'Tổng điều tra dân số và nhà ở 2019 (0 giờ 01/04/2019), quy về đơn vị hành chính năm 2021',
  en: '2019 Population and Housing Census (1 April 2019), re-aggregated to the 2021 units',
};

export interface UnitRow {
  code: string;
  name: string;
  short_name: string;
  type: string;
  level: number;
  parent_code: string | null;
  province_code: string;
  district_code: string | null;
  population: number | null;
  population_urban: number | null;
  population_rural: number | null;
  children_count?: number;
}

export function presentUnit(u: UnitRow) {
  return {
    code: u.code,
    name: u.name,
    shortName: u.short_name,
    type: u.type,
    level: u.level,
    parentCode: u.parent_code,
    provinceCode: u.province_code,
    districtCode: u.district_code,
    population:
      u.population === null
        ? null
        : { total: u.population, urban: u.population_urban, rural: u.population_rural },
    childrenCount: u.children_count ?? 0,
  };
}

export const UNIT_COLUMNS = `u.code, u.name, u.short_name, u.type, u.level, u.parent_code, u.province_code,
  u.district_code, u.population, u.population_urban, u.population_rural,
  (SELECT count(*)::int FROM admin_units c WHERE c.parent_code = u.code) AS children_count`;

export async function getUnit(q: Queryable, code: string): Promise<UnitRow | undefined> {
  const rows = await q.query<UnitRow>(
    `SELECT ${UNIT_COLUMNS} FROM admin_units u WHERE u.code = $1`,
    [code],
  );
  return rows[0];
}

/** What hot paths need of a unit: its name and where it sits. */
export type UnitRef = Pick<UnitRow, 'code' | 'name' | 'level' | 'province_code' | 'district_code'>;
const unitRefs = new WeakMap<Queryable, Promise<Map<string, UnitRef>>>();

/**
 * A province, district or commune by code, from memory. The administrative units are reference
 * data loaded once at first start and never changed while the server runs, so the ~11,400 of
 * them are read once per database and kept (about 2 MB).
 */
/**
 * Every unit's reference, read once per database handle. A write that needs units inside a
 * transaction takes this map before opening it: on the embedded database a query through the
 * handle while its transaction is open cannot run (issue 14.5: the first entries after a start).
 */
export function allUnitRefs(db: Queryable): Promise<Map<string, UnitRef>> {
  let all = unitRefs.get(db);
  if (!all) {
    all = db
      .query<UnitRef>('SELECT code, name, level, province_code, district_code FROM admin_units')
      .then((rows) => new Map(rows.map((r) => [r.code, r])));
    unitRefs.set(db, all);
    all.catch(() => unitRefs.delete(db));
  }
  return all;
}

export async function unitRef(db: Queryable, code: string): Promise<UnitRef | undefined> {
  return (await allUnitRefs(db)).get(code);
}

/** The names of a place from the province down, e.g. "Xã Thanh Minh, Thành phố Điện Biên Phủ, Tỉnh Điện Biên". */
export async function placeLabel(
  q: Queryable,
  p: {
    provinceCode: string;
    districtCode?: string | null;
    communeCode?: string | null;
    villageId?: string | null;
    siteId?: string | null;
  },
): Promise<string> {
  const codes = [p.communeCode, p.districtCode, p.provinceCode].filter((c): c is string => !!c);
  const rows = await q.query<{ code: string; name: string }>(
    'SELECT code, name FROM admin_units WHERE code = ANY($1)',
    [codes],
  );
  const byCode = new Map(rows.map((r) => [r.code, r.name]));
  const parts = codes.map((c) => byCode.get(c) ?? c);
  if (p.villageId) {
    const v = await q.query<{ name: string }>('SELECT name FROM villages WHERE id = $1', [
      p.villageId,
    ]);
    if (v[0]) parts.unshift(v[0].name);
  }
  if (p.siteId) {
    const s = await q.query<{ name: string }>('SELECT name FROM sites WHERE id = $1', [p.siteId]);
    if (s[0]) parts.unshift(s[0].name);
  }
  return parts.join(', ');
}
