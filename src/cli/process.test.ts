import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../server/db/index.ts';
import { lockOwner, lockPathOf } from '../server/db/lock.ts';
import {
  exited,
  listening as listenOn,
  portFree,
  ROOT,
  spawnCli as spawnProcess,
} from '../../test/helpers/process.ts';

/**
 * Issue 14.1 with real processes: `epiguard start` holds its data folder; every other command on
 * the folder refuses with a clear message (backup goes through the server); kill -9 leaves a
 * folder the next start takes over at once; Ctrl-C on `npm start` ends every process and frees
 * the port. kill -9 during entries, on both engines: crash-entries.test.ts.
 */
let dir: string;
let env: NodeJS.ProcessEnv;
const started: ChildProcess[] = [];
const spawnCli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  spawnProcess(args, { ...env, ...extra });
const cli = (...args: string[]) => spawnCli(args).done;
const listening = (dataDir: string) => listenOn({ dataDir });

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
});
