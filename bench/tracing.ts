// P2: F1 + F2 candidates for one F0 over a 14-day window, at province size.
//   npx tsx bench/tracing.ts --engine postgres|pglite [--events 10000000] [--samples 200]
//     [--persons 1000000] [--skip-load]
// Data: `--events` co-presence rows over 60 days (2021-07-01 … 2021-08-29) in the presence table
// for `--persons` people (on PostgreSQL the generated province's persons, bench/generate.ts; on
// PGlite a folder of its own with synthetic person ids), seeded:
//   venue 45 %    3,000 markets / shops, visits of 15–90 min between 06:00 and 20:00
//   workplace 30 % 20,000 workplaces × 3 shifts of 8 h; each person has one workplace and shift
//   checkpoint 10 % passages at 32 checkpoints (points in time; the queue window decides)
//   vehicle 10 %  trips of 8 passengers on 20,000 plates
//   lodging 5 %   stays of 12–72 h at 300 lodgings
// Measured, for `--samples` random F0 with presences in the window (the last 14 days):
// 1. the API's read work: findF1 over the window, then findF2 for every F1 from its first
//    exposure to the end of the window (src/server/cases/finder.ts, the same functions the
//    GET /cases/:id/contacts handler runs), one F0 at a time;
// 2. a bare SQL self-join doing the F1 part (same place, start ≤ F0 end + 10 min, end ≥ F0 start
//    − 10 min; no per-source window, no lower bound on the other's start).
import type { Db } from '../src/server/db/index.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { findF1, findF2 } from '../src/server/cases/finder.ts';
import { refreshContacts } from '../src/server/cases/tracing.ts';
import { RULESET_TRACING_2021 } from '../src/domain/tracing.ts';
import { args, fmt, loadAverage, machine, openBenchDb, Rng, summary } from './lib.ts';

const opt = args({
  events: { type: 'string' },
  persons: { type: 'string', default: '1000000' },
  samples: { type: 'string', default: '200' },
  'skip-load': { type: 'boolean', default: false },
});
const ENGINE = opt.engine;
const EVENTS = Number(opt.events ?? (ENGINE === 'postgres' ? 10_000_000 : 1_000_000));
const PERSONS = Number(opt.persons);
const SAMPLES = Number(opt.samples);
const T0 = '2021-07-01T00:00:00+07:00';
const DAYS = 60;
const WINDOW_FROM = new Date(Date.parse(T0) + (DAYS - 14) * 86_400_000);
const WINDOW_TO = new Date(Date.parse(T0) + DAYS * 86_400_000);
const dataDir = ENGINE === 'pglite' ? '/tmp/epiguard-bench/pglite-tracing' : opt.dataDir;

const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

/** The schema this code expects (the generated database is migrated forward). */
async function ensureSchema(db: Db) {
  await migrate(db);
}

