/**
 * P3: a bulk result upload matched against the province's persons.
 *
 *   flock /tmp/epiguard-bench.lock npx tsx bench/results-import.ts --engine postgres --rows 100000 --format csv
 *   flock /tmp/epiguard-bench.lock npx tsx bench/results-import.ts --engine pglite --persons 100000 --rows 20000
 *
 * PostgreSQL: a copy of the generated `epiguard_bench` (1,000,000 persons) as
 * `epiguard_bench_p3`, migrated to the current schema (the generated database is not touched).
 * PGlite: a fresh folder with `--persons` persons generated here (a smaller set).
 *
 * The file: `--rows` results of one enterprise's workers, 70 % of existing persons with their ID
 * number, 10 % by phone + birth year, 10 % by name (typed without accents) + birth year, 10 %
 * new people, 1 % positive rapid tests. It is uploaded through the real endpoint
 * (`POST /api/v1/result-imports`, in-process) and the job is polled until done; the process's
 * RSS is sampled every 250 ms. Then the same file again (must change nothing).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import writeXlsxFile from 'write-excel-file/node';
import pg from 'pg';
import { nameKey, nameSuffixes } from '../src/domain/people.ts';
import { fold } from '../src/domain/text.ts';
import { buildApp } from '../src/server/app.ts';
import { hashPassword } from '../src/server/auth/passwords.ts';
import { prepareDatabase } from '../src/server/bootstrap.ts';
import { openPglite, openPostgres, type Db } from '../src/server/db/index.ts';
import { insertUser } from '../src/server/users/routes.ts';
import { PROFILE } from '../src/server/testing/imports.ts';
import {
  args,
  benchConfig,
  BENCH_DB,
  BENCH_PASSWORD,
  fmt,
  machine,
  PG_ADMIN_URL,
  Rng,
  sleep,
} from './lib.ts';

const opts = args({
  rows: { type: 'string', default: '100000' },
  persons: { type: 'string', default: '100000' },
  format: { type: 'string', default: 'csv' },
});
const ROWS = Number(opts.rows);
const FORMAT = opts.format === 'xlsx' ? 'xlsx' : 'csv';
// The template: --database-url's database (a copy of the generated set), else epiguard_bench.
const TEMPLATE_DB = new URL(opts.databaseUrl).pathname.slice(1) || BENCH_DB;
const P3_DB = `${TEMPLATE_DB}_p3`;
const rng = new Rng(opts.seed);
const log = (...a: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

async function openDb(): Promise<{ db: Db; persons: number }> {
  if (opts.engine === 'postgres') {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${P3_DB} WITH (FORCE)`);
    const t0 = performance.now();
    await admin.query(`CREATE DATABASE ${P3_DB} TEMPLATE ${TEMPLATE_DB}`);
    log(`copied ${TEMPLATE_DB} → ${P3_DB} in ${fmt((performance.now() - t0) / 1000)} s`);
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = '/' + P3_DB;
    const db = await openPostgres(url.toString(), 10);
    await prepareDatabase(db, benchConfig('postgres', url.toString(), ''));
    const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM persons'))[0]!.n;
    return { db, persons: n };
  }
  const dir = opts['data-dir'] ? `${opts.dataDir}-p3` : '/tmp/epiguard-bench/p3-pglite';
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const db = await openPglite(dir);
  await prepareDatabase(db, benchConfig('pglite', '', dir));
  const N = Number(opts.persons);
  const communes = (
    await db.query<{ code: string; district_code: string }>(
      "SELECT code, district_code FROM admin_units WHERE province_code = '11' AND level = 3 ORDER BY code",
    )
  ).map((c) => c);
  const FAMILY = ['Nguyễn', 'Lò', 'Quàng', 'Lường', 'Cà', 'Điêu', 'Vì', 'Tòng', 'Hoàng', 'Trần'];
  const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thu'];
  const GIVEN = [
    'An',
    'Bình',
    'Dũng',
    'Hải',
    'Hoa',
    'Lan',
    'Mai',
    'Sáng',
    'Tâm',
    'Thắng',
    'Xuân',
    'Yến',
    'Khánh',
    'Long',
    'Nam',
  ];
  const t0 = performance.now();
  for (let start = 0; start < N; start += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, N - start) }, (_, k) => {
      const i = start + k;
      const c = communes[Math.floor(rng.next() * communes.length)]!;
      const full = `${FAMILY[Math.floor(rng.next() * FAMILY.length)]} ${MIDDLE[Math.floor(rng.next() * MIDDLE.length)]} ${GIVEN[Math.floor(rng.next() * GIVEN.length)]} ${GIVEN[Math.floor(rng.next() * GIVEN.length)]}`;
      return {
        id: randomUUID(),
        full,
        key: nameKey(full),
        year: 1950 + Math.floor(rng.next() * 60),
        sex: rng.next() < 0.5 ? 'male' : 'female',
        idn: rng.next() < 0.7 ? `0111${String(i).padStart(8, '0')}` : null,
        phone: rng.next() < 0.55 ? `09${String(10_000_000 + i).padStart(8, '0')}` : null,
        c,
      };
    });
    await db.tx(async (q) => {
      await q.query(
        `INSERT INTO persons (id, full_name, search_name, birth_year, sex, id_type, id_number, phone, province_code, district_code, commune_code, registered_province_code)
         SELECT u.id, u.f, u.k, u.y, u.s, CASE WHEN u.i IS NULL THEN NULL ELSE 'cccd' END, u.i, u.p, '11', u.d, u.c, '11'
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS u(id, f, k, y, s, i, p, d, c)`,
        [
          batch.map((b) => b.id),
          batch.map((b) => b.full),
          batch.map((b) => b.key),
          batch.map((b) => b.year),
          batch.map((b) => b.sex),
          batch.map((b) => b.idn),
          batch.map((b) => b.phone),
          batch.map((b) => b.c.district_code),
          batch.map((b) => b.c.code),
        ],
      );
      const pid: string[] = [];
      const keys: string[] = [];
      for (const b of batch)
        for (const k of nameSuffixes(b.key)) {
          pid.push(b.id);
          keys.push(k);
        }
      await q.query(
        `INSERT INTO person_name_keys (person_id, key, search_name, birth_year, registered_province_code, district_code, commune_code)
         SELECT p.id, k.key, p.search_name, p.birth_year, p.registered_province_code, p.district_code, p.commune_code
           FROM unnest($1::uuid[], $2::text[]) AS k(pid, key) JOIN persons p ON p.id = k.pid`,
        [pid, keys],
      );
    });
  }
  await db.exec('VACUUM ANALYZE');
  log(`generated ${N} persons (+ VACUUM ANALYZE) in ${fmt((performance.now() - t0) / 1000)} s`);
  return { db, persons: N };
}

async function main() {
  log(machine());
  const { db, persons } = await openDb();
  // an enterprise and its reporter
  const commune = (
    await db.query<{ code: string; district_code: string }>(
      "SELECT code, district_code FROM admin_units WHERE code = '03136'",
    )
  )[0]!;
  const site = (
    await db.query<{ id: string }>(
      `INSERT INTO sites (kind, name, province_code, district_code, commune_code) VALUES ('enterprise', 'Công ty Than (P3)', '11', $1, $2) RETURNING id`,
      [commune.district_code, commune.code],
    )
  )[0]!.id;
  const username = `p3.reporter.${Date.now()}`;
  await insertUser(db, {
    username,
    fullName: 'Người báo cáo P3',
    passwordHash: await hashPassword(BENCH_PASSWORD),
    role: 'test_reporter',
    scope: {
      level: 'site',
      provinceCode: '11',
      districtCode: commune.district_code,
      communeCode: commune.code,
      siteId: site,
    },
    createdBy: null,
  });

  // the file's people
  const t0 = performance.now();
  const sample = async (where: string, n: number) =>
    db.query<{
      full_name: string;
      birth_year: number;
      sex: string;
      id_number: string | null;
      phone: string | null;
      commune_code: string;
    }>(
      `SELECT full_name, birth_year, sex, id_number, phone, commune_code FROM persons WHERE ${where} AND merged_into IS NULL
        ORDER BY md5(id::text || $1) LIMIT $2`,
      [String(opts.seed), n],
    );
  const nId = Math.round(ROWS * 0.7);
  const nPhone = Math.round(ROWS * 0.1);
  const nName = Math.round(ROWS * 0.1);
  const byId = await sample('id_number IS NOT NULL', nId);
  const byPhone = await sample('id_number IS NULL AND phone IS NOT NULL', nPhone);
  const byName = await sample('id_number IS NULL AND phone IS NULL', nName);
  log(
    `sampled ${byId.length + byPhone.length + byName.length} persons in ${fmt((performance.now() - t0) / 1000)} s`,
  );
  const day = new Date(Date.now() - 86_400_000 + 7 * 3_600_000)
    .toISOString()
    .slice(0, 10)
    .split('-')
    .reverse()
    .join('/');
  const header = [
    'STT',
    'Họ và tên',
    'Năm sinh',
    'Giới tính',
    'CCCD',
    'Số điện thoại',
    'Mã xã',
    'Loại XN',
    'Kết quả',
    'Ngày lấy mẫu',
  ];
  const lines: (string | number)[][] = [];
  let i = 0;
  const time = () =>
    `${day} ${String(5 + Math.floor(i / 20000)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
  const result = () => (rng.next() < 0.01 ? 'Dương tính' : 'Âm tính');
  const sexVi = (s: string) => (s === 'male' ? 'Nam' : s === 'female' ? 'Nữ' : 'Khác');
  for (const p of byId)
    lines.push([
      ++i,
      p.full_name,
      p.birth_year,
      sexVi(p.sex),
      p.id_number!,
      '',
      '',
      'Test nhanh',
      result(),
      time(),
    ]);
  for (const p of byPhone)
    lines.push([
      ++i,
      p.full_name,
      p.birth_year,
      sexVi(p.sex),
      '',
      p.phone!,
      '',
      'Test nhanh',
      result(),
      time(),
    ]);
  for (const p of byName)
    lines.push([
      ++i,
      fold(p.full_name).replace(/\b\w/g, (c) => c.toUpperCase()),
      p.birth_year,
      sexVi(p.sex),
      '',
      '',
      p.commune_code,
      'Test nhanh',
      result(),
      time(),
    ]);
  while (lines.length < ROWS)
    lines.push([
      ++i,
      `Người Mới ${i}`,
      1960 + (i % 45),
      i % 2 ? 'Nam' : 'Nữ',
      `0119${String(i).padStart(8, '0')}`,
      '',
      commune.code,
      'Test nhanh',
      result(),
      time(),
    ]);
  let file: Buffer;
  if (FORMAT === 'xlsx') {
    file = await writeXlsxFile([header, ...lines], { sheet: 'Ket qua' }).toBuffer();
  } else {
    file = Buffer.from('\uFEFF' + [header, ...lines].map((l) => l.join(',')).join('\n') + '\n');
  }
  const bareRows = lines.slice();
  lines.length = 0;
  log(`file: ${ROWS} rows, ${FORMAT}, ${fmt(file.length / 1024 / 1024)} MiB`);

  const app = await buildApp({ db, config: benchConfig(opts.engine, '', ''), logger: false });
  await app.ready();
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password: BENCH_PASSWORD },
  });
  const cookie = `eg_session=${login.cookies.find((c) => c.name === 'eg_session')!.value}`;
  const upload = () => {
    const boundary = '----p3' + randomUUID();
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p3.${FORMAT}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return app.inject({
      method: 'POST',
      url: '/api/v1/result-imports',
      payload,
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
  };
  // Another endpoint's latency without an import (baseline), then during it (issue 14.2).
  const me = async () => {
    const t0 = performance.now();
    await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    return performance.now() - t0;
  };
  const idleMs: number[] = [];
  for (let k = 0; k < 60; k++) {
    idleMs.push(await me());
    await sleep(50);
  }
  const duringMs: number[] = [];
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;
  global.gc?.();
  const rss: { t: number; rss: number; heap: number; rows: number }[] = [];
  const mb = (b: number) => Math.round(b / 1024 / 1024);
  const start = performance.now();
  const res = await upload();
  if (res.statusCode !== 202) throw new Error(`upload: ${res.statusCode} ${res.body}`);
  const id = res.json().id as string;
  const uploadMs = performance.now() - start;
  let job: {
    status: string;
    counts: Record<string, number>;
    progress: { processedRows: number };
    error: string | null;
  };
  for (;;) {
    const m = process.memoryUsage();
    const r = await app.inject({
      method: 'GET',
      url: `/api/v1/result-imports/${id}?limit=1`,
      headers: { cookie },
    });
    job = r.json();
    rss.push({
      t: (performance.now() - start) / 1000,
      rss: mb(m.rss),
      heap: mb(m.heapUsed),
      rows: job.progress.processedRows,
    });
    if (job.status === 'done' || job.status === 'failed') break;
    for (let k = 0; k < 4; k++) {
      duringMs.push(await me());
      await sleep(50);
    }
  }
  const total = (performance.now() - start) / 1000;
  log(
    `job ${job.status} ${job.error ?? ''} in ${fmt(total, 2)} s (upload answered in ${fmt(uploadMs)} ms)`,
    JSON.stringify(job.counts),
  );
  log(
    `GET /api/v1/me: p95 ${fmt(p95(idleMs))} ms without an import (n=${idleMs.length}), p95 ${fmt(p95(duringMs))} ms during it (n=${duringMs.length}, max ${fmt(Math.max(...duringMs))} ms)`,
  );
  const again = performance.now();
  const r2 = await upload();
  log(
    `same file again: ${r2.statusCode} ${r2.json().replay ? 'replay' : ''} in ${fmt(performance.now() - again)} ms`,
  );
  // RSS over time: one line every ~10 % of the run
  const step = Math.max(1, Math.floor(rss.length / 10));
  const timeline = rss.filter((_, k) => k % step === 0 || k === rss.length - 1);
  console.log('\nRSS over time (s, rows done, RSS MiB, heap MiB):');
  for (const p of timeline) console.log(`  ${fmt(p.t, 1)} s\t${p.rows}\t${p.rss}\t${p.heap}`);
  const mid = rss.filter((p) => p.rows > 0);
  console.log(
    `\nP3 ${opts.engine}: ${ROWS} rows (${FORMAT}) against ${persons.toLocaleString('en')} persons: ${fmt(total, 2)} s, ${Math.round(ROWS / total).toLocaleString('en')} rows/s; ` +
      `RSS ${Math.min(...mid.map((p) => p.rss))}–${Math.max(...mid.map((p) => p.rss))} MiB while importing; heap ${Math.min(...mid.map((p) => p.heap))}–${Math.max(...mid.map((p) => p.heap))} MiB`,
  );
  if (PROFILE)
    console.log(
      'time per phase (s):',
      Object.entries(PROFILE)
        .map(([k, v]) => `${k} ${fmt(v / 1000, 2)}`)
        .join(', '),
    );
  await app.close();
  const bare = await bareSetWise(db, bareRows);
  console.log(
    `bare set-wise SQL, same rows, same run: ${fmt(bare.total, 2)} s (${bare.phases}); API / bare = ${fmt(total / bare.total, 2)}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  await db.close();
}

/**
 * The same work in bare SQL, as a baseline from the same run: the rows into a staging table in
 * batches of 10,000 (multi-row INSERT), one matching query (ID number, else phone + birth year,
 * else folded name + birth year), one INSERT … SELECT of the results with their unique natural
 * key (into a scratch table shaped like test_results, so the real one is left as the API wrote it).
 */
