import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite, openPostgres, type Db } from '../server/db/index.ts';
import { testPostgresUrl } from '../../test/helpers/config.ts';
import { exited, freePort, listening, spawnCli } from '../../test/helpers/process.ts';

/**
 * Issue 14.5 with real processes, on each engine: a checkpoint phone sends twelve entries, the
 * server is killed (kill -9) as soon as the first is acknowledged; after the next start every
 * replay succeeds exactly once: an acknowledged entry answers 200 with the id it was given, the
 * others are written now, and the table holds each client id once.
 */
const started: ChildProcess[] = [];
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
});

interface Engine {
  env: NodeJS.ProcessEnv;
  /** The running server's port. */
  port(): Promise<number>;
  open(): Promise<Db>;
}

async function embedded(): Promise<Engine> {
  const dir = await mkdtemp(join(tmpdir(), 'epiguard-crash-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'db');
  return {
    env: { EPIGUARD_DATA_DIR: dataDir, PORT: '0' },
    port: () => listening({ dataDir }),
    open: () => openPglite(dataDir),
  };
}

async function server(): Promise<Engine> {
  const name = `epiguard_crash_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  cleanup.push(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(testPostgresUrl());
  url.pathname = '/' + name;
  const port = await freePort();
  return {
    env: { DATABASE_URL: url.toString(), PORT: String(port) },
    port: () => listening({ port }),
    open: () => openPostgres(url.toString(), 2),
  };
}

function entry(i: number, today: string) {
  return {
    clientId: randomUUID(),
    direction: 'in',
    declaration: {
      person: {
        fullName: 'Lò Văn Dũng',
        birthYear: 1980 + i,
        sex: 'male',
        idType: 'cccd',
        idNumber: `0010800000${String(i).padStart(2, '0')}`,
        communeCode: '00001',
      },
      travel: { mode: 'coach', fromProvinceCode: '01', toCommuneCode: '03136', date: today },
      visitedProvinces: ['01'],
      symptoms: [],
      exposure: { caseContact: false, fromOutbreakArea: false, symptomaticContact: false },
      vaccination: { doses: 0 },
      consent: true,
    },
  };
}

describe.each([
  ['the embedded database', embedded],
  ['PostgreSQL', server],
])('kill -9 during entries on %s', (_name, make) => {
  it('every replay after the restart succeeds exactly once', { timeout: 900_000 }, async () => {
    const engine = await make();
    const env = {
      ...process.env,
      ...engine.env,
      EPIGUARD_ADMIN_PASSWORD: 'crash-test-1',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
    };
    const start = () => {
      const s = spawnCli(['start'], env);
      started.push(s.child);
      return s.child;
    };
    let child = start();
    let port = await engine.port();
    const call = async (cookie: string | null, method: string, path: string, body?: unknown) => {
      const r = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(cookie ? { cookie } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: r.status, body: await r.text(), cookie: r.headers.get('set-cookie') };
    };
    const login = async (username: string, password: string) => {
      const r = await call(null, 'POST', '/api/v1/auth/login', { username, password });
      expect(r.status, r.body).toBe(200);
      return r.cookie!.split(';')[0]!;
    };
    const admin = await login('admin', 'crash-test-1');
    const site = await call(admin, 'POST', '/api/v1/sites', {
      kind: 'checkpoint',
      name: 'Chốt Tây Trang',
      communeCode: '03136',
    });
    expect(site.status, site.body).toBe(201);
    const user = await call(admin, 'POST', '/api/v1/users', {
      username: 'kill.chot',
      fullName: 'Chốt',
      password: 'password-123',
      role: 'checkpoint_officer',
      jurisdiction: { level: 'site', siteId: JSON.parse(site.body).id },
    });
    expect(user.status, user.body).toBe(201);
    let officer = await login('kill.chot', 'password-123');
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const entries = Array.from({ length: 12 }, (_, i) => entry(i, today));

    // The phone sends them all; the server is killed as soon as the first one is acknowledged.
    const acked = new Map<string, string>();
    let killed = false;
    await Promise.all(
      entries.map(async (e) => {
        const r = await call(officer, 'POST', '/api/v1/entries', e).catch(() => null);
        if (r && r.status === 201) acked.set(e.clientId, JSON.parse(r.body).id);
        if (r && r.status >= 500) throw new Error(`${r.status} ${r.body}`);
        if (!killed && acked.size > 0) {
          killed = true;
          child.kill('SIGKILL');
        }
      }),
    );
    await exited(child);
    expect(acked.size).toBeGreaterThan(0);

    child = start();
    port = await engine.port();
    officer = await login('kill.chot', 'password-123');
    for (const e of entries) {
      const r = await call(officer, 'POST', '/api/v1/entries', e);
      expect([200, 201], r.body).toContain(r.status);
      if (acked.has(e.clientId)) {
        expect(r.status).toBe(200);
        expect(JSON.parse(r.body).id).toBe(acked.get(e.clientId));
      }
    }
    child.kill('SIGTERM');
    await exited(child);
    const db = await engine.open();
    const rows = await db.query<{ n: number; d: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT client_id)::int AS d FROM entries WHERE client_id = ANY($1::uuid[])',
      [entries.map((e) => e.clientId)],
    );
    await db.close();
    expect(rows[0]).toEqual({ n: 12, d: 12 });
  });
});
