/**
 * Community teams (issue 18 item 2): a team's task list with 181,261 households and 2,161 teams
 * (three people a household: 543,783 people; one in five followed up, one in two treated once
 * and one in forty still, one in ten unvaccinated), filled set-wise with generate_series
 * (test/helpers/teams-data.ts, the plan test's fill); then GET /api/v1/teams/:id/tasks for
 * random teams (in-process, fastify inject) beside the bare SQL of the list, on a database of
 * its own:
 *   npx tsx bench/teams.ts --engine postgres --database-url postgres://postgres@127.0.0.1:5432/epiguard_bench_teams18
 */
import { buildApp } from '../src/server/app.ts';
import { prepareDatabase } from '../src/server/bootstrap.ts';
import { teamTaskListSql, teamWeekDoneSql } from '../src/server/teams/task-sql.ts';
import { taskArgs } from '../src/server/teams/tasks.ts';
import { fillTeams, TEAMS_TODAY } from '../test/helpers/teams-data.ts';
import {
  args,
  benchConfig,
  provinceSession,
  fmt,
  loadAverage,
  machine,
  openBenchDb,
  refuseSharedDataSet,
  Rng,
  summary,
} from './lib.ts';

const o = args({
  households: { type: 'string', default: '181261' },
  teams: { type: 'string', default: '2161' },
  runs: { type: 'string', default: '300' },
});
const HOUSEHOLDS = Number(o.households);
const TEAMS = Number(o.teams);
const RUNS = Number(o.runs);
refuseSharedDataSet(o);
const db = await openBenchDb(o.engine, o.databaseUrl, o.dataDir);
const config = benchConfig(o.engine, o.databaseUrl, o.dataDir);
await prepareDatabase(db, config);
const app = await buildApp({ db, config, logger: false });
await app.ready();
const tinh = await provinceSession(app, 'to');

const have = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM community_teams'))[0]!
  .n;
let fillMs = 0;
if (have < TEAMS) {
  const t0 = performance.now();
  await fillTeams(db, { households: HOUSEHOLDS, teams: TEAMS, perHousehold: 3 });
  fillMs = performance.now() - t0;
}
const sizes = await db.query<{ t: string; n: number }>(
  `SELECT 'teams' AS t, count(*)::int AS n FROM community_teams UNION ALL
   SELECT 'team households', count(*)::int FROM community_team_households UNION ALL
   SELECT 'people', count(*)::int FROM persons UNION ALL
   SELECT 'follow-ups', count(*)::int FROM follow_ups UNION ALL
   SELECT 'treatments', count(*)::int FROM care_treatments UNION ALL
   SELECT 'vaccination status', count(*)::int FROM vaccination_status`,
);
const teamIds = (
  await db.query<{ id: string }>('SELECT id::text FROM community_teams ORDER BY id')
).map((r) => r.id);

const load = await loadAverage();
const rng = new Rng(18);
const api: number[] = [];
const bare: number[] = [];
const report: number[] = [];
let tasks = 0;
for (let i = 0; i < RUNS + 10; i++) {
  const team = teamIds[Math.floor(rng.next() * teamIds.length)]!;
  const t0 = performance.now();
  const r = await app.inject({
    method: 'GET',
    url: `/api/v1/teams/${team}/tasks?date=${TEAMS_TODAY}&limit=50`,
    headers: { cookie: tinh },
  });
  const t1 = performance.now();
  if (r.statusCode !== 200) throw new Error(r.body);
  const q = teamTaskListSql(taskArgs(team, TEAMS_TODAY), null, 51);
  await db.query(q.sql, q.params);
  const t2 = performance.now();
  const w = teamWeekDoneSql(team, {
    from: '2026-12-07',
    to: '2026-12-14',
    fromInstant: '2026-12-06T17:00:00Z',
    toInstant: '2026-12-13T17:00:00Z',
  });
  await db.query(w.sql, w.params);
  const t3 = performance.now();
  if (i >= 10) {
    api.push(t1 - t0);
    bare.push(t2 - t1);
    report.push(t3 - t2);
    tasks += (r.json() as { items: unknown[] }).items.length;
  }
}
const a = summary(api);
const b = summary(bare);
const c = summary(report);
console.log(`\n${o.engine}, ${machine()}, load average ${load} → ${await loadAverage()}`);
console.log(sizes.map((s) => `${s.t}: ${s.n.toLocaleString('en-US')}`).join(', '));
if (fillMs) console.log(`fill: ${fmt(fillMs / 1000)} s`);
console.log(`tasks per page (mean): ${fmt(tasks / RUNS)}`);
console.log(
  `\n| Read (${RUNS} random teams) | p50 / p95 |\n|---|---|\n| GET /api/v1/teams/:id/tasks (API) | ${fmt(a.p50)} / ${fmt(a.p95)} ms |\n| the list's bare SQL | ${fmt(b.p50)} / ${fmt(b.p95)} ms |\n| the weekly report's done SQL | ${fmt(c.p50)} / ${fmt(c.p95)} ms |`,
);
await app.close();
await db.close();
