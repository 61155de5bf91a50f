import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/domain/access.ts';
import type { Db } from '../../src/server/db/index.ts';
import { caseListSql, orderListSql } from '../../src/server/cases/lists.ts';
import { FOLLOW_UP_SELECT } from '../../src/server/entry/followups.ts';
import { entryListSql, followUpListSql } from '../../src/server/entry/lists.ts';
import { auditListSql } from '../../src/server/audit/routes.ts';
import { searchPersonsSql } from '../../src/server/people/store.ts';
import type { ListSql } from '../../src/server/lists.ts';
import { ENGINE, openTestDb } from '../helpers/app.ts';
import { checkPlan } from '../helpers/plan.ts';
import { fillForPlans, PLAN_SCOPES, BIG_TABLES } from '../helpers/plan-data.ts';

/**
 * Plan tests of every list endpoint (issue 15.1): over 200k rows per big table, each list's own
 * SQL (the exported builder the endpoint runs) must order and limit through an index — no
 * sequential scan of a big table, no sort of more than a page. Dropping an index turns it red.
 */
let db: Db;
let drop: () => Promise<void>;
const PAGE = 51;
const TODAY = '2026-12-07';
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  if (ENGINE === 'postgres') await fillForPlans(db);
}, 300_000);
afterAll(() => drop?.());

async function expectIndexed(list: ListSql) {
  const { problems, plan } = await checkPlan(db, list.sql, list.params, { bigTables: BIG_TABLES });
  expect(problems, plan).toEqual([]);
}

const scopes = Object.entries(PLAN_SCOPES) as [string, Scope][];

describe.runIf(ENGINE === 'postgres')('list plans', () => {
  describe.each(scopes)('%s scope', (_level, scope) => {
    it('cases: newest first, every filter, with a cursor', async () => {
      const after = ['2026-11-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'];
      await expectIndexed(caseListSql(scope, {}, null, PAGE));
      await expectIndexed(caseListSql(scope, { status: 'open' }, after, PAGE));
      await expectIndexed(caseListSql(scope, { commune: '00007', status: 'hospital' }, null, PAGE));
      await expectIndexed(caseListSql(scope, { from: '2026-10-01', to: '2026-11-30' }, null, PAGE));
      await expectIndexed(
        caseListSql(scope, { cluster: '00000000-0000-4000-8000-000000000001' }, null, PAGE),
      );
    });

    it('entries: newest first, one day, with a cursor', async () => {
      const after = ['2026-11-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'];
      await expectIndexed(entryListSql(scope, {}, null, PAGE));
      await expectIndexed(entryListSql(scope, { date: '2026-11-20' }, after, PAGE));
    });

    it('persons: by name (with a birth year), document, phone, everyone, with a cursor', async () => {
      const name = { kind: 'name' as const, text: 'nguoi 12' };
      await expectIndexed(searchPersonsSql(scope, name, {}, null, PAGE));
      await expectIndexed(
        searchPersonsSql(
          scope,
          { ...name, birthYear: 1952 },
          {},
          ['nguoi 12', 'nguoi 12', '00000000-0000-4000-8000-000000000000'],
          PAGE,
        ),
      );
      await expectIndexed(
        searchPersonsSql(scope, { kind: 'id', idNumber: '000000012345' }, {}, null, PAGE),
      );
      await expectIndexed(
        searchPersonsSql(scope, { kind: 'phone', phone: '0900012345' }, {}, null, PAGE),
      );
      await expectIndexed(
        searchPersonsSql(
          scope,
          null,
          {},
          ['nguoi 5', '00000000-0000-4000-8000-000000000000'],
          PAGE,
        ),
      );
    });

    it('audit events: newest first, filtered, with a cursor', async () => {
      await expectIndexed(auditListSql(scope, {}, null, PAGE));
      await expectIndexed(
        auditListSql(scope, { action: 'persons', outcome: 'allowed' }, [150000], PAGE),
      );
      await expectIndexed(
        auditListSql(scope, { from: '2026-12-01', to: '2026-12-07' }, null, PAGE),
      );
    });

    it('quarantine orders: open, one status, all, of one case, with a cursor', async () => {
      const after = ['2026-12-01', '00000000-0000-4000-8000-000000000000'];
      await expectIndexed(orderListSql(scope, {}, null, PAGE));
      await expectIndexed(orderListSql(scope, { status: 'open', commune: '00007' }, after, PAGE));
      await expectIndexed(orderListSql(scope, { status: 'all' }, null, PAGE));
      await expectIndexed(orderListSql(scope, { status: 'completed' }, null, PAGE));
    });

    it('follow-ups: due today, overdue, open, all', async () => {
      // the endpoint's own select: persons, and the entry OR the F1 home order (issue 11 item 4)
      const select = FOLLOW_UP_SELECT;
      for (const due of ['today', 'overdue', 'open', 'all'] as const)
        await expectIndexed(followUpListSql(scope, { due, today: TODAY }, null, PAGE, select));
      await expectIndexed(
        followUpListSql(
          scope,
          { due: 'open', today: TODAY, commune: '00007' },
          ['2026-12-01', '00000000-0000-4000-8000-000000000000'],
          PAGE,
          select,
        ),
      );
    });
  });

  it('fail when the index a list relies on is dropped', async () => {
    const list = caseListSql(PLAN_SCOPES.district!, {}, null, PAGE);
    const rollback = new Error('rollback');
    const problems = await db
      .tx(async (q) => {
        await q.query('DROP INDEX cases_current_district');
        const r = await checkPlan(q, list.sql, list.params, { bigTables: BIG_TABLES });
        throw Object.assign(rollback, { problems: r.problems });
      })
      .catch((e: unknown) =>
        e === rollback ? (rollback as Error & { problems: string[] }).problems : Promise.reject(e),
      );
    expect(problems.join('; ')).toMatch(/sequential scan of cases|sort of/);
  });
});
