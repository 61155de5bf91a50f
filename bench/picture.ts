// Issue 12 (picture): levels for every commune of the country, the province dashboard and the
// public map, each beside the bare SQL doing the same work, from the maintained aggregates.
//   npx tsx bench/picture.ts --database-url postgres://postgres@127.0.0.1:5432/epiguard_bench_<branch> [--runs 50]
//   npx tsx bench/picture.ts --engine pglite --data-dir /tmp/epiguard-bench/<branch>
// Run bench/picture-cases.ts on the copy first so the aggregates hold 50,000 cases. Writes level
// drafts of the week and publishes the home province's (never run it on the shared data set).
// Function-level figures (the very functions the endpoints run), no HTTP.
import type { LevelRuleSet } from '../src/domain/levels.ts';
import { prepareDatabase } from '../src/server/bootstrap.ts';
import type { Queryable } from '../src/server/db/index.ts';
import { getUnit } from '../src/server/geo/units.ts';
import { careCapacitySource } from '../src/server/picture/capacity.ts';
import { curveSql, dashboardOf, dashboardSql } from '../src/server/picture/dashboard.ts';
import { computeLevels, computeProvinceLevels } from '../src/server/picture/levels.ts';
import { publicMap, publicMapSql } from '../src/server/picture/public-map.ts';
import { ruleSetsOfKind } from '../src/server/rulesets.ts';
import { addDays } from '../src/domain/dates.ts';
import {
  args,
  benchConfig,
  cpuDelta,
  cpuMs,
  fmt,
  loadAverage,
  machine,
  openBenchDb,
  refuseSharedDataSet,
  PROVINCE,
  summary,
} from './lib.ts';

const opts = args({
  runs: { type: 'string', default: '50' },
  'per-province': { type: 'boolean', default: false },
});
refuseSharedDataSet(opts);
const runs = Number(opts.runs);
const db = await openBenchDb(opts.engine, opts.databaseUrl, opts.dataDir);
await prepareDatabase(db, benchConfig(opts.engine, opts.databaseUrl, opts.dataDir));
const counts = await db.query<{ persons: number; cases: number }>(
  'SELECT (SELECT count(*) FROM persons)::int AS persons, (SELECT count(*) FROM cases)::int AS cases',
);
console.log(machine(), '| load', await loadAverage(), '|', opts.engine, counts[0]);
const sets = await ruleSetsOfKind<LevelRuleSet>(db, 'epidemic_level');
const date = '2021-11-21';
const timed = async <T>(f: () => Promise<T>) => {
  const t0 = performance.now();
  const r = await f();
  return { r, ms: performance.now() - t0 };
};
const ms = (x: Record<string, number>) =>
  Object.entries(x)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ');

if (opts['per-province']) {
  const provinces = await db.query<{ code: string }>(
    'SELECT code FROM admin_units WHERE level = 1 ORDER BY code',
  );
  const t = await timed(async () => {
    for (const p of provinces) await db.tx((q) => computeProvinceLevels(q, p.code, date, sets));
  });
  console.log(`levels, province by province: ${fmt(t.ms)} ms`);
}

// One province first (as a running server has: the code is compiled before the weekly job).
const one = await timed(() => db.tx((q) => computeProvinceLevels(q, PROVINCE, date, sets)));
console.log(`levels, province ${PROVINCE} (first call in the process): ${fmt(one.ms)} ms`);
// The whole country at once: a new week (no rows yet), then two recomputations of it.
await db.query(`DELETE FROM level_assessments WHERE week_end = $1::date`, [date]);
// CPU time beside the wall time: this process (JavaScript, and the embedded database) and the
// PostgreSQL backend of the transaction; on a shared machine the wall time is mostly waiting.
const withCpu = <T>(f: (q: Queryable) => Promise<T>) =>
  db.tx(async (q) => {
    const [b] =
      opts.engine === 'postgres'
        ? await q.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
        : [];
    const pg0 = b ? await cpuMs([b.pid]) : null;
    const c0 = process.cpuUsage();
    const r = await f(q);
    const c = process.cpuUsage(c0);
    const pg = b ? cpuDelta(pg0!, await cpuMs([b.pid])) : 0;
    return { r, cpu: { node: (c.user + c.system) / 1000, pg } };
  });
