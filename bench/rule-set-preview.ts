// Issue 18, item 5: the preview of a new arrival rule version over last week's arrivals.
// Creates its own PostgreSQL database (dropped after), fills `--week` classified arrivals in the
// last 7 days and `--older` before them (generate_series), then times the preview (classifying
// each arrival again with the candidate) beside the bare SQL reading the same chunks.
//   npx tsx bench/rule-set-preview.ts [--week 50000] [--older 500000] [--runs 5]
import pg from 'pg';
import { addDays, dateOfInstant, startOfDayInstant } from '../src/domain/dates.ts';
import { RULESET_CV8399 } from '../src/domain/rulesets.ts';
import { openPostgres } from '../src/server/db/index.ts';
import { prepareDatabase } from '../src/server/bootstrap.ts';
import {
  PREVIEW_CHUNK,
  previewArrivals,
  previewChunkSql,
} from '../src/server/rule-admin/preview.ts';
import { args, benchConfig, fmt, loadAverage, machine, PG_ADMIN_URL, summary } from './lib.ts';

const o = args({
  week: { type: 'string', default: '50000' },
  older: { type: 'string', default: '500000' },
  runs: { type: 'string', default: '5' },
});
const week = Number(o.week);
const older = Number(o.older);
const runs = Number(o.runs);
const name = `epiguard_bench_rulesets_${process.pid}`;
const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = `postgres://postgres@127.0.0.1:5432/${name}`;
const db = await openPostgres(url, 4);
try {
  await prepareDatabase(db, benchConfig('postgres', url, ''));
  const today = dateOfInstant(Date.now());
  const startToday = startOfDayInstant(today);
  const n = week + older;
  // Arrival g: within the last 7 days for g ≤ week (evenly), before them otherwise.
  const at = `CASE WHEN g <= ${week} THEN to_timestamp(${startToday / 1000}) - (g * (7 * 86400.0 / ${week})) * interval '1 second'
    ELSE to_timestamp(${startToday / 1000}) - interval '8 days' - g * interval '30 seconds' END`;
  console.log(`filling ${n} arrivals…`);
  await db.tx(async (q) => {
    await q.query('SET LOCAL session_replication_role = replica');
    await q.query(`INSERT INTO declarations (id, code, person_id, person_snapshot, travel_mode,
        from_province_code, province_code, district_code, commune_code, travel_date, exposure, vaccination, valid_until)
      SELECT md5('d' || g)::uuid, lpad(g::text, 8, '0'), md5('p' || g)::uuid, '{}', 'coach',
        CASE WHEN g % 3 = 0 THEN '01' ELSE '79' END, '11', '094', '03136', date '${today}', '{}',
        jsonb_build_object('doses', g % 3), date '${addDays(today, 14)}'
      FROM generate_series(1, ${n}) g`);
    await q.query(`INSERT INTO entries (id, client_id, site_id, province_code, district_code, commune_code,
        person_id, declaration_id, direction, at, entry_date, recorded_by, action, ruleset_id, rule_id)
      SELECT md5('e' || g)::uuid, md5('ec' || g)::uuid, md5('site' || g % 20)::uuid, '11', '094', '03136',
        md5('p' || g)::uuid, md5('d' || g)::uuid, 'in', ${at}, ((${at}) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
        md5('u')::uuid, 'none', '${RULESET_CV8399.id}', 'r'
      FROM generate_series(1, ${n}) g`);
    await q.query(
      `INSERT INTO epidemic_areas (province_code, level, valid_from) VALUES ('01', 3, date '${addDays(today, -30)}')`,
    );
  });
  await db.query('ANALYZE entries');
  await db.query('ANALYZE declarations');
  const candidate = structuredClone(RULESET_CV8399);
  candidate.rules.find((r) => r.id === 'cv8399-unvaccinated')!.then.action = 'home_quarantine';

  const bare = async () => {
    let cursor = [new Date(startToday).toISOString(), 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
    for (;;) {
      const rows = await db.query<{ id: string; at: Date }>(previewChunkSql, [
        '11',
        new Date(startOfDayInstant(addDays(today, -7))).toISOString(),
        new Date(startToday).toISOString(),
        cursor[0],
        cursor[1],
        PREVIEW_CHUNK,
      ]);
      const last = rows.at(-1);
      if (!last || rows.length < PREVIEW_CHUNK) return;
      cursor = [new Date(last.at).toISOString(), last.id];
    }
  };
  const time = async (fn: () => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await fn();
      ms.push(performance.now() - t0);
    }
    return summary(ms);
  };
  await previewArrivals(db, candidate, '11', today); // warm the caches (units, areas)
  const before = await loadAverage();
  const p = await time(() => previewArrivals(db, candidate, '11', today));
  const b = await time(bare);
  const last = await previewArrivals(db, candidate, '11', today);
  console.log(machine(), `load ${before} → ${await loadAverage()}`);
  console.log(`${week} arrivals last week, ${older} before; tally`, JSON.stringify(last.tally));
  console.log(last.sentences.map((s) => s.en).join('\n'));
  console.log(`| preview (classify again, n=${runs}) | ${fmt(p.p50)} | ${fmt(p.p95)} |`);
  console.log(`| bare SQL, same chunks (n=${runs}) | ${fmt(b.p50)} | ${fmt(b.p95)} |`);
} finally {
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
