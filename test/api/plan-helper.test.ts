import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/index.ts';
import { cappedCount } from '../../src/server/paging.ts';
import { ENGINE, openTestDb } from '../helpers/app.ts';
import { checkPlan } from '../helpers/plan.ts';

/**
 * The plan-test helper itself: over a table big enough for the planner to care, a list with no
 * index to order by is caught (sequential scan, sort before the limit), and the same list with
 * its index passes. Every module's plan tests rest on this.
 */
let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  await db.exec(`
    CREATE TABLE plan_demo (id uuid PRIMARY KEY, commune_code text NOT NULL, at timestamptz NOT NULL);
    INSERT INTO plan_demo
      SELECT md5(g::text)::uuid, lpad((g % 300)::text, 5, '0'), now() - g * interval '1 minute'
      FROM generate_series(1, 200000) g;
    ANALYZE plan_demo;`);
});
afterAll(() => drop?.());

const LIST = `SELECT id, at FROM plan_demo WHERE commune_code = $1 ORDER BY at DESC, id DESC LIMIT 51`;

describe.runIf(ENGINE === 'postgres')('plan tests', () => {
  it('name the sequential scan and the sort of a list without its index', async () => {
    const { problems } = await checkPlan(db, LIST, ['00007'], { bigTables: ['plan_demo'] });
    expect(problems.join('; ')).toMatch(/sequential scan of plan_demo|sort of/);
  });

  it('pass once an index matches the filter and the ORDER BY', async () => {
    await db.exec('CREATE INDEX plan_demo_list ON plan_demo (commune_code, at DESC, id DESC)');
    await db.exec('ANALYZE plan_demo');
    const { problems, plan } = await checkPlan(db, LIST, ['00007'], { bigTables: ['plan_demo'] });
    expect(problems, plan).toEqual([]);
  });
});

describe('capped counts', () => {
  it('count up to the cap and say when there are more', async () => {
    expect(
      await cappedCount(db, 'FROM plan_demo WHERE commune_code = $1', ['00007'], 10_000),
    ).toEqual({ total: 667, capped: false });
    expect(await cappedCount(db, 'FROM plan_demo', [], 1000)).toEqual({
      total: 1000,
      capped: true,
    });
  });
});
