/**
 * Quarantine and treatment (issue 11) at the size of seed 000: 36 facilities holding 13,845
 * people and 10,000 F0 at home; measures an admission with room placement, a reading to a
 * visible alert, the district's monitoring list and the capacity board, each beside the bare
 * SQL doing the same read. In-process (fastify inject), on a database of its own:
 *   npx tsx bench/care.ts --engine postgres --database-url postgres://postgres@127.0.0.1:5432/epiguard_bench_care
 *   npx tsx bench/care.ts --engine pglite --data-dir /tmp/epiguard-bench/care
 */
import { buildApp } from '../src/server/app.ts';
import { prepareDatabase } from '../src/server/bootstrap.ts';
import { treatmentListSql } from '../src/server/care/treatments.ts';
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

const A = '03136';
const o = args({});
const db = await openBenchDb(o.engine, o.databaseUrl, o.dataDir);
const config = benchConfig(o.engine, o.databaseUrl, o.dataDir);
await prepareDatabase(db, config);
const app = await buildApp({ db, config, logger: false });
await app.ready();
const call = async (cookie: string | null, method: string, url: string, body?: unknown) => {
  const r = await app.inject({
    method: method as 'GET',
    url,
    headers: cookie ? { cookie } : {},
    ...(body ? { payload: body as object } : {}),
  });
  if (r.statusCode >= 400) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
  return r.json();
};
const tinh = await provinceSession(app, 'tinh');
const stamp = Date.now().toString(36);
const time = async <T>(fn: () => Promise<T>) => {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v] as const;
};

// --- fill: 36 facilities × 100 rooms × 4 beds; 13,845 occupants; 10,000 F0 at home ----------
const districts = (
  await db.query<{ code: string }>(
    `SELECT code FROM admin_units WHERE level = 2 AND province_code = '11' ORDER BY code`,
  )
).map((d) => d.code);
const communes = await db.query<{ code: string; district_code: string }>(
  `SELECT code, district_code FROM admin_units WHERE level = 3 AND province_code = '11' ORDER BY code`,
);
const facilityIds: string[] = [];
for (let i = 0; i < 36; i++) {
  const c = communes[(i * 7) % communes.length]!;
  const f = await call(tinh, 'POST', '/api/v1/facilities', {
    kind: i < 30 ? 'quarantine' : 'tier2',
    name: `Khu ${i + 1}`,
    communeCode: i === 0 ? A : c.code,
    rooms: Array.from({ length: 100 }, (_, r) => ({
      name: `P${r + 1}`,
      ordinary: 4,
      ...(i >= 30 ? { oxygen: 1, icu: 1 } : {}),
    })),
    ventilators: 5,
    oxygenCylinders: 50,
    oxygenUseLitresPerDay: 20_000,
  });
  facilityIds.push(f.id);
}
await db.tx(async (q) => {
  await q.query(`SET LOCAL session_replication_role = replica`);
  await q.query(`
    INSERT INTO care_admissions (person_id, facility_id, room_id, bed_id, province_code, district_code, commune_code, site_id,
        purpose, source, is_f0, cohort_key, admitted_on, release_on, ruleset_id, rule_id, placement)
      SELECT gen_random_uuid(), f.id, b.room_id, b.id, f.province_code, f.district_code, f.commune_code, f.site_id, 'quarantine',
             'manual', false, 'case:' || b.room_id, current_date - 3, current_date + 11, 'care-placement-2021-05-05', 'empty_room', '{}'::jsonb
        FROM (SELECT b.*, row_number() OVER (PARTITION BY b.facility_id ORDER BY r.name, b.label) rn
                FROM care_beds b JOIN care_rooms r ON r.id = b.room_id WHERE b.kind = 'ordinary') b
        JOIN care_facilities f ON f.id = b.facility_id WHERE b.rn <= 385 ORDER BY b.rn, b.facility_id LIMIT 13845`);
  await q.query(
    `UPDATE care_beds b SET admission_id = a.id FROM care_admissions a WHERE a.bed_id = b.id`,
  );
  await q.query(`UPDATE care_rooms r SET occupied = s.n, free_ordinary = free_ordinary - s.n, cohort_key = 'case:' || r.id, is_f0 = false,
      first_admitted_on = current_date - 3 FROM (SELECT room_id, count(*)::int n FROM care_admissions GROUP BY room_id) s WHERE s.room_id = r.id`);
  await q.query(
    `UPDATE care_facilities f SET beds_occupied = s.n FROM (SELECT facility_id, count(*)::int n FROM care_admissions GROUP BY facility_id) s WHERE s.facility_id = f.id`,
  );
  await q.query(`
    INSERT INTO care_treatments (case_id, person_id, province_code, district_code, commune_code, tier, started_on, age_years,
        ruleset_id, rule_id, explanation, next_reading_due)
      SELECT gen_random_uuid(), gen_random_uuid(), '11', c.district_code, c.code, 'home', current_date - 2, 30, 'f0-home-qd4038-2021-08-21',
             'home', '{}'::jsonb, now() + (g % 720) * interval '1 minute'
        FROM generate_series(1, 10000) g JOIN LATERAL (SELECT * FROM admin_units u WHERE u.level = 3 AND u.province_code = '11'
             ORDER BY u.code OFFSET (g % 129) LIMIT 1) c ON true`);
  await q.query(`INSERT INTO care_commune_counts (commune_code, district_code, province_code, home)
      SELECT commune_code, min(district_code), '11', count(*)::int FROM care_treatments GROUP BY commune_code
      ON CONFLICT (commune_code) DO UPDATE SET home = care_commune_counts.home + EXCLUDED.home`);
});
if (o.engine === 'postgres') await db.query('ANALYZE');

