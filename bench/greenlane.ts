// Benchmark, issue 17: green-lane permit verification and the gate board.
//
//   npx tsx bench/greenlane.ts [--verify N] [--board N] [--concurrency C] [--database NAME]
//
// On a fresh PostgreSQL database of its own (epiguard_bench_greenlane unless named, dropped after), in one
// process (requests through the whole Fastify stack with app.inject — routing, zod, the handler,
// the audit row — but not a TCP socket): N verifications of a real signed permit on
// POST /api/v1/public/green-lane/verify, beside the bare verifyPermit function; then the gate
// board GET /api/v1/gates/:siteId/board over 2,000 vehicles waiting and 100,000 past passages
// (filled with generate_series), beside its bare queue SQL. Targets: ≥ 2,000 verified/s,
// board p95 ≤ 50 ms.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { prepareDatabase } from '../src/server/bootstrap.ts';
import { addDays, dateOfInstant, startOfDayInstant } from '../src/domain/dates.ts';
import { gateBoardSql, gateQueueSql } from '../src/server/greenlane/store.ts';
import { signPermit, verifyPermit } from '../src/server/greenlane/token.ts';
import { DccTrustList, generateDemoSigner, loadSigner } from '../src/server/vaccination/dcc.ts';
import { openPostgres } from '../src/server/db/index.ts';
import { trustSigner } from '../src/server/vaccination/trust-list.ts';
import { args, benchConfig, fmt, loadAverage, machine, PG_ADMIN_URL, summary } from './lib.ts';