async function bareSetWise(db: Db, rows: (string | number)[][]) {
  const t0 = performance.now();
  const phase: string[] = [];
  let mark = t0;
  const step = (name: string) => {
    const now = performance.now();
    phase.push(`${name} ${fmt((now - mark) / 1000, 2)} s`);
    mark = now;
  };
  await db.exec(`DROP TABLE IF EXISTS p3_stage; DROP TABLE IF EXISTS p3_results;
    CREATE UNLOGGED TABLE p3_stage (row_no int, full_name text, name_key text, birth_year int, id_number text,
      phone text, commune_code text, result text, sampled_at timestamptz);
    CREATE UNLOGGED TABLE p3_results (LIKE test_results INCLUDING DEFAULTS);
    CREATE UNIQUE INDEX ON p3_results (natural_key);`);
  const ts = (v: string) => {
    const [d, t] = v.split(' ');
    return `${d!.split('/').reverse().join('-')}T${t}:00+07:00`;
  };
  for (let i = 0; i < rows.length; i += 10_000) {
    const b = rows.slice(i, i + 10_000);
    await db.query(
      `INSERT INTO p3_stage SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[],
         $7::text[], $8::text[], $9::timestamptz[])`,
      [
        b.map((r) => r[0]),
        b.map((r) => r[1]),
        b.map((r) => nameKey(String(r[1]))),
        b.map((r) => r[2]),
        b.map((r) => r[4] || null),
        b.map((r) => r[5] || null),
        b.map((r) => r[6] || null),
        b.map((r) => (r[8] === 'Dương tính' ? 'positive' : 'negative')),
        b.map((r) => ts(String(r[9]))),
      ],
    );
  }
  step('stage');
  await db.exec(`CREATE TEMP TABLE p3_matched AS
    SELECT s.*, coalesce(
      (SELECT p.id FROM persons p WHERE p.id_number = s.id_number AND p.merged_into IS NULL LIMIT 1),
      (SELECT p.id FROM persons p WHERE s.id_number IS NULL AND p.phone = s.phone AND p.birth_year = s.birth_year
          AND p.merged_into IS NULL LIMIT 1),
      (SELECT k.person_id FROM person_name_keys k WHERE s.id_number IS NULL AND s.phone IS NULL AND k.key = s.name_key
          AND k.birth_year = s.birth_year AND k.key = k.search_name LIMIT 1)) AS person_id
    FROM p3_stage s`);
  step('match');
  await db.exec(`INSERT INTO p3_results (person_id, test_type, result, sampled_at, resulted_at, sample_date, source,
      natural_key, province_code, district_code, commune_code)
    SELECT m.person_id, 'rapid_antigen', m.result, m.sampled_at, m.sampled_at, (m.sampled_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           'import', 'bare:' || m.person_id || ':' || m.sampled_at, p.registered_province_code, p.district_code, p.commune_code
      FROM p3_matched m JOIN persons p ON p.id = m.person_id
    ON CONFLICT (natural_key) DO NOTHING`);
  step('insert');
  await db.exec('DROP TABLE p3_matched; DROP TABLE p3_stage; DROP TABLE p3_results;');
  return { total: (performance.now() - t0) / 1000, phases: phase.join(', ') };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
