import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopePredicate } from '../../src/server/context.ts';
import type { Db } from '../../src/server/db/index.ts';
import { violationListSql } from '../../src/server/enforcement/violations.ts';
import { holderListSql } from '../../src/server/supplies/holders.ts';
import { movementListSql } from '../../src/server/supplies/movements.ts';
import { unitAlertsSql } from '../../src/server/supplies/stock.ts';
import { ENGINE, openTestDb } from '../helpers/app.ts';
import { checkPlan } from '../helpers/plan.ts';
import { PLAN_ROWS, PLAN_SCOPES } from '../helpers/plan-data.ts';

/**
 * Issue 18: the lists of violations, holders and a holder's movements limit through an index
 * before any join, in every scope and with a cursor — over 200,000 violations and movements
 * (generate_series; references off for the fill), on PostgreSQL.
 */
let db: Db;
let drop: () => Promise<void>;
const HOLDERS = 20_000;
const BIG = { bigTables: ['violations', 'supply_movements', 'supply_holders', 'persons'] };
// the codes of test/helpers/plan-data.ts: 10 districts and 130 communes of province 11
const AREA = (g: string) =>
  `'11', lpad(((${g} % 130) % 10)::text, 5, '0'), lpad((${g} % 130)::text, 5, '0')`;

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  if (ENGINE !== 'postgres') return;
  await db.tx(async (q) => {
    await q.query('SET LOCAL session_replication_role = replica');
    await q.query(`INSERT INTO persons (id, full_name, search_name, birth_year, sex, province_code, district_code,
        commune_code, registered_province_code)
      SELECT md5('p' || g)::uuid, 'Người ' || g, 'nguoi ' || g, 1980, 'male', ${AREA('g')}, '11'
      FROM generate_series(1, ${PLAN_ROWS}) g`);
    await q.query(`INSERT INTO violations (client_id, person_id, type_code, ruleset_id, article, occurred_on,
        decision, fine_amount, explanation, province_code, district_code, commune_code)
      SELECT md5('v' || g)::uuid, md5('p' || g)::uuid, 'no_mask', 'r', 'a', date '2026-12-07' - g / 500, 'fine',
        2000000, '{}', ${AREA('g')}
      FROM generate_series(1, ${PLAN_ROWS}) g`);
    await q.query(`INSERT INTO supply_holders (id, kind, name, unit_code, province_code, district_code, commune_code)
      SELECT md5('h' || g)::uuid, 'unit', 'Kho ' || g, '11', ${AREA('g')} FROM generate_series(1, ${HOLDERS}) g`);
    await q.query(`INSERT INTO supply_movements (client_id, kind, item_code, holder_id, to_holder_id, quantity,
        delta, on_hand_after, occurred_on, province_code, district_code, commune_code, created_at)
      SELECT md5('m' || g)::uuid, CASE WHEN g % 5 = 0 THEN 'transfer' ELSE 'receipt' END, 'mask',
        md5('h' || g % ${HOLDERS})::uuid, CASE WHEN g % 5 = 0 THEN md5('h' || (g + 1) % ${HOLDERS})::uuid END,
        1, 1, g, date '2026-12-07', ${AREA('g')}, now() - g * interval '1 minute'
      FROM generate_series(1, ${PLAN_ROWS}) g`);
    // every holder keeps every item; about one row in twenty is under its item's minimum
    await q.query(`INSERT INTO supply_stock (holder_id, item_code, on_hand, province_code, district_code, commune_code, below_minimum)
      SELECT h.id, i.code, CASE WHEN hashtext(h.id::text || i.code) % 20 = 0 THEN i.default_minimum / 2 ELSE i.default_minimum + 1 END,
             h.province_code, h.district_code, h.commune_code, false
        FROM supply_holders h CROSS JOIN supply_items i`);
    await q.query(`UPDATE supply_stock s SET below_minimum = s.on_hand < i.default_minimum
      FROM supply_items i WHERE i.code = s.item_code`);
  });
  for (const t of ['persons', 'violations', 'supply_holders', 'supply_movements', 'supply_stock'])
    await db.query(`ANALYZE ${t}`);
}, 300_000);
afterAll(() => drop?.());

const scopes = Object.entries(PLAN_SCOPES).filter(([level]) =>
  ['province', 'district', 'commune'].includes(level),
);

describe.runIf(ENGINE === 'postgres')('supplies and enforcement list plans', () => {
  describe.each(scopes)('%s scope', (level, scope) => {
    it("a unit's stock alerts: the holders under their minimum, fewest first", async () => {
      const code =
        level === 'province'
          ? scope.provinceCode
          : level === 'district'
            ? scope.districtCode
            : scope.communeCode;
      const params: unknown[] = [];
      const sql = unitAlertsSql(
        `${level}_code` as 'province_code',
        scopePredicate(scope, params, 's'),
        params,
        code!,
      );
      const { problems, plan } = await checkPlan(db, sql, params, {
        bigTables: [...BIG.bigTables, 'supply_stock'],
      });
      expect(problems, plan).toEqual([]);
    });

    it('violations: newest first, with a cursor', async () => {
      for (const after of [null, ['2026-11-01', '00000000-0000-0000-0000-000000000000']]) {
        const params: unknown[] = [];
        const sql = violationListSql(scopePredicate(scope, params, 'v'), params, after, 50);
        const { problems, plan } = await checkPlan(db, sql, params, BIG);
        expect(problems, plan).toEqual([]);
      }
    });
    it('holders: by name, with a cursor', async () => {
      for (const after of [null, ['Kho 5', '00000000-0000-0000-0000-000000000000']]) {
        const params: unknown[] = [];
        const sql = holderListSql(scopePredicate(scope, params, 'h'), params, after, 50);
        const { problems, plan } = await checkPlan(db, sql, params, BIG);
        expect(problems, plan).toEqual([]);
      }
    });
  });

  it("a holder's movements (recorded at it and transferred in), with a cursor", async () => {
    for (const after of [
      null,
      ['2026-12-01 00:00:00+00', '00000000-0000-0000-0000-000000000000'],
    ]) {
      const params: unknown[] = [];
      const sql = movementListSql('5d41402a-bc4b-2a76-b971-9d911017c592', params, after, 50);
      const { problems, plan } = await checkPlan(db, sql, params, BIG);
      expect(problems, plan).toEqual([]);
    }
  });
});
