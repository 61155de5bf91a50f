import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LevelRuleSet } from '../../src/domain/levels.ts';
import { lastWeekEnd, weeklyLevels } from '../../src/server/picture/levels-job.ts';
import { computeLevels } from '../../src/server/picture/levels.ts';
import { ruleSetsOfKind } from '../../src/server/rulesets.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Levels of the whole country in one set-wise pass: the same inputs and level per unit as a
 * province's own computation, from the maintained aggregates; the words are derived on reading.
 */
const A = '03136'; // Phường Mường Thanh, Điện Biên (11)
const H = '00001'; // Phường Phúc Xá, Hà Nội (01)
const DATE = '2021-11-21';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
let sets: LevelRuleSet[];

beforeAll(async () => {
  t = await startTestApp();
  sets = await ruleSetsOfKind<LevelRuleSet>(t.db, 'epidemic_level');
  // the maintained aggregates as the cases and doses keep them
  await t.db.query(
    `INSERT INTO case_daily (commune_code, district_code, province_code, day, found_by, n)
     SELECT code, district_code, province_code, $1::date, 'community', 9 FROM admin_units WHERE code = $2
     UNION ALL
     SELECT code, district_code, province_code, $1::date - 3, 'community', 40 FROM admin_units WHERE code = $3
     UNION ALL
     SELECT code, district_code, province_code, $1::date - 8, 'community', 500 FROM admin_units WHERE code = $3`,
    [DATE, A, H],
  );
  await t.db.query(
    `INSERT INTO vaccination_commune_year (res_province_code, district_code, commune_code, birth_year, one, full_primary, booster)
     SELECT province_code, district_code, code, 1970, 9000, 8000, 0 FROM admin_units WHERE code IN ($1, $2)`,
    [A, H],
  );
}, 120_000);
afterAll(() => t?.close());

describe(`levels of the whole country on ${ENGINE}`, () => {
  it('one pass gives every unit, each as its province computes it', async () => {
    const units = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM admin_units WHERE population > 0',
    );
    const country = await t.db.tx((q) => computeLevels(q, null, DATE, sets));
    expect(country.assessed).toBe(units[0]!.n);
    const read = async () =>
      t.db.query<Json>(
        `SELECT unit_code, level, rate::float AS rate, inputs, rule_id FROM level_assessments
          WHERE week_end = $1 AND unit_code = ANY($2::text[]) ORDER BY unit_code`,
        [DATE, [A, H, '01', '11', '094']],
      );
    const once = await read();
    const h = once.find((r) => r.unit_code === H)!;
    expect(h.inputs.cases7d).toBe(40); // 8 days ago is outside the week
    const hn = once.find((r) => r.unit_code === '01')!;
    expect(hn.inputs.cases7d).toBe(40);
    expect(once.find((r) => r.unit_code === '11')!.inputs.cases7d).toBe(9);
    expect(once.find((r) => r.unit_code === '094')!.inputs.cases7d).toBe(9);
    expect(h.inputs.cov18OneDose).toBeGreaterThan(0);
    // every input is stored with its JSON type (sent to the database as typed columns)
    expect(Object.keys(h.inputs).sort()).toEqual(
      [
        'capacityMet',
        'capacitySource',
        'cases7d',
        'cov18OneDose',
        'coverageAsOf',
        'elderlyFull',
        'population',
        'populationFull',
        'previous',
      ].sort(),
    );
    expect(typeof h.inputs.population).toBe('number');
    expect(typeof h.inputs.capacityMet).toBe('boolean');
    expect(h.inputs.coverageAsOf).toBe(DATE);
    // the province's own computation gives the same rows
    await t.db.tx((q) => computeLevels(q, '11', DATE, sets));
    await t.db.tx((q) => computeLevels(q, '01', DATE, sets));
    const strip = (rows: Json[]) =>
      rows.map(({ inputs, ...r }) => ({ ...r, inputs: { ...inputs } }));
    expect(strip(await read())).toEqual(strip(once));
  }, 120_000);

  it('the words of a level computed in bulk are derived on reading', async () => {
    const admin = await t.login('admin');
    const u = await t.as(admin, 'POST', '/api/v1/users', {
      username: 'country.tinh',
      fullName: 'Cán bộ tỉnh',
      password: 'password-123',
      role: 'province',
      jurisdiction: { level: 'province', unitCode: '11' },
    });
    expect(u.statusCode, u.body).toBe(201);
    const tinh = await t.login('country.tinh', 'password-123');
    const r = await t.as(tinh, 'GET', `/api/v1/levels?unit=${A}&date=${DATE}`);
    expect(r.statusCode, r.body).toBe(200);
    const a = r.json().items[0] as Json;
    expect(a.steps.length).toBeGreaterThan(1);
    expect(a.explanation.vi).toContain('9 ca mắc mới trong cộng đồng trong 7 ngày');
    expect(a.rule.text.vi).toBeTruthy();
    const stored = await t.db.query<Json>(
      'SELECT steps, explanation FROM level_assessments WHERE unit_code = $1 AND week_end = $2',
      [A, DATE],
    );
    expect(stored[0]).toEqual({ steps: null, explanation: null });
  });

  it('the weekly job computes the last whole week once, for every unit', async () => {
    expect(lastWeekEnd('2021-11-28')).toBe('2021-11-28'); // a Sunday
    expect(lastWeekEnd('2021-11-27')).toBe('2021-11-21');
    // on Sunday 28/11 the week is not over: the job takes the week ending 21/11, already there
    expect(await weeklyLevels(t.db, '11', sets, '2021-11-28')).toBeNull();
    const units = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM admin_units WHERE population > 0',
    );
    const run = await weeklyLevels(t.db, '11', sets, '2021-11-29');
    expect(run).toMatchObject({ week: '2021-11-28', assessed: units[0]!.n });
    expect(await weeklyLevels(t.db, '11', sets, '2021-12-01')).toBeNull();
  }, 120_000);
});
