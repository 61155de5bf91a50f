// Issue 12 (picture): levels for every commune of the country, the province dashboard and the
// bare SQL of its curve, from the maintained aggregates.
//   npx tsx bench/picture.ts --database-url postgres://postgres@127.0.0.1:5432/epiguard_bench_picture [--runs 50]
// Function-level figures (the very functions the endpoints run), no HTTP.
import type { LevelRuleSet } from '../src/domain/levels.ts';
import { prepareDatabase } from '../src/server/bootstrap.ts';
import { getUnit } from '../src/server/geo/units.ts';
import { curveSql, dashboardOf } from '../src/server/picture/dashboard.ts';
import { noCapacitySource } from '../src/server/picture/capacity.ts';
import { computeLevels, computeProvinceLevels } from '../src/server/picture/levels.ts';
import { ruleSetsOfKind } from '../src/server/rulesets.ts';
import {
  args,
  benchConfig,
  fmt,
  loadAverage,
  machine,
  openBenchDb,
  PROVINCE,
  summary,
} from './lib.ts';

const opts = args({ runs: { type: 'string', default: '50' } });
const db = await openBenchDb(opts.engine, opts.databaseUrl, opts.dataDir);
await prepareDatabase(db, benchConfig(opts.engine, opts.databaseUrl, opts.dataDir));
const counts = await db.query<{ persons: number; cases: number }>(
  'SELECT (SELECT count(*) FROM persons)::int AS persons, (SELECT count(*) FROM cases)::int AS cases',
);
console.log(machine(), '| load', await loadAverage(), '|', opts.engine, counts[0]);
const sets = await ruleSetsOfKind<LevelRuleSet>(db, 'epidemic_level');
const date = '2021-11-21';
const provinces = await db.query<{ code: string }>(
  'SELECT code FROM admin_units WHERE level = 1 ORDER BY code',
);
let t0 = performance.now();
let assessed = 0;
for (const p of provinces)
  assessed += (await db.tx((q) => computeProvinceLevels(q, p.code, date, sets))).assessed;
const country = performance.now() - t0;
console.log(`levels, province by province (${assessed} units): ${fmt(country)} ms`);
// the whole country in one set-wise computation, three runs
for (let i = 0; i < 3; i++) {
  t0 = performance.now();
  const r = await db.tx((q) => computeLevels(q, null, date, sets));
  console.log(
    `levels, whole country at once (${r.assessed} units): ${fmt(performance.now() - t0)} ms`,
  );
}
// bare SQL doing the same reading and writing: the inputs, then an upsert of as many rows
t0 = performance.now();
await db.tx(async (q) => {
  await q.query(`SELECT code, level, province_code, district_code, population FROM admin_units`);
  await q.query(
    `SELECT commune_code, sum(n)::int FROM case_daily WHERE day BETWEEN $1::date - 6 AND $1::date
      AND found_by = 'community' GROUP BY commune_code`,
    [date],
  );
  await q.query(
    `SELECT commune_code, sum(one), sum(full_primary) FROM vaccination_commune_year GROUP BY commune_code`,
  );
  await q.query(`SELECT unit_code, met FROM unit_capacity_status`);
  await q.query(`SELECT unit_code, level FROM level_assessments WHERE week_end = $1::date - 7`, [
    date,
  ]);
  await q.query(
    `UPDATE level_assessments a SET computed_at = now(), inputs = a.inputs, steps = a.steps, explanation = a.explanation
      WHERE a.week_end = $1::date AND a.status = 'draft'`,
    [date],
  );
});
console.log(`bare SQL (inputs + rewrite of the week's rows): ${fmt(performance.now() - t0)} ms`);
t0 = performance.now();
await db.tx((q) => computeProvinceLevels(q, PROVINCE, date, sets));
console.log(`levels, province ${PROVINCE}: ${fmt(performance.now() - t0)} ms`);
const unit = (await getUnit(db, PROVINCE))!;
const [last] = await db.query<{ d: string }>(
  `SELECT to_char(coalesce(max(day), current_date), 'YYYY-MM-DD') AS d FROM case_daily WHERE province_code = $1`,
  [PROVINCE],
);
const dash: number[] = [];
const bare: number[] = [];
for (let i = 0; i < Number(opts.runs); i++) {
  let s = performance.now();
  await dashboardOf(db, unit, last!.d, 60, noCapacitySource);
  dash.push(performance.now() - s);
  const c = curveSql(unit, '2000-01-01', last!.d);
  s = performance.now();
  await db.query(c.sql, c.params);
  bare.push(performance.now() - s);
}
const ds = summary(dash);
const bs = summary(bare);
console.log(`dashboard (province, 60 days): p50 ${fmt(ds.p50)} ms, p95 ${fmt(ds.p95)} ms`);
console.log(`bare curve SQL (all days):    p50 ${fmt(bs.p50)} ms, p95 ${fmt(bs.p95)} ms`);
console.log('load', await loadAverage());
await db.close();
