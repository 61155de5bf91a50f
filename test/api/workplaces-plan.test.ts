import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopePredicate } from '../../src/server/context.ts';
import type { Db } from '../../src/server/db/index.ts';
import { overdueListSql, riskListSql } from '../../src/server/workplaces/store.ts';
import { ENGINE, openTestDb } from '../helpers/app.ts';
import { checkPlan } from '../helpers/plan.ts';
import { PLAN_ROWS, PLAN_SCOPES } from '../helpers/plan-data.ts';

/**
 * Issue 18 item 4: the risk list and the overdue list of workplaces choose their page through
 * the unit's index (workplaces_risk_* / workplaces_due_*) before joining sites and units — in the
 * province, district and commune scopes, with and without a cursor — over 200,000 workplaces
 * (generate_series; references off for the fill), on PostgreSQL.
 */
let db: Db;
let drop: () => Promise<void>;
const BIG = { bigTables: ['workplaces', 'sites'] };
const AREA = (g: string) =>
  `'11', lpad(((${g} % 130) % 10)::text, 5, '0'), lpad((${g} % 130)::text, 5, '0')`;

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  if (ENGINE !== 'postgres') return;
  await db.tx(async (q) => {
    await q.query('SET LOCAL session_replication_role = replica');
    await q.query(`INSERT INTO sites (id, kind, name, province_code, district_code, commune_code)
      SELECT md5('s' || g)::uuid, 'enterprise', 'Công ty ' || g, ${AREA('g')} FROM generate_series(1, ${PLAN_ROWS}) g`);
    await q.query(`INSERT INTO workplaces (site_id, kind, workforce, province_code, district_code, commune_code,
        registered_on, assessment_due_on, screening_due_on, risk_rank, outbreak)
      SELECT md5('s' || g)::uuid, 'factory', 100 + g % 900, ${AREA('g')}, date '2026-11-01',
        date '2026-12-07' - (g % 40), date '2026-12-07' - (g % 37) + 10, g % 6, g % 6 = 5
      FROM generate_series(1, ${PLAN_ROWS}) g`);
  });
  for (const t of ['sites', 'workplaces']) await db.query(`ANALYZE ${t}`);
}, 300_000);
afterAll(() => drop?.());

const scopes = Object.entries(PLAN_SCOPES).filter(([level]) =>
  ['province', 'district', 'commune'].includes(level),
);

describe.runIf(ENGINE === 'postgres')('workplace list plans', () => {
  describe.each(scopes)('%s scope', (_level, scope) => {
    it('the risk list: outbreaks and the worst first, with a cursor', async () => {
      for (const after of [null, [3, '00000000-0000-0000-0000-000000000000']]) {
        const params: unknown[] = [];
        const sql = riskListSql(scopePredicate(scope, params, 'w'), params, after, 50);
        const { problems, plan } = await checkPlan(db, sql, params, BIG);
        expect(problems, plan).toEqual([]);
      }
    });
    it('the overdue list: the longest overdue first, with a cursor', async () => {
      for (const after of [null, ['2026-11-20', '00000000-0000-0000-0000-000000000000']]) {
        const params: unknown[] = [];
        const sql = overdueListSql(
          scopePredicate(scope, params, 'w'),
          params,
          '2026-12-07',
          after,
          50,
        );
        const { problems, plan } = await checkPlan(db, sql, params, BIG);
        expect(problems, plan).toEqual([]);
      }
    });
  });
});
