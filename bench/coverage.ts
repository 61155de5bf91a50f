// P8 (coverage): vaccination coverage for all communes of a province with 1,000,000 vaccinated
// persons, target ≤ 2 s.
//   flock /tmp/epiguard-bench.lock npx tsx bench/coverage.ts [--runs 20] [--port 18097] [--skip-http]
// PostgreSQL only: the generated `epiguard_bench` (1,000,000 persons, bench/generate.ts) is
// copied to `epiguard_bench_vacc` (the generated database is not touched) and migrated to the
// current schema; every person gets 1–3 doses (seeded by a hash of the id: 100 % ≥ 1 dose,
// ~85 % two, ~30 % a booster) as vaccination_doses rows, and vaccination_status is built from
// them set-wise (checked against the domain's vaccinationState on a sample). Then:
// 1. raw: coverageOf() — the function GET /api/v1/coverage runs — for the province (all 129
//    communes, 10 districts, 4 age groups), `--runs` times; EXPLAIN ANALYZE of its scan;
// 2. http: GET /api/v1/coverage?unit=11 as the province user against `epiguard start` in a
//    separate process, `--runs` times.
import pg from 'pg';
import { ageOn, DEFAULT_VACCINE_SCHEDULES, vaccinationState } from '../src/domain/vaccination.ts';
import { prepareDatabase } from '../src/server/bootstrap.ts';
import { openPostgres } from '../src/server/db/index.ts';
import { getUnit } from '../src/server/geo/units.ts';
import { coverageOf } from '../src/server/vaccination/coverage.ts';
import {
  args,
  BENCH_DB,
  benchConfig,
  fmt,
  httpClient,
  loadAverage,
  login,
  machine,
  PG_ADMIN_URL,
  PROVINCE,
  startServer,
  summary,
} from './lib.ts';
import { readFile } from 'node:fs/promises';

