import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { lockOwner } from '../../src/server/db/lock.ts';

/** Real `epiguard` processes for the crash and lock tests (issue 14). */
export const ROOT = new URL('../../', import.meta.url).pathname;

export function spawnCli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['bin/epiguard.mjs', ...args], {
    cwd: ROOT,
    env,
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

const healthy = (port: number) =>
  fetch(`http://127.0.0.1:${port}/healthz`).then(
    (r) => r.ok,
    () => false,
  );

/**
 * Waits until the server answers /healthz; returns its port. The embedded database's server is
 * found through its folder's lock (it listens on port 0); a PostgreSQL one on the port it was given.
 */
export async function listening(
  where: { dataDir: string } | { port: number },
  timeoutMs = 300_000,
): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const port = 'port' in where ? where.port : lockOwner(where.dataDir)?.port;
    if (port && (await healthy(port))) return port;
    if (Date.now() - t0 > timeoutMs) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => child.once('exit', () => r()));

export async function portFree(port: number) {
  return new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port nobody listens on now (the OS's choice). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