// real people and F0 for the timed requests
const people: string[] = [];
for (let i = 0; i < 240; i++)
  people.push(
    (
      await call(tinh, 'POST', '/api/v1/persons', {
        fullName: `Người Thử ${i}`,
        birthYear: 1980 + (i % 30),
        sex: 'male',
        address: { communeCode: A },
      })
    ).id,
  );
const cases: string[] = [];
for (const p of people.slice(200)) {
  const c = await call(tinh, 'POST', '/api/v1/cases', {
    personId: p,
    positiveSampleAt: new Date(Date.now() - 3_600_000).toISOString(),
    foundBy: 'community',
    basis: 'pcr_positive',
  });
  await call(tinh, 'POST', `/api/v1/cases/${c.id}/care`, { spo2: 98, respiratoryRate: 16 });
  cases.push(c.id);
}
const load = await loadAverage();

// 1. admission with room placement (groups of 4 share a batch: one empty room each)
// Round trips per admission: every statement the app sends (BEGIN and COMMIT counted) is counted.
let statements = 0;
const countQuery = <Q extends { query: typeof db.query }>(q: Q) => {
  const query = q.query.bind(q);
  q.query = ((...a: Parameters<typeof db.query>) => {
    statements += 1;
    return query(...a);
  }) as typeof db.query;
  return q;
};
countQuery(db);
const tx = db.tx.bind(db);
db.tx = ((fn: (q: typeof db) => Promise<unknown>) =>
  tx((q) => {
    statements += 2;
    return fn(countQuery(q as typeof db));
  })) as typeof db.tx;
const adm: number[] = [];
const admSql: number[] = [];
const admStatements: number[] = [];
for (let i = 0; i < 160; i++) {
  const before = statements;
  const [ms] = await time(() =>
    call(tinh, 'POST', '/api/v1/admissions', {
      facilityId: facilityIds[Math.floor(i / 4) % 36],
      personId: people[i],
      arrivalBatch: `B${Math.floor(i / 4)}-${stamp}`,
    }),
  );
  adm.push(ms);
  admStatements.push(statements - before);
  const [sq] = await time(() =>
    db.query(
      `SELECT r.id, r.name, r.occupied, r.free_ordinary, r.cohort_key FROM care_rooms r WHERE r.facility_id = $1 ORDER BY r.name`,
      [facilityIds[Math.floor(i / 4) % 36]],
    ),
  );
  admSql.push(sq);
}
// 2. a reading that crosses a threshold → the alert visible in the district's list
const d094 = communes.find((c) => c.code === A)!.district_code;
const alert: number[] = [];
for (const c of cases) {
  const [ms] = await time(async () => {
    const r = await call(tinh, 'POST', `/api/v1/cases/${c}/monitoring`, {
      clientId: crypto.randomUUID(),
      spo2: 94,
    });
    const list = await call(tinh, 'GET', `/api/v1/alerts?unit=${d094}&limit=50`);
    if (!list.items.some((a: { id: string }) => a.id === r.alertId))
      throw new Error('alert not visible');
  });
  alert.push(ms);
}
// 3. the district's monitoring list; 4. the capacity board (province)
const list: number[] = [];
const listSql: number[] = [];
const cap: number[] = [];
const capSql: number[] = [];
for (let i = 0; i < 200; i++) {
  const d = districts[i % districts.length]!;
  list.push((await time(() => call(tinh, 'GET', `/api/v1/treatments?unit=${d}&limit=50`)))[0]);
  const params: unknown[] = [d];
  const sql = treatmentListSql('t.district_code = $1', params, null, 50);
  listSql.push((await time(() => db.query(sql, params)))[0]);
  cap.push((await time(() => call(tinh, 'GET', '/api/v1/capacity?unit=11')))[0]);
  capSql.push(
    (await time(() => db.query(`SELECT * FROM care_facilities WHERE province_code = '11'`)))[0],
  );
}
const row = (name: string, api: number[], bare: number[] | null, target: string) => {
  const a = summary(api);
  const b = bare ? summary(bare) : null;
  return `| ${name} | ${fmt(a.p50)} | ${fmt(a.p95)} | ${b ? fmt(b.p95) : '–'} | ${target} |`;
};
console.log(`\n${o.engine}, ${machine()}, load average ${load}\n`);
console.log(
  '| operation | API p50 ms | API p95 ms | bare SQL p95 ms | target |\n|---|---|---|---|---|',
);
console.log(row('admission with room placement (n=160)', adm, admSql, 'p95 ≤ 50 ms'));
console.log(
  `(statements per admission: ${Math.min(...admStatements)}–${Math.max(...admStatements)}, BEGIN/COMMIT included)`,
);
console.log(row('reading → alert visible in the district list (n=40)', alert, null, '≤ 1 s'));
console.log(row("district's monitoring list, 50 rows (n=200)", list, listSql, 'p95 ≤ 100 ms'));
console.log(row('capacity board, province (n=200)', cap, capSql, 'p95 ≤ 50 ms'));
await app.close();
await db.close();
