import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { afterAll, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { buildApp } from '../../src/server/app.ts';
import { openPglite, openPostgres, type Db } from '../../src/server/db/index.ts';
import { sweepStaleImports } from '../../src/server/testing/import-jobs.ts';
import { ENGINE } from '../helpers/app.ts';
import { testConfig, testPostgresUrl } from '../helpers/config.ts';

/**
 * kill -9 during an import (issue 14.3), on each engine: a server process uploads 8,000 rows
 * and is killed after its first chunks committed. The job is left 'running'; the next start
 * (embedded: at once; PostgreSQL: once its heartbeat is stale) queues it again, it resumes after
 * its last committed chunk, and every row is imported exactly once.
 */
const ROWS = 8000;
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
});

async function freshDatabase(): Promise<{ where: string; open: () => Promise<Db> }> {
  if (ENGINE === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'eg-crash-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const db = await openPglite(dir, new Blob([await readFile(inject('pgliteTemplate'))]));
    await db.close();
    return { where: dir, open: () => openPglite(dir) };
  }
  const name = `epiguard_t_${inject('postgresRun')}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`);
  cleanup.push(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(testPostgresUrl());
  url.pathname = '/' + name;
  return { where: url.toString(), open: () => openPostgres(url.toString(), 5) };
}

it(`resumes an import killed mid-way (kill -9) without importing a row twice (${ENGINE})`, async () => {
  const day = addDays(dateOfInstant(Date.now()), -1).split('-').reverse().join('/');
  const lines = ['Họ tên,Năm sinh,Giới tính,Mã xã,Loại XN,Kết quả,Ngày lấy mẫu'];
  for (let i = 0; i < ROWS; i++)
    lines.push(
      `Người Thử ${i},${1950 + (i % 60)},${i % 2 ? 'Nam' : 'Nữ'},03136,PCR,Âm tính,${day}`,
    );
  const dir = await mkdtemp(join(tmpdir(), 'eg-crash-csv-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const csv = join(dir, 'ket-qua.csv');
  await writeFile(csv, lines.join('\n'));
  const { where, open } = await freshDatabase();

  // The server process: upload, then killed once two chunks are committed.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/helpers/import-child.ts', ENGINE, where, csv],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const seen = await new Promise<{ jobId: string; processed_rows: number; upload: number }>(
    (resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = JSON.parse(buf.slice(0, nl));
          if (process.env.EPIGUARD_TEST_LOG) console.log(line);
          buf = buf.slice(nl + 1);
          if (line.processed_rows >= 2000) {
            child.kill('SIGKILL');
            resolve(line);
          }
        }
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited ${code}: ${stderr}`));
      });
    },
  );
  await new Promise((r) =>
    child.exitCode !== null || child.signalCode ? r(null) : child.on('exit', r),
  );
  expect(seen.upload).toBe(202);

  const db = await open();
  cleanup.push(() => db.close());
  const left = (
    await db.query<{ status: string; processed_rows: number; attempts: number }>(
      'SELECT status, processed_rows, attempts FROM result_imports WHERE id = $1',
      [seen.jobId],
    )
  )[0]!;
  expect(left.status).toBe('running');
  expect(left.attempts).toBe(1);
  expect(left.processed_rows).toBeGreaterThanOrEqual(2000);
  expect(left.processed_rows).toBeLessThan(ROWS);
  if (ENGINE === 'postgres') {
    // another process may still be running it: only a stale heartbeat says it is not
    expect(await sweepStaleImports(db, 60_000)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await sweepStaleImports(db, 1000)).toEqual([
      { id: seen.jobId, status: 'queued', processedRows: left.processed_rows },
    ]);
  }
  // The next start: the embedded database's start-up sweep finds the job at once.
  const app = await buildApp({ db, config: testConfig(), logger: false });
  cleanup.push(() => app.close());
  await app.ready();
  let job: Record<string, number | string> = {};
  for (let i = 0; i < 1200; i++) {
    job = (
      await db.query<Record<string, number | string>>(
        `SELECT status, attempts, processed_rows, accepted, duplicates, rejected, created_persons, total_rows
           FROM result_imports WHERE id = $1`,
        [seen.jobId],
      )
    )[0]!;
    if (job.status === 'done' || job.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(job).toEqual({
    status: 'done',
    attempts: 2,
    processed_rows: ROWS,
    accepted: ROWS,
    duplicates: 0,
    rejected: 0,
    created_persons: ROWS,
    total_rows: ROWS,
  });
  const counts = (
    await db.query<{ results: number; lines: number; persons: number }>(
      `SELECT (SELECT count(*)::int FROM test_results WHERE import_id = $1) AS results,
              (SELECT count(*)::int FROM result_import_rows WHERE import_id = $1) AS lines,
              (SELECT count(*)::int FROM persons WHERE full_name LIKE 'Người Thử %') AS persons`,
      [seen.jobId],
    )
  )[0]!;
  expect(counts).toEqual({ results: ROWS, lines: ROWS, persons: ROWS });
}, 300_000);