async function load(db: Db) {
  const realPersons =
    ENGINE === 'postgres' &&
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM persons'))[0]!.n >= PERSONS;
  log(
    `loading ${EVENTS.toLocaleString('en')} presences for ${PERSONS.toLocaleString('en')} ${realPersons ? 'persons of the generated province' : 'synthetic person ids'}`,
  );
  await db.exec(`TRUNCATE presence;
    DROP INDEX IF EXISTS presence_place; DROP INDEX IF EXISTS presence_person; DROP INDEX IF EXISTS presence_ref;
    DROP TABLE IF EXISTS bench_pix;`);
  if (realPersons) {
    await db.exec(`CREATE TABLE bench_pix AS SELECT (row_number() OVER (ORDER BY id))::int AS ix, id FROM persons
        WHERE merged_into IS NULL LIMIT ${PERSONS};
      CREATE UNIQUE INDEX ON bench_pix (ix);`);
  } else {
    await db.exec(`CREATE TABLE bench_pix AS SELECT ix, md5('p' || ix)::uuid AS id FROM generate_series(1, ${PERSONS}) ix;
      CREATE UNIQUE INDEX ON bench_pix (ix);`);
  }
  const t0 = `'${T0}'::timestamptz`;
  const parts: [string, number, (from: number, to: number) => string][] = [
    [
      'venue',
      0.45,
      (a, b) => `INSERT INTO presence (person_id, place_key, start_at, end_at, source, label)
        SELECT p.id, g.k, g.s, g.s + make_interval(mins => g.d), 'venue', NULL FROM (
          SELECT 1 + floor(random() * ${PERSONS})::int AS ix, 'venue:b' || floor(random() * 3000)::int AS k,
                 ${t0} + make_interval(days => floor(random() * ${DAYS})::int, mins => 360 + floor(random() * 840)::int) AS s,
                 15 + floor(random() * 76)::int AS d
            FROM generate_series(${a}, ${b})) g JOIN bench_pix p ON p.ix = g.ix`,
    ],
    [
      'workplace',
      0.3,
      (a, b) => `INSERT INTO presence (person_id, place_key, start_at, end_at, source)
        SELECT p.id, 'venue:w' || (g.ix % 20000) || ':ca' || ((g.ix / 20000) % 3), g.s, g.s + interval '8 hours', 'workplace' FROM (
          SELECT ix, ${t0} + make_interval(days => floor(random() * ${DAYS})::int, hours => 6 + 8 * ((ix / 20000) % 3)) AS s
            FROM (SELECT 1 + floor(random() * ${PERSONS})::int AS ix FROM generate_series(${a}, ${b})) r) g
        JOIN bench_pix p ON p.ix = g.ix`,
    ],
    [
      'checkpoint',
      0.1,
      (a, b) => `INSERT INTO presence (person_id, place_key, start_at, end_at, source)
        SELECT p.id, g.k, g.s, g.s, 'checkpoint' FROM (
          SELECT 1 + floor(random() * ${PERSONS})::int AS ix, 'checkpoint:c' || floor(random() * 32)::int AS k,
                 ${t0} + make_interval(mins => floor(random() * ${DAYS * 1440})::int) AS s
            FROM generate_series(${a}, ${b})) g JOIN bench_pix p ON p.ix = g.ix`,
    ],
    [
      'vehicle',
      0.1,
      (a, b) => `INSERT INTO presence (person_id, place_key, start_at, end_at, source)
        SELECT p.id, 'vehicle:P' || ((g.n / 8) % 20000), g.s, g.s, 'vehicle' FROM (
          SELECT n, 1 + floor(random() * ${PERSONS})::int AS ix,
                 ${t0} + make_interval(mins => (((n / 8) * 2654435761) % ${DAYS * 1440})::int + (n % 8)::int) AS s
            FROM generate_series(${a}::bigint, ${b}::bigint) n) g JOIN bench_pix p ON p.ix = g.ix`,
    ],
    [
      'lodging',
      0.05,
      (a, b) => `INSERT INTO presence (person_id, place_key, start_at, end_at, source)
        SELECT p.id, g.k, g.s, g.s + make_interval(hours => g.h), 'lodging' FROM (
          SELECT 1 + floor(random() * ${PERSONS})::int AS ix, 'lodging:l' || floor(random() * 300)::int AS k,
                 ${t0} + make_interval(mins => floor(random() * ${DAYS * 1440})::int) AS s, 12 + floor(random() * 61)::int AS h
            FROM generate_series(${a}, ${b})) g JOIN bench_pix p ON p.ix = g.ix`,
    ],
  ];
  const started = performance.now();
  await db.query(`SELECT setseed(${(opt.seed % 1000) / 1000})`);
  const BATCH = 1_000_000;
  for (const [name, share, sql] of parts) {
    const n = Math.round(EVENTS * share);
    for (let a = 1; a <= n; a += BATCH) await db.exec(sql(a, Math.min(n, a + BATCH - 1)));
    log(`  ${name}: ${n.toLocaleString('en')} rows`);
  }
  log(`  rows in ${fmt((performance.now() - started) / 1000)} s; building indexes`);
  await db.exec(`CREATE INDEX presence_place ON presence (place_key, start_at) INCLUDE (end_at, person_id, masked);
    CREATE INDEX presence_person ON presence (person_id, start_at);
    CREATE INDEX presence_ref ON presence (ref_id) WHERE ref_id IS NOT NULL;`);
  await db.exec('VACUUM ANALYZE presence');
  log(`  loaded in ${fmt((performance.now() - started) / 1000)} s`);
}

