import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../server/db/index.ts';
import { lockOwner, lockPathOf } from '../server/db/lock.ts';

/**
 * Issue 14.1 with real processes: `epiguard start` holds its data folder; every other command on
 * the folder refuses with a clear message (backup goes through the server); kill -9 leaves a
 * folder the next start takes over at once; Ctrl-C on `npm start` ends every process and frees
 * the port.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
let dir: string;
let env: NodeJS.ProcessEnv;
const started: ChildProcess[] = [];

function spawnCli(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['bin/epiguard.mjs', ...args], {
    cwd: ROOT,
    env: { ...env, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

const cli = (...args: string[]) => spawnCli(args).done;

/** Waits until the server named by the folder's lock answers /healthz; returns its port. */
async function listening(dataDir: string, timeoutMs = 300_000): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const port = lockOwner(dataDir)?.port;
    if (port) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return port;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => child.once('exit', () => r()));

async function portFree(port: number) {
  return new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'epiguard-proc-'));
  env = {
    ...process.env,
    EPIGUARD_DATA_DIR: join(dir, 'db'),
    EPIGUARD_ADMIN_PASSWORD: 'process-test-1',
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
  };
});
afterAll(async () => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('one process per embedded database', { timeout: 900_000 }, () => {
  it('refuses a second command on a running server’s folder, and backs up through the server', async () => {
    const server = spawnCli(['start']);
    started.push(server.child);
    await listening(env.EPIGUARD_DATA_DIR!);

    const demo = await cli('demo');
    expect(demo.code).toBe(3);
    expect(demo.stderr).toContain(`in use by "epiguard start" (pid ${server.child.pid}`);
    expect(demo.stderr).toContain('Stop the server first');

    const user = await cli(
      ...['create-user', '--username', 'u1', '--full-name', 'U', '--role', 'commune_health'],
      ...['--unit', '03145'],
    );
    expect(user.code).toBe(3);
    expect(user.stderr).toContain('Users');

    const second = await cli('start');
    expect(second.code).toBe(3);
    expect(second.stderr).toContain('already running');

    const file = join(dir, 'live.tar.gz');
    const backup = await cli('backup', file);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain('from the running server');
    expect((await stat(file)).size).toBeGreaterThan(100_000);

    const restore = await cli('restore', file, '--force');
    expect(restore.code).toBe(3);
    expect(existsSync(env.EPIGUARD_DATA_DIR!)).toBe(true); // not moved aside

    // The server is unharmed and the copy it gave opens elsewhere with its admin.
    const port = lockOwner(env.EPIGUARD_DATA_DIR!)!.port!;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).ok).toBe(true);
    const copy = join(dir, 'copy');
    const restored = await spawnCli(['restore', file], { EPIGUARD_DATA_DIR: copy }).done;
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('(1 users)');

    // kill -9: the lock names a dead process, so the next start takes it over at once.
    server.child.kill('SIGKILL');
    await exited(server.child);
    expect(existsSync(lockPathOf(env.EPIGUARD_DATA_DIR!))).toBe(true);
    const again = spawnCli(['start']);
    started.push(again.child);
    const port2 = await listening(env.EPIGUARD_DATA_DIR!);
    const login = await fetch(`http://127.0.0.1:${port2}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'process-test-1' }),
    });
    expect(login.status).toBe(200);
    again.child.kill('SIGTERM');
    await exited(again.child);
    expect(again.child.exitCode).toBe(0);
    expect(existsSync(lockPathOf(env.EPIGUARD_DATA_DIR!))).toBe(false);

    // Free again: another command may open it.
    const db = await openPglite(env.EPIGUARD_DATA_DIR!);
    await db.close();
  });

  it('Ctrl-C on `npm start` ends npm and the server and frees the port', async () => {
    // Its own process group, like a terminal's foreground job: Ctrl-C signals the whole group.
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env,
      stdio: 'ignore',
      detached: true,
    });
    started.push(npm);
    const port = await listening(env.EPIGUARD_DATA_DIR!);
    const serverPid = lockOwner(env.EPIGUARD_DATA_DIR!)!.pid;
    // A browser keeps connections open; they must not hold the shutdown.
    const held = await fetch(`http://127.0.0.1:${port}/healthz`, {
      headers: { connection: 'keep-alive' },
    });
    expect(held.ok).toBe(true);
    process.kill(-npm.pid!, 'SIGINT');
    await exited(npm);
    const t0 = Date.now();
    const gone = () => {
      try {
        process.kill(serverPid, 0);
        return false;
      } catch {
        return true;
      }
    };
    while (!gone() && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 100));
    expect(gone()).toBe(true);
    expect(await portFree(port)).toBe(true);
    expect(existsSync(lockPathOf(env.EPIGUARD_DATA_DIR!))).toBe(false);
  });

  it('after kill -9 during entries, every replay succeeds exactly once (issue 14.5)', async () => {
    const server = spawnCli(['start']);
    started.push(server.child);
    let port = await listening(env.EPIGUARD_DATA_DIR!);
    const call = async (cookie: string | null, method: string, path: string, body?: unknown) => {
      const r = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(cookie ? { cookie } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await r.text();
      return { status: r.status, body: text, cookie: r.headers.get('set-cookie') };
    };
    const login = async (username: string, password: string) => {
      const r = await call(null, 'POST', '/api/v1/auth/login', { username, password });
      expect(r.status, r.body).toBe(200);
      return r.cookie!.split(';')[0]!;
    };
    const admin = await login('admin', 'process-test-1');
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
    const entries = Array.from({ length: 12 }, (_, i) => ({
      clientId: crypto.randomUUID(),
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
        travel: {
          mode: 'coach',
          fromProvinceCode: '01',
          toCommuneCode: '03136',
          date: today,
        },
        visitedProvinces: ['01'],
        symptoms: [],
        exposure: { caseContact: false, fromOutbreakArea: false, symptomaticContact: false },
        vaccination: { doses: 0 },
        consent: true,
      },
    }));
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
          server.child.kill('SIGKILL');
        }
      }),
    );
    await exited(server.child);
    expect(acked.size).toBeGreaterThan(0);

    const again = spawnCli(['start']);
    started.push(again.child);
    port = await listening(env.EPIGUARD_DATA_DIR!);
    officer = await login('kill.chot', 'password-123');
    for (const e of entries) {
      const r = await call(officer, 'POST', '/api/v1/entries', e);
      expect([200, 201], r.body).toContain(r.status);
      if (acked.has(e.clientId)) {
        expect(r.status).toBe(200);
        expect(JSON.parse(r.body).id).toBe(acked.get(e.clientId));
      }
    }
    again.child.kill('SIGTERM');
    await exited(again.child);
    const db = await openPglite(env.EPIGUARD_DATA_DIR!);
    const rows = await db.query<{ n: number; d: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT client_id)::int AS d FROM entries WHERE client_id = ANY($1::uuid[])',
      [entries.map((e) => e.clientId)],
    );
    await db.close();
    expect(rows[0]).toEqual({ n: 12, d: 12 });
  });
});