const o = args({
  verify: { type: 'string', default: '4000' },
  board: { type: 'string', default: '400' },
  concurrency: { type: 'string', default: '16' },
  database: { type: 'string', default: 'epiguard_bench_greenlane' },
});
const NAME = String(o.database);
if (!/^[a-z_][a-z0-9_]*$/.test(NAME)) throw new Error('--database: a plain name');
const url = `postgres://postgres@127.0.0.1:5432/${NAME}`;
const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${NAME}`);
console.log(`machine: ${machine()}; load average ${await loadAverage()}`);

const db = await openPostgres(url, 10);
const config = benchConfig('postgres', url, '/tmp/epiguard-bench/greenlane');
await prepareDatabase(db, config);
const demo = await generateDemoSigner();
const signer = loadSigner(demo.privateKeyPem, demo.certificatePem);
await trustSigner(db, demo.certificatePem, 'own', 'bench', null);
const app = await buildApp({ db, config, logger: false });
await app.ready();

async function run(n: number, c: number, one: () => Promise<void>) {
  const times: number[] = [];
  let next = 0;
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (next++ < n) {
        const s = performance.now();
        await one();
        times.push(performance.now() - s);
      }
    }),
  );
  // how busy this process's event loop was: near 1, the run is CPU-bound (the machine's load
  // decides); well below, it waits on the database
  const busy = performance.eventLoopUtilization(elu0).utilization;
  return { seconds: (performance.now() - t0) / 1000, busy, ...summary(times) };
}

// --- verification
const now = Date.now();
const qr = signPermit(
  {
    permitId: crypto.randomUUID(),
    plate: '29C12345',
    windowFrom: new Date(now - 3_600_000).toISOString(),
    windowTo: new Date(now + 86_400_000).toISOString(),
    orderEndsAt: null,
    crewSampledAt: [
      new Date(now - 3_600_000).toISOString(),
      new Date(now - 7_200_000).toISOString(),
    ],
    testValidHours: 72,
    ruleSetId: 'green-lane-2021',
    issuedAt: new Date(now).toISOString(),
  },
  signer,
);
const N = Number(o.verify);
const C = Number(o.concurrency);
const trust = new DccTrustList([demo.certificatePem]);
const b0 = performance.now();
for (let i = 0; i < N; i++) if (!verifyPermit(qr, trust, Date.now()).ok) throw new Error('bare');
const bare = (performance.now() - b0) / 1000;
const api = await run(N, C, async () => {
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/public/green-lane/verify',
    payload: { qr },
  });
  if (r.statusCode !== 200 || !r.json().valid) throw new Error(r.body);
});
console.log(
  `verify: API ${fmt(N / api.seconds, 0)}/s (p50 ${fmt(api.p50, 2)} / p95 ${fmt(api.p95, 2)} ms, concurrency ${C}, event loop busy ${fmt(api.busy * 100, 0)}%); bare verifyPermit ${fmt(N / bare, 0)}/s; ratio ${fmt(bare / api.seconds, 2)}`,
);

// --- the gate board
await db.exec(`
  INSERT INTO sites (id, kind, name, province_code, district_code, commune_code) VALUES
    ('00000000-0000-4000-8000-000000000001', 'border_gate', 'Cửa khẩu', '11', '094', '03136'),
    ('00000000-0000-4000-8000-000000000003', 'transport_company', 'Công ty', '11', '094', '03136');
  INSERT INTO green_lane_routes (id, name, origin, checkpoint_site_id, yard_site_id, gate_site_id,
      to_yard_minutes, to_gate_minutes, province_code)
    VALUES ('00000000-0000-4000-8000-000000000002', 'Tuyến', 'Hà Nội', '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 60, 60, '11');
  INSERT INTO green_lane_vehicles (id, plate, kind, company_site_id, site_id, province_code, district_code, commune_code)
    SELECT md5('v' || g)::uuid, '29C' || lpad(g::text, 6, '0'), 'truck', '00000000-0000-4000-8000-000000000003',
           '00000000-0000-4000-8000-000000000003', '11', '094', '03136' FROM generate_series(1, 100000) g;
  INSERT INTO green_lane_trips (vehicle_id, route_id, gate_site_id, started_at, last_point, last_at, cleared_at, out_at)
    SELECT md5('v' || g)::uuid, '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001',
           now() - g * interval '20 seconds', 'yard', now() - g * interval '20 seconds',
           CASE WHEN g <= 2000 THEN NULL ELSE now() - g * interval '10 seconds' END,
           CASE WHEN g <= 2000 THEN NULL ELSE now() END
      FROM generate_series(1, 100000) g;
  INSERT INTO green_lane_passages (client_id, vehicle_id, point, at, check_mode, permit_rule, ruleset_id,
      reason_vi, reason_en, site_id, province_code, district_code, commune_code)
    SELECT md5('p' || g)::uuid, md5('v' || g)::uuid, 'gate', now() - g * interval '10 seconds', 'permit',
           'valid', 'green-lane-2021', 'x', 'x', '00000000-0000-4000-8000-000000000001', '11', '094', '03136'
      FROM generate_series(1, 100000) g;
  INSERT INTO green_lane_gate_queue VALUES ('00000000-0000-4000-8000-000000000001', 2000);
  ANALYZE;`);
const officer = await app.inject({
  method: 'POST',
  url: '/api/v1/users',
  headers: { cookie: await cookie('admin', 'bench-password-1') },
  payload: {
    username: 'sgtvt',
    fullName: 'Sở GTVT',
    password: 'bench-password-2',
    role: 'transport_authority',
    jurisdiction: { level: 'province', unitCode: '11' },
  },
});
if (officer.statusCode !== 201) throw new Error(officer.body);
const c = await cookie('sgtvt', 'bench-password-2');
const M = Number(o.board);
const board = await run(M, 4, async () => {
  const r = await app.inject({
    method: 'GET',
    url: '/api/v1/gates/00000000-0000-4000-8000-000000000001/board',
    headers: { cookie: c },
  });
  if (r.statusCode !== 200 || r.json().waiting !== 2000) throw new Error(r.body);
});
const q = gateQueueSql('00000000-0000-4000-8000-000000000001', 50);
const bareBoard = await run(M, 4, async () => {
  await db.query(q.sql, q.params);
});
// the board's own single statement, bare (what the endpoint sends, without HTTP, session,
// access check and presentation)
const today = dateOfInstant(Date.now());
const whole = gateBoardSql('00000000-0000-4000-8000-000000000001', {
  fromDay: addDays(today, -6),
  toDay: today,
  queueLimit: 50,
  since: new Date(startOfDayInstant(today)).toISOString(),
  recentLimit: 20,
});
const bareWhole = await run(M, 4, async () => {
  await db.query(whole.sql, whole.params, { prepare: true });
});
console.log(
  `board: API p50 ${fmt(board.p50, 2)} / p95 ${fmt(board.p95, 2)} ms (${M} requests, 4 in flight, event loop busy ${fmt(board.busy * 100, 0)}%); bare board statement p50 ${fmt(bareWhole.p50, 2)} / p95 ${fmt(bareWhole.p95, 2)} ms; bare queue SQL p50 ${fmt(bareBoard.p50, 2)} / p95 ${fmt(bareBoard.p95, 2)} ms`,
);
console.log(`load average after: ${await loadAverage()}`);
await app.close();
await db.close();
await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
await admin.end();

async function cookie(username: string, password: string) {
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
  });
  if (r.statusCode !== 200) throw new Error(r.body);
  return `eg_session=${r.cookies.find((k) => k.name === 'eg_session')!.value}`;
}