async function main() {
  const db = await openBenchDb(ENGINE, opt.databaseUrl, dataDir, 4);
  await ensureSchema(db);
  if (!opt['skip-load']) await load(db);
  const { n, size } = (
    await db.query<{ n: number; size: string }>(
      `SELECT count(*)::int AS n, pg_size_pretty(pg_total_relation_size('presence')) AS size FROM presence`,
    )
  )[0]!;
  log(`presence: ${n.toLocaleString('en')} rows, ${size} with indexes`);

  // F0: random people with at least one presence in the window (seeded).
  const rng = new Rng(opt.seed);
  const pool = await db.query<{ person_id: string }>(
    `SELECT DISTINCT person_id FROM presence WHERE id % 97 = 0 AND start_at >= $1 AND start_at < $2 LIMIT 20000`,
    [WINDOW_FROM.toISOString(), WINDOW_TO.toISOString()],
  );
  const f0s: string[] = [];
  while (f0s.length < SAMPLES && pool.length) {
    const i = Math.floor(rng.next() * pool.length);
    f0s.push(pool[i]!.person_id);
    pool.splice(i, 1);
  }
  const rules = RULESET_TRACING_2021;
  const from = WINDOW_FROM.getTime();
  const to = WINDOW_TO.getTime();
  // warm-up: 10 F0 not counted
  for (const p of f0s.slice(0, 10)) await findF1(db, p, from, to, rules);

  const api: number[] = [];
  const f1Only: number[] = [];
  let f1Count = 0;
  let f2Count = 0;
  for (const p of f0s) {
    const t0 = performance.now();
    const f1 = await findF1(db, p, from, to, rules);
    const t1 = performance.now();
    const f2 = await findF2(
      db,
      p,
      f1.map((c) => ({ personId: c.personId, from: c.firstExposureAt, to })),
      rules,
    );
    api.push(performance.now() - t0);
    f1Only.push(t1 - t0);
    f1Count += f1.length;
    f2Count += f2.length;
  }
  // The whole work of GET /cases/:id/contacts?depth=2 (find + store the candidates), for F0s
  // that are persons of the database (PostgreSQL run), in a transaction rolled back each time.
  const refresh: number[] = [];
  const realIds = await db.query<{ id: string }>(
    'SELECT id FROM persons WHERE id = ANY ($1::uuid[])',
    [f0s.slice(0, 50)],
  );
  class Rollback extends Error {}
  for (const { id } of realIds) {
    try {
      await db.tx(async (q) => {
        const c = await q.query<{
          id: string;
          province_code: string;
          district_code: string;
          commune_code: string;
        }>(
          `INSERT INTO cases (code, person_id, province_code, district_code, commune_code, current_province_code,
             current_district_code, current_commune_code, home_province_code, home_district_code, home_commune_code,
             positive_sample_at, found_by, decision, source, isolated_at)
           SELECT 'BENCH-' || p.id, p.id, p.province_code, p.district_code, p.commune_code, p.province_code, p.district_code,
                  p.commune_code, p.province_code, p.district_code, p.commune_code, $2::timestamptz - interval '1 day', 'community', '{}', '{}', $2
             FROM persons p WHERE p.id = $1
           RETURNING id, province_code, district_code, commune_code`,
          [id, WINDOW_TO.toISOString()],
        );
        const t0 = performance.now();
        await refreshContacts(
          q,
          {
            ...c[0]!,
            person_id: id,
            // asymptomatic, sampled so that the 14-day window ends at isolation
            positive_sample_at: new Date(WINDOW_FROM.getTime() + 2 * 86_400_000),
            onset_date: null,
            isolated_at: WINDOW_TO,
          },
          2,
          WINDOW_TO.getTime(),
        );
        refresh.push(performance.now() - t0);
        throw new Rollback();
      });
    } catch (err) {
      if (!(err instanceof Rollback)) throw err;
    }
  }
  const bare: number[] = [];
  let bareCount = 0;
  const BARE = `SELECT DISTINCT o.person_id FROM presence f JOIN presence o ON o.place_key = f.place_key
      AND o.start_at <= f.end_at + interval '10 minutes' AND o.end_at >= f.start_at - interval '10 minutes'
      AND o.person_id <> f.person_id
    WHERE f.person_id = $1 AND f.start_at < $3 AND f.end_at >= $2`;
  for (const p of f0s) {
    const t0 = performance.now();
    const r = await db.query(BARE, [p, WINDOW_FROM.toISOString(), WINDOW_TO.toISOString()]);
    bare.push(performance.now() - t0);
    bareCount += r.length;
  }
  const plan = await db.query<Record<string, string>>(
    `EXPLAIN (ANALYZE, BUFFERS) ${BARE.replace(/\$1/, `'${f0s[0]}'`).replace('$2', `'${WINDOW_FROM.toISOString()}'`).replace('$3', `'${WINDOW_TO.toISOString()}'`)}`,
  );
  const show = (name: string, ms: number[]) => {
    const s = summary(ms);
    console.log(
      `| ${name} | ${fmt(s.p50, 2)} | ${fmt(s.p95, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.max, 2)} |`,
    );
  };
  console.log(`\ntracing P2: ${ENGINE}; ${machine()}; load average ${await loadAverage()}`);
  console.log(
    `${n.toLocaleString('en')} presences, ${f0s.length} F0 over the 14-day window ${WINDOW_FROM.toISOString().slice(0, 10)} … ${WINDOW_TO.toISOString().slice(0, 10)}; mean ${fmt(f1Count / f0s.length)} F1 and ${fmt(f2Count / f0s.length)} F2 candidates per F0; bare self-join mean ${fmt(bareCount / f0s.length)} people`,
  );
  console.log('| measurement (ms) | p50 | p95 | p99 | max |\n|---|---|---|---|---|');
  show('F1 + F2 candidates (findF1 + findF2, as the API)', api);
  show('of which F1 (findF1)', f1Only);
  show('bare SQL self-join, F1 only', bare);
  if (refresh.length)
    show(`find + store (refreshContacts, ${refresh.length} F0, rolled back)`, refresh);
  console.log(
    '\nbare self-join plan (first F0):\n' + plan.map((r) => Object.values(r)[0]).join('\n'),
  );
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
