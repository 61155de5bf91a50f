// Issue 12: adds N cases (default 50,000) to a COPY of the province-sized data set, so the
// dashboard and the levels read aggregates that hold cases. The cases are inserted set-wise into
// `cases` with the columns `openCase` (src/server/cases/store.ts) writes, plus their 'opened'
// event; the maintained aggregates (case_daily, case_status_counts) are filled by the product's
// own triggers in the same transaction, as for a case opened through the API.
//   npx tsx bench/picture-cases.ts --database-url postgres://postgres@127.0.0.1:5432/epiguard_bench_<branch> [--cases 50000]
//   npx tsx bench/picture-cases.ts --engine pglite --data-dir /tmp/epiguard-bench/<branch>
// Never run it on the shared epiguard_bench / /tmp/epiguard-bench/pglite.
import { prepareDatabase } from '../src/server/bootstrap.ts';
import {
  args,
  benchConfig,
  fmt,
  loadAverage,
  machine,
  openBenchDb,
  refuseSharedDataSet,
  PROVINCE,
} from './lib.ts';

const opts = args({
  cases: { type: 'string', default: '50000' },
  'last-day': { type: 'string', default: '2021-11-21' },
  days: { type: 'string', default: '60' },
});
refuseSharedDataSet(opts);
const n = Number(opts.cases);
const db = await openBenchDb(opts.engine, opts.databaseUrl, opts.dataDir);
await prepareDatabase(db, benchConfig(opts.engine, opts.databaseUrl, opts.dataDir));
console.log(machine(), '| load', await loadAverage(), '|', opts.engine);
const [before] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases`);
if (before!.n >= n) {
  console.log(`already ${before!.n} cases: nothing to add`);
  await db.close();
  process.exit(0);
}
const t0 = performance.now();
await db.tx(async (q) => {
  // Persons of the province, one case each (one open case per person). Day, place of detection
  // and status are spread deterministically by row number: 60 % community, 20 % quarantine,
  // 10 % entry, 5 % imported, 5 % screening; a third recovered, the rest open in every status.
  await q.query(
    `WITH p AS (
       SELECT id, province_code, district_code, commune_code, village_id,
              row_number() OVER (ORDER BY id) AS i
         FROM persons WHERE province_code = $1 ORDER BY id LIMIT $2),
     c AS (
       SELECT p.*, ($3::date - (i % $4)::int) AS day,
              CASE WHEN i % 20 < 12 THEN 'community' WHEN i % 20 < 16 THEN 'quarantine'
                   WHEN i % 20 < 18 THEN 'entry' WHEN i % 20 = 18 THEN 'imported' ELSE 'screening' END AS found_by,
              CASE i % 6 WHEN 0 THEN 'recovered' WHEN 1 THEN 'recovered' WHEN 2 THEN 'home_isolation'
                         WHEN 3 THEN 'facility' WHEN 4 THEN 'hospital' ELSE 'unisolated' END AS status,
              (i % 3 + 1)::smallint AS tier
         FROM p),
     ins AS (
       INSERT INTO cases (code, person_id, province_code, district_code, commune_code, village_id,
              current_province_code, current_district_code, current_commune_code, positive_sample_at,
              found_by, decision, source, status, hospital_tier, isolated_at, closed_at,
              home_province_code, home_district_code, home_commune_code)
       SELECT 'F0-' || lpad(nextval('case_code_seq')::text, 6, '0'), id, province_code, district_code,
              commune_code, village_id, province_code, district_code, commune_code,
              (day + time '09:00') AT TIME ZONE 'Asia/Ho_Chi_Minh', found_by,
              jsonb_build_object('ruleSetId', 'bench', 'ruleId', 'bench',
                'explanation', jsonb_build_object('vi', 'Ca bệnh sinh cho đo hiệu năng',
                                                  'en', 'Case generated for the benchmark')),
              '{"kind":"manual"}'::jsonb, status, CASE WHEN status = 'hospital' THEN tier END,
              CASE WHEN status <> 'unisolated' THEN (day + time '12:00') AT TIME ZONE 'Asia/Ho_Chi_Minh' END,
              CASE WHEN status = 'recovered' THEN (day + 10 + time '12:00') AT TIME ZONE 'Asia/Ho_Chi_Minh' END,
              province_code, district_code, commune_code
         FROM c RETURNING id, found_by, positive_sample_at)
     INSERT INTO case_events (case_id, kind, at, data)
     SELECT id, 'opened', positive_sample_at,
            jsonb_build_object('foundBy', found_by, 'source', '{"kind":"manual"}'::jsonb)
       FROM ins`,
    [PROVINCE, n - before!.n, opts['last-day'], Number(opts.days)],
  );
});
const [after] = await db.query<{ cases: number; daily: number; open: number }>(
  `SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT sum(n) FROM case_daily)::int AS daily,
          (SELECT sum(n) FROM case_status_counts WHERE status NOT IN ('recovered', 'died'))::int AS open`,
);
console.log(`added cases in ${fmt(performance.now() - t0)} ms:`, after);
for (const t of ['cases', 'case_daily', 'case_status_counts', 'case_events'])
  await db.query(`ANALYZE ${t}`);
await db.close();
