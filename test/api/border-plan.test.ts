import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/domain/access.ts';
import type { Db } from '../../src/server/db/index.ts';
import { borderCountsSql, borderReportListSql } from '../../src/server/greenlane/border-store.ts';
import { ENGINE, openTestDb } from '../helpers/app.ts';
import { checkPlan } from '../helpers/plan.ts';

/**
 * Issue 17 item 5: the border reports of a post, a district and the province, newest first,
 * limit through an index before they join, over 200,000 reports (first page and next); the counts
 * read the maintained daily table through its key. The SQL builders are the endpoint's own.
 */
let db: Db;
let drop: () => Promise<void>;
const POST = '00000000-0000-4000-8000-000000000007';
// (care_facilities holds tens of rows a province: reading it whole for the join is fine)
const BIG = ['border_reports', 'border_daily_counts', 'sites'];
const SCOPES: Record<string, Scope> = {
  post: { level: 'site', provinceCode: '11', siteId: POST },
  district: { level: 'district', provinceCode: '11', districtCode: '095' },
  province: { level: 'province', provinceCode: '11' },
};

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  if (ENGINE !== 'postgres') return;
  await db.exec(`
    INSERT INTO sites (id, kind, name, province_code, district_code, commune_code)
      SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'border_post', 'Đồn ' || g,
             '11', '094', '03136'
        FROM generate_series(1, 20000) g;
    INSERT INTO border_reports (kind, site_id, province_code, district_code, commune_code, place,
        occurred_at, occurred_on, people_count, reported_by)
      SELECT (ARRAY['illegal_entry', 'handed_over', 'patrol'])[g % 3 + 1],
             ('00000000-0000-4000-8000-' || lpad((g % 40 + 1)::text, 12, '0'))::uuid, '11',
             (ARRAY['094', '095', '096', '097', '098'])[g % 5 + 1], '03136', 'Mốc ' || g,
             now() - g * interval '10 minutes', (now() - g * interval '10 minutes')::date, g % 4,
             '00000000-0000-4000-8000-000000000000'
        FROM generate_series(1, 200000) g;
    INSERT INTO border_daily_counts (province_code, district_code, day, kind, reports, people, foreigners)
      SELECT '11', lpad((90 + g % 500)::text, 3, '0'), current_date - (g / 500), 'illegal_entry', 1, 2, 1
        FROM generate_series(1, 200000) g ON CONFLICT DO NOTHING;
    ANALYZE sites; ANALYZE border_reports; ANALYZE border_daily_counts;`);
}, 300_000);
afterAll(() => drop?.());

describe.runIf(ENGINE === 'postgres')('border report plans', () => {
  const expectIndexed = async (sql: string, params: unknown[]) => {
    const { problems, plan } = await checkPlan(db, sql, params, { bigTables: BIG });
    expect(problems, plan).toEqual([]);
  };
  for (const [name, scope] of Object.entries(SCOPES))
    it(`the reports of a ${name}, newest first, first page and next`, async () => {
      let params: unknown[] = [];
      await expectIndexed(borderReportListSql(scope, params, null, 50), params);
      params = [];
      const after = [new Date(Date.now() - 86_400_000).toISOString(), POST];
      await expectIndexed(borderReportListSql(scope, params, after, 50), params);
    });
  it('the counts of a district over a month', async () => {
    const params: unknown[] = [];
    const to = new Date().toISOString().slice(0, 10);
    await expectIndexed(borderCountsSql(SCOPES.district!, params, '2021-01-01', to), params);
  });
});
