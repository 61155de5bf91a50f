import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/index.ts';
import { curveSql, dashboardSql } from '../../src/server/picture/dashboard.ts';
import { historySql, levelsListSql } from '../../src/server/picture/levels.ts';
import { publicMapSql } from '../../src/server/picture/public-map.ts';
import { ENGINE, openTestDb } from '../helpers/app.ts';
import { checkPlan } from '../helpers/plan.ts';

/**
 * The lists and the curve of the picture run the very SQL of their endpoints over tables big
 * enough for the planner to care (~230k assessments: every unit of the country for 20 weeks;
 * ~300k case_daily rows), and limit through an index.
 */
let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  if (ENGINE !== 'postgres') return;
  await db.exec(`
    INSERT INTO level_assessments (unit_code, unit_level, province_code, district_code, week_end,
        computed_level, level, inputs, rate, rule_set_id, rule_id, steps, explanation, status)
    SELECT u.code, u.level, u.province_code, CASE WHEN u.level = 2 THEN u.code ELSE u.district_code END,
           date '2021-10-17' + 7 * w, 1 + (w % 4), 1 + (w % 4), '{}', 0, 'level-4800-2021', 'x', '[]', '{}',
           CASE WHEN w < 19 THEN 'published' ELSE 'draft' END
      FROM admin_units u, generate_series(0, 19) w;
    INSERT INTO case_daily (commune_code, district_code, province_code, day, found_by, n)
    SELECT u.code, u.district_code, u.province_code, date '2021-06-01' + d, 'community', 1
      FROM admin_units u, generate_series(0, 29) d WHERE u.level = 3;
    ANALYZE level_assessments; ANALYZE case_daily;`);
}, 120_000);
afterAll(() => drop?.());

const rules = { bigTables: ['level_assessments', 'case_daily'] };
const unit = (code: string, level: number) => ({ code, level, province_code: '11' });

describe.runIf(ENGINE === 'postgres')('plans of the picture', () => {
  it.each([
    ['the province', unit('11', 1)],
    ['a district', unit('094', 2)],
    ['a commune', unit('03136', 3)],
  ])('levels of %s for a week, paged by code', async (_, u) => {
    const { sql, params } = levelsListSql(u, '2021-11-14', null, 50);
    const { problems, plan } = await checkPlan(db, sql, params, rules);
    expect(problems, plan).toEqual([]);
    const after = levelsListSql(u, '2021-11-14', '03100', 50);
    const second = await checkPlan(db, after.sql, after.params, rules);
    expect(second.problems, second.plan).toEqual([]);
  });

  it("a unit's history, newest first", async () => {
    const { sql, params } = historySql('03136', '2022-01-01', 50);
    const { problems, plan } = await checkPlan(db, sql, params, rules);
    expect(problems, plan).toEqual([]);
  });

  it.each([
    ['the province', { code: '11', level: 1 }],
    ['a district', { code: '094', level: 2 }],
    ['a commune', { code: '03136', level: 3 }],
  ])('the curve of %s', async (_, u) => {
    const { sql, params } = curveSql(u, '2021-06-01', '2021-06-30');
    const { problems, plan } = await checkPlan(db, sql, params, rules);
    expect(problems, plan).toEqual([]);
  });

  it.each([
    ['the province', { code: '11', level: 1, province_code: '11' }],
    ['a district', { code: '094', level: 2, province_code: '11' }],
    ['a commune', { code: '03136', level: 3, province_code: '11' }],
  ])('the whole dashboard of %s in one statement', async (_, u) => {
    const { sql, params } = dashboardSql(u, '2021-06-01', '2021-06-30');
    const { problems, plan } = await checkPlan(db, sql, params, rules);
    expect(problems, plan).toEqual([]);
  });

  it("the public map: the province's latest published week", async () => {
    const { problems, plan } = await checkPlan(db, publicMapSql, ['11'], rules);
    expect(problems, plan).toEqual([]);
  });
});