const opts = args({
  runs: { type: 'string', default: '20' },
  port: { type: 'string', default: '18097' },
  'skip-http': { type: 'boolean', default: false },
  'keep-copy': { type: 'boolean', default: false },
});
const RUNS = Number(opts.runs);
const DB = `${BENCH_DB}_vacc`;
const log = (...a: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const AS_OF = '2022-06-01';

async function main() {
  console.log(`machine: ${machine()}; load ${await loadAverage()}`);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB])).rowCount;
  const url = new URL(PG_ADMIN_URL);
  url.pathname = '/' + DB;
  let fresh = false;
  if (!exists || !opts['keep-copy']) {
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    const t0 = performance.now();
    await admin.query(`CREATE DATABASE ${DB} TEMPLATE ${BENCH_DB}`);
    log(`copied ${BENCH_DB} → ${DB} in ${fmt((performance.now() - t0) / 1000)} s`);
    fresh = true;
  }
  await admin.end();
  const db = await openPostgres(url.toString(), 4);
  if (fresh) {
    // The generated database may carry drafts of migrations still being written: in this copy
    // only, drop what they made and apply the current ones.
    for (const f of ['0005_cases_tracing.sql', '0006_testing.sql', '0007_vaccination.sql']) {
      const sql = await readFile(new URL(`../migrations/${f}`, import.meta.url), 'utf8');
      for (const [, kind, name] of sql.matchAll(/^CREATE (TABLE|SEQUENCE|FUNCTION) (\w+)/gm))
        await db.exec(`DROP ${kind} IF EXISTS ${name} CASCADE`);
      await db.query('DELETE FROM schema_migrations WHERE name = $1', [f.replace('.sql', '')]);
    }
    await db.exec("DELETE FROM rule_sets WHERE kind IN ('f0_definition', 'vaccine_schedule')");
    await prepareDatabase(db, benchConfig('postgres', url.toString(), ''));
    log('migrated');
    let t0 = performance.now();
    await db.exec(`
      INSERT INTO vaccination_doses (person_id, product, dose_number, kind, given_on, province_code,
          district_code, commune_code, village_id, rule_set_id, rule_id, explanation)
      SELECT p.id, CASE WHEN k.n = 3 THEN 'spikevax' ELSE 'comirnaty' END, k.n,
             CASE WHEN k.n = 3 THEN 'booster' ELSE 'primary' END,
             CASE k.n WHEN 1 THEN h.d1 WHEN 2 THEN h.d1 + 28 ELSE (h.d1 + 28 + interval '6 months')::date END,
             p.registered_province_code, p.district_code, p.commune_code, p.village_id,
             'vn-vaccine-2021-09', 'bench', '{"vi":"bench","en":"bench"}'::jsonb
        FROM persons p
        CROSS JOIN LATERAL (SELECT abs(hashtext(p.id::text)) % 100 AS r,
                                   '2021-09-01'::date + abs(hashtext(p.id::text || 'd')) % 60 AS d1) h
        CROSS JOIN LATERAL generate_series(1, 1 + (h.r < 85)::int + (h.r < 30)::int) AS k(n)
       WHERE p.merged_into IS NULL`);
    log(`dose rows inserted in ${fmt((performance.now() - t0) / 1000)} s`);
    t0 = performance.now();
    await db.exec(`
      INSERT INTO vaccination_status (person_id, province_code, res_province_code, district_code, commune_code,
          village_id, birth_year, doses, first_dose_on, last_dose_on, primary_complete_on, booster_doses,
          next_kind, next_dose_number, next_earliest, next_due, next_latest, rule_set_id)
      SELECT p.id, p.registered_province_code, p.province_code, p.district_code, p.commune_code, p.village_id,
             p.birth_year, d.n, d.first, d.last, CASE WHEN d.n >= 2 THEN d.second END, greatest(d.n - 2, 0),
             CASE d.n WHEN 1 THEN 'primary' WHEN 2 THEN 'booster' END,
             CASE WHEN d.n < 3 THEN d.n + 1 END,
             CASE d.n WHEN 1 THEN d.first + 21 WHEN 2 THEN (d.last + interval '3 months')::date END,
             CASE d.n WHEN 1 THEN d.first + 21 WHEN 2 THEN (d.last + interval '3 months')::date END,
             CASE d.n WHEN 1 THEN d.first + 21 END,
             'vn-vaccine-2022-01'
        FROM (SELECT person_id, count(*)::int AS n, min(given_on) AS first, max(given_on) AS last,
                     min(given_on) FILTER (WHERE dose_number = 2) AS second
                FROM vaccination_doses GROUP BY person_id) d
        JOIN persons p ON p.id = d.person_id`);
    log(`vaccination_status built in ${fmt((performance.now() - t0) / 1000)} s`);
    await db.exec('VACUUM ANALYZE vaccination_doses');
    await db.exec('VACUUM ANALYZE vaccination_status');
  }
  const counts = (
    await db.query<{
      persons: number;
      doses: number;
      status: number;
      full: number;
      boosted: number;
    }>(
      `SELECT (SELECT count(*)::int FROM persons) AS persons, (SELECT count(*)::int FROM vaccination_doses) AS doses,
              (SELECT count(*)::int FROM vaccination_status) AS status,
              (SELECT count(primary_complete_on)::int FROM vaccination_status) AS full,
              (SELECT count(*)::int FROM vaccination_status WHERE booster_doses > 0) AS boosted`,
    )
  )[0]!;
  console.log('data:', JSON.stringify(counts));

  // The set-wise status agrees with the domain on a sample (ages of today; the booster due date
  // follows the schedule in force on AS_OF).
  const sample = await db.query<{
    person_id: string;
    birth_date: string | null;
    birth_year: number;
    doses: number;
    primary_complete_on: string | null;
    booster_doses: number;
  }>(
    `SELECT s.person_id, p.birth_date::text AS birth_date, p.birth_year, s.doses,
            s.primary_complete_on::text AS primary_complete_on, s.booster_doses
       FROM vaccination_status s JOIN persons p ON p.id = s.person_id ORDER BY s.person_id LIMIT 300`,
  );
  let mismatches = 0;
  for (const s of sample) {
    const doses = await db.query<{ product: string; date: string }>(
      'SELECT product, given_on::text AS date FROM vaccination_doses WHERE person_id = $1 ORDER BY given_on',
      [s.person_id],
    );
    const st = vaccinationState(
      DEFAULT_VACCINE_SCHEDULES,
      doses,
      AS_OF,
      ageOn(s.birth_date, s.birth_year, AS_OF),
    );
    if (
      st.dosesGiven !== s.doses ||
      st.primaryCompleteOn !== s.primary_complete_on ||
      st.boosterDoses !== s.booster_doses
    )
      mismatches++;
  }
  console.log(`status vs domain on ${sample.length} persons: ${mismatches} mismatches`);

  const unit = (await getUnit(db, PROVINCE))!;
  const times: number[] = [];
  let result: Awaited<ReturnType<typeof coverageOf>> | null = null;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = await coverageOf(db, unit, AS_OF);
    times.push(performance.now() - t0);
  }
  const s = summary(times);
  console.log(
    `raw coverageOf(province ${PROVINCE}): ${result!.communes.length} communes, ${result!.districts.length} districts; ` +
      `p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, max ${fmt(s.max)} ms (n=${s.n})`,
  );
  console.log(
    'province total:',
    JSON.stringify(result!.total.all),
    '18+:',
    JSON.stringify(result!.total.byAge['18+']),
  );
  const plan = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) SELECT commune_code, birth_year, count(*)::int AS one, count(primary_complete_on)::int AS full,
            count(*) FILTER (WHERE booster_doses > 0)::int AS booster
       FROM vaccination_status WHERE res_province_code = $1 AND ($2::text[] IS NULL OR commune_code = ANY($2::text[]))
      GROUP BY commune_code, birth_year`,
    [PROVINCE, null],
  );
  console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
  await db.close();

  if (!opts['skip-http']) {
    const server = await startServer({
      engine: 'postgres',
      databaseUrl: url.toString(),
      dataDir: '',
      port: Number(opts.port),
    });
    try {
      const client = httpClient(server.url, 1);
      const cookie = await login(client, 'bench.tinh');
      const http: number[] = [];
      let bytes = 0;
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const r = await client.request(
          'GET',
          `/api/v1/coverage?unit=${PROVINCE}&asOf=${AS_OF}`,
          undefined,
          cookie,
        );
        http.push(performance.now() - t0);
        if (r.status !== 200) throw new Error(`coverage: ${r.status} ${r.body.slice(0, 300)}`);
        bytes = r.body.length;
      }
      const h = summary(http);
      console.log(
        `http GET /api/v1/coverage?unit=${PROVINCE}: p50 ${fmt(h.p50)} ms, p95 ${fmt(h.p95)} ms, max ${fmt(h.max)} ms (n=${h.n}, ${fmt(bytes / 1024)} KiB)`,
      );
    } finally {
      await server.stop();
    }
  }
  console.log(`load after: ${await loadAverage()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
