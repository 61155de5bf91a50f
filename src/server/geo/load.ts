import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { fold } from '../../domain/text.ts';
import type { Db } from '../db/index.ts';

export const DATA_DIR = fileURLToPath(new URL('../../../data/', import.meta.url));

interface UnitJson {
  code: string;
  name: string;
  shortName: string;
  type: string;
  level: 1 | 2 | 3;
  parentCode: string | null;
}
interface PopJson {
  code: string;
  population: number | null;
  urban: number | null;
  rural: number | null;
}

/**
 * Loads the 63 provinces, 705 districts and 10,603 communes of 2021 with their 2019 census
 * population, once, into an empty database. Returns the number of units inserted (0 if the
 * table was already loaded).
 */
export async function loadGeography(db: Db, dataDir = DATA_DIR): Promise<number> {
  const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM admin_units')) as [
    { n: number },
  ];
  if (n > 0) return 0;
  const units = (
    JSON.parse(await readFile(dataDir + 'vn-admin-units-2021.json', 'utf8')) as {
      units: UnitJson[];
    }
  ).units;
  const pop = JSON.parse(
    await readFile(dataDir + 'vn-population-census2019.json', 'utf8'),
  ) as Record<'provinces' | 'districts' | 'communes', PopJson[]>;
  const popByCode = new Map<string, PopJson>();
  for (const list of [pop.provinces, pop.districts, pop.communes])
    for (const p of list) popByCode.set(p.code, p);
  const byCode = new Map(units.map((u) => [u.code, u]));
  const rows = units
    .sort((a, b) => a.level - b.level)
    .map((u) => {
      const district = u.level === 3 ? byCode.get(u.parentCode!)! : u.level === 2 ? u : null;
      const province = u.level === 1 ? u : byCode.get(district!.parentCode!)!;
      const p = popByCode.get(u.code);
      return {
        code: u.code,
        name: u.name,
        short_name: u.shortName,
        type: u.type,
        level: u.level,
        parent_code: u.parentCode,
        province_code: province.code,
        district_code: district?.code ?? null,
        population: p?.population ?? null,
        population_urban: p?.urban ?? null,
        population_rural: p?.rural ?? null,
        search_name: fold(u.shortName),
      };
    });
  await db.tx(async (q) => {
    // One statement per level keeps each parameter well under PostgreSQL's limits and parents first.
    for (const level of [1, 2, 3]) {
      await q.query(
        `INSERT INTO admin_units (code, name, short_name, type, level, parent_code, province_code, district_code,
           population, population_urban, population_rural, search_name)
         SELECT code, name, short_name, type, level, parent_code, province_code, district_code,
           population, population_urban, population_rural, search_name
           FROM json_to_recordset($1::json) AS x(code text, name text, short_name text, type text, level smallint,
             parent_code text, province_code text, district_code text, population int, population_urban int,
             population_rural int, search_name text)`,
        [JSON.stringify(rows.filter((r) => r.level === level))],
      );
    }
  });
  return rows.length;
}
