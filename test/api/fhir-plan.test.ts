import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/domain/access.ts';
import type { Db } from '../../src/server/db/index.ts';
import { doseExportSql, resultExportSql } from '../../src/server/testing/fhir.ts';
import { ENGINE, openTestDb } from '../helpers/app.ts';
import { checkPlan } from '../helpers/plan.ts';

/**
 * The FHIR export pages (results and vaccinations) order and limit through their indexes before
 * they join persons: over 200,000 results and 200,000 doses, the very SQL of the export is
 * EXPLAINed for a province, a district, a commune and a lab, first page and the next, with and
 * without a day, and must not scan a big table or sort more than a page.
 */
let db: Db;
let drop: () => Promise<void>;
const LAB = '00000000-0000-4000-8000-000000000007';
const scopes: Scope[] = [
  { level: 'province', provinceCode: '11' },
  { level: 'district', provinceCode: '11', districtCode: '095' },
  { level: 'commune', provinceCode: '11', districtCode: '095', communeCode: '03007' },
];
const pages = [
  { after: null, date: undefined },
  { after: ['2021-08-20', '00000000-0000-0000-0000-000000000000'], date: undefined },
  { after: null, date: '2021-08-20' },
];

describe.runIf(ENGINE === 'postgres')('FHIR export plans on PostgreSQL', () => {
  beforeAll(async () => {
    ({ db, drop } = await openTestDb());
    await db.exec(`
      SET session_replication_role = replica;
      INSERT INTO test_results (person_id, test_type, result, sampled_at, resulted_at, sample_date, source, natural_key,
          province_code, district_code, commune_code, site_id, lab_site_id)
        SELECT gen_random_uuid(), 'rt_pcr', 'negative', now(), now(), date '2021-07-01' + (g % 90), 'import', 'k' || g,
               '11', lpad((90 + g % 10)::text, 3, '0'), lpad((3000 + g % 130)::text, 5, '0'),
               md5((g % 40)::text)::uuid, md5((g % 37)::text)::uuid
          FROM generate_series(1, 200000) g;
      INSERT INTO vaccination_doses (person_id, product, dose_number, kind, given_on, province_code, district_code,
          commune_code, rule_set_id, rule_id, explanation)
        SELECT gen_random_uuid(), 'comirnaty', 1, 'primary', date '2021-07-01' + (g % 90), '11',
               lpad((90 + g % 10)::text, 3, '0'), lpad((3000 + g % 130)::text, 5, '0'), 'r', 'due', '{}'::jsonb
          FROM generate_series(1, 200000) g;
      UPDATE test_results SET site_id = '${LAB}' WHERE natural_key IN ('k1', 'k2');
      SET session_replication_role = DEFAULT;
      ANALYZE test_results; ANALYZE vaccination_doses;`);
  }, 240_000);
  afterAll(() => drop?.());

  const check = async (q: { sql: string; params: unknown[] }) => {
    const { problems, plan } = await checkPlan(db, q.sql, q.params, {
      bigTables: ['test_results', 'vaccination_doses', 'persons'],
      maxSortRows: 250,
    });
    expect(problems, plan).toEqual([]);
  };

  it('results, for each unit level and for a lab (two arms: sampled there, tested there)', async () => {
    for (const scope of [...scopes, { level: 'site', provinceCode: '11', siteId: LAB } as Scope])
      for (const p of pages)
        await check(resultExportSql(scope, { date: p.date, _count: 100 }, p.after));
  });

  it('vaccinations, for each unit level', async () => {
    for (const scope of scopes)
      for (const p of pages)
        await check(doseExportSql(scope, { date: p.date, _count: 100 }, p.after));
  });
});
