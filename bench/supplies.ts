/**
 * Supplies (issue 18 item 1): stock per unit for the province with 1,000,000 movements in the
 * ledger. 2,000 holders (province, 10 districts, 130 communes and facilities) × 11 items; the
 * ledger, the maintained stock rows and 30 days of use filled set-wise with generate_series;
 * then GET /api/v1/supplies/stock?unit=… (in-process, fastify inject) beside the bare SQL of its
 * roll-up, on a database of its own:
 *   npx tsx bench/supplies.ts --engine postgres --database-url postgres://postgres@127.0.0.1:5432/epiguard_bench_supplies
 */
import { addDays } from '../src/domain/dates.ts';
import { buildApp } from '../src/server/app.ts';
import { todayVn } from '../src/server/care/common.ts';
import { prepareDatabase } from '../src/server/bootstrap.ts';
import { scopePredicate } from '../src/server/context.ts';
import {
  subUnitStockSql,
  unitAlertsSql,
  unitStockSql,
  unitUsageSql,
} from '../src/server/supplies/stock.ts';
import { rebuildUnitStock } from '../src/server/supplies/unit-stock.ts';
import {
  args,
  benchConfig,
  provinceSession,
  fmt,
  loadAverage,
  machine,
  openBenchDb,
  summary,
} from './lib.ts';

const o = args({
  movements: { type: 'string', default: '1000000' },
  runs: { type: 'string', default: '200' },
});
const MOVEMENTS = Number(o.movements);
const RUNS = Number(o.runs);
const HOLDERS = 2_000;
const db = await openBenchDb(o.engine, o.databaseUrl, o.dataDir);
const config = benchConfig(o.engine, o.databaseUrl, o.dataDir);
await prepareDatabase(db, config);
const app = await buildApp({ db, config, logger: false });
await app.ready();
const tinh = await provinceSession(app, 'vattu');

const have = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM supply_movements'))[0]!
  .n;
let fillMs = 0;
if (have < MOVEMENTS) {
  const t0 = performance.now();
  await db.tx(async (q) => {
    await q.query('TRUNCATE supply_usage_daily, supply_movements, supply_stock, supply_holders');
    // holders: the province, its districts and communes, then facilities spread over the communes
    await q.query(`CREATE TEMP TABLE bench_units ON COMMIT DROP AS
      SELECT row_number() OVER (ORDER BY level, code) AS n, code, level, province_code, district_code
        FROM admin_units WHERE province_code = '11'`);
    await q.query(`INSERT INTO supply_holders (id, kind, name, unit_code, province_code, district_code, commune_code)
      SELECT md5('h' || g)::uuid, CASE WHEN g <= (SELECT count(*) FROM bench_units) THEN 'unit' ELSE 'facility' END,
             'Kho ' || g, u.code, '11',
             CASE u.level WHEN 1 THEN NULL WHEN 2 THEN u.code ELSE u.district_code END,
             CASE WHEN u.level = 3 THEN u.code END
        FROM generate_series(1, ${HOLDERS}) g
        JOIN bench_units u ON u.n = CASE WHEN g <= (SELECT count(*) FROM bench_units) THEN g
                                    ELSE 12 + g % ((SELECT count(*) FROM bench_units) - 11) END`);
    await q.query(`INSERT INTO supply_movements (client_id, kind, item_code, holder_id, quantity, delta, on_hand_after,
        occurred_on, province_code, district_code, commune_code, created_at)
      SELECT md5('m' || g)::uuid, CASE WHEN g % 3 = 0 THEN 'issue' ELSE 'receipt' END, i.code, h.id, 1 + g % 50,
             CASE WHEN g % 3 = 0 THEN -(1 + g % 50) ELSE 1 + g % 50 END, 0,
             current_date - (g % 90), h.province_code, h.district_code, h.commune_code,
             now() - (g % 90) * interval '1 day'
        FROM generate_series(1, ${MOVEMENTS}) g
        JOIN supply_holders h ON h.id = md5('h' || (1 + g % ${HOLDERS}))::uuid
        JOIN (SELECT code, row_number() OVER (ORDER BY code) - 1 AS k FROM supply_items) i ON i.k = g % 11`);
    await q.query(`INSERT INTO supply_stock (holder_id, item_code, on_hand, province_code, district_code, commune_code)
      SELECT holder_id, item_code, greatest(sum(delta), 0), min(province_code), min(district_code), min(commune_code)
        FROM supply_movements GROUP BY holder_id, item_code`);
    await q.query(`INSERT INTO supply_usage_daily (holder_id, item_code, day, issued, province_code, district_code, commune_code)
      SELECT holder_id, item_code, occurred_on, sum(quantity), min(province_code), min(district_code), min(commune_code)
        FROM supply_movements WHERE kind = 'issue' AND occurred_on > current_date - 30
       GROUP BY holder_id, item_code, occurred_on`);
    await rebuildUnitStock(q);
  });
  for (const t of [
    'supply_holders',
    'supply_movements',
    'supply_stock',
    'supply_usage_daily',
    'supply_unit_stock',
    'supply_unit_usage_daily',
  ])
    await db.query(`ANALYZE ${t}`);
  fillMs = performance.now() - t0;
}
const sizes = await db.query<{ t: string; n: number }>(
  `SELECT 'movements' AS t, count(*)::int AS n FROM supply_movements UNION ALL
   SELECT 'stock rows', count(*)::int FROM supply_stock UNION ALL
   SELECT 'usage rows', count(*)::int FROM supply_usage_daily UNION ALL
   SELECT 'holders', count(*)::int FROM supply_holders`,
);