for (const kind of ['new week', 'recompute', 'recompute']) {
  const t = await timed(() => withCpu((q) => computeLevels(q, null, date, sets)));
  console.log(
    `levels, whole country, ${kind} (${t.r.r.assessed} units): ${fmt(t.ms)} ms [${ms(t.r.r.ms)}] CPU [${ms(t.r.cpu)}]`,
  );
}
// bare SQL: the same input reads, then writing as many rows with no rule applied (the
// week's rows copied into a new week through the same upsert), in one transaction
const bareReads: Record<string, string> = {
  units: `SELECT code, level, province_code, district_code, population FROM admin_units`,
  cases: `SELECT commune_code, sum(n)::int FROM case_daily WHERE day BETWEEN $1::date - 6 AND $1::date
           AND found_by = 'community' GROUP BY commune_code`,
  coverage: `SELECT commune_code, sum(one), sum(full_primary) FROM vaccination_commune_year GROUP BY commune_code`,
  capacity: `SELECT unit_code, met FROM unit_capacity_status`,
  previous: `SELECT unit_code, level FROM level_assessments WHERE week_end = $1::date - 7`,
};
const bareMs: Record<string, number> = {};
const bare = await timed(() =>
  withCpu(async (q) => {
    for (const [k, sql] of Object.entries(bareReads)) {
      const t = await timed(() => q.query(sql, sql.includes('$1') ? [date] : []));
      bareMs[k] = t.ms;
    }
    const w = await timed(() =>
      q.query(
        `INSERT INTO level_assessments (unit_code, unit_level, province_code, district_code, week_end,
                computed_level, level, inputs, rate, rule_set_id, rule_id)
         SELECT unit_code, unit_level, province_code, district_code, $1::date + 7, computed_level, level,
                inputs, rate, rule_set_id, rule_id FROM level_assessments WHERE week_end = $1::date
         ON CONFLICT (unit_code, week_end) DO UPDATE SET computed_level = EXCLUDED.computed_level,
           level = EXCLUDED.level, inputs = EXCLUDED.inputs, rate = EXCLUDED.rate, computed_at = now()`,
        [date],
      ),
    );
    bareMs.write = w.ms;
    await q.query(`DELETE FROM level_assessments WHERE week_end = $1::date + 7`, [date]);
  }),
);
console.log(
  `bare SQL (the input reads + an upsert of as many rows): ${fmt(bare.ms)} ms [${ms(bareMs)}] CPU [${ms(bare.r.cpu)}]`,
);

// The province publishes the week (the statement of POST /levels/publish) for the public map.
await db.query(
  `UPDATE level_assessments SET status = 'published', published_at = now()
    WHERE province_code = $1 AND week_end = $2::date AND status = 'draft'`,
  [PROVINCE, date],
);
const unit = (await getUnit(db, PROVINCE))!;
const d = dashboardSql(unit, addDays(date, -59), date);
const c = curveSql(unit, addDays(date, -59), date);
const series = { dashboard: [] as number[], dashSql: [] as number[], curveSql: [] as number[] };
const map = { api: [] as number[], sql: [] as number[] };
for (let i = 0; i < runs; i++) {
  series.dashboard.push(
    (await timed(() => dashboardOf(db, unit, date, 60, careCapacitySource))).ms,
  );
  series.dashSql.push((await timed(() => db.query(d.sql, d.params))).ms);
  series.curveSql.push((await timed(() => db.query(c.sql, c.params))).ms);
  map.api.push((await timed(() => publicMap(db, PROVINCE))).ms);
  map.sql.push((await timed(() => db.query(publicMapSql, [PROVINCE]))).ms);
}
const dash = await dashboardOf(db, unit, date, 60, careCapacitySource);
const m = await publicMap(db, PROVINCE);
console.log(
  `dashboard holds: ${dash.curve.reduce((s, r) => s + (r.total as number), 0)} cases in 60 days,`,
  `${dash.treatment.reduce((s, r) => s + r.n, 0)} under treatment, ${dash.subunits.length} districts;`,
  `public map: ${m.districts.length} districts, ${m.communes.length} communes, week ${m.weekEnd}`,
);
const line = (name: string, xs: number[]) => {
  const s = summary(xs);
  console.log(`${name}: p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms`);
};
line('dashboard of the province (60 days, with capacity)', series.dashboard);
line('  bare SQL: its one statement', series.dashSql);
line('  bare SQL: the curve alone', series.curveSql);
line('public map (uncached function)', map.api);
line('  bare SQL: its statement', map.sql);
console.log('load', await loadAverage());
await db.close();