const load = await loadAverage();
const rows: string[] = [];
for (const unit of ['11', '094']) {
  const column = unit.length === 2 ? 'province_code' : 'district_code';
  const api: number[] = [];
  const bare: number[] = [];
  const old: number[] = [];
  for (let i = 0; i < RUNS + 10; i++) {
    const t0 = performance.now();
    const r = await app.inject({
      method: 'GET',
      url: `/api/v1/supplies/stock?unit=${unit}`,
      headers: { cookie: tinh },
    });
    const t1 = performance.now();
    if (r.statusCode !== 200) throw new Error(r.body);
    // the same work in bare SQL: the endpoint's queries, run the same way (in parallel)
    const params: unknown[] = [];
    const scope = scopePredicate({ level: 'province', provinceCode: '11' }, params, 's');
    await Promise.all([
      db.query('SELECT * FROM supply_items ORDER BY category, code'),
      db.query(unitAlertsSql(column, scope, params, unit), params),
      db.query(unitStockSql, [unit]),
      db.query(unitUsageSql, [unit, addDays(todayVn(), -7), todayVn()]),
      db.query(subUnitStockSql, [unit]),
    ]);
    const t2 = performance.now();
    // what the roll-up cost before migration 0026: every holder's stock row of the unit
    await db.query(
      `SELECT item_code, sum(on_hand)::bigint, count(*)::int FROM supply_stock WHERE ${column} = $1 GROUP BY item_code`,
      [unit],
    );
    const t3 = performance.now();
    if (i >= 10) {
      api.push(t1 - t0);
      bare.push(t2 - t1);
      old.push(t3 - t2);
    }
  }
  const a = summary(api);
  const b = summary(bare);
  const c = summary(old);
  rows.push(
    `| stock of ${unit === '11' ? 'the province (11)' : 'a district (094)'} | ${fmt(a.p50)} / ${fmt(a.p95)} ms | ${fmt(b.p50)} / ${fmt(b.p95)} ms | ${fmt(c.p50)} / ${fmt(c.p95)} ms |`,
  );
}
console.log(`\n${o.engine}, ${machine()}, load average ${load} → ${await loadAverage()}`);
console.log(sizes.map((s) => `${s.t}: ${s.n.toLocaleString('en-US')}`).join(', '));
if (fillMs) console.log(`fill: ${fmt(fillMs / 1000)} s`);
console.log(
  `\n| Read (${RUNS} runs each) | API p50 / p95 | bare SQL of the endpoint p50 / p95 | holders' roll-up (before 0026) p50 / p95 |\n|---|---|---|---|`,
);
console.log(rows.join('\n'));
await app.close();
