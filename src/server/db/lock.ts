import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * One process per embedded database. PGlite has no postmaster to refuse a second opener: two
 * processes writing one data folder leave a cluster that aborts on every later start. So the
 * opener holds `<dataDir>.lock`, a file created exclusively that names its owner (pid, the
 * start time of that pid, command, port) and a random token that lets the CLI of the same OS
 * user reach the running server (a backup through it). The file is 0600, like the folder's data.
 *
 * Why not mtime-refreshed lock folders (proper-lockfile): PGlite runs in the event loop, so a
 * long query stops the refresh and the lock would look stale to a second process while its owner
 * is alive, and after a kill -9 a restart would have to wait out the staleness. The owner's pid
 * (with its start time, against pid reuse) answers both exactly on one machine.
 */
export interface LockOwner {
  pid: number;
  /** The pid's start time (Linux /proc, clock ticks since boot); null where unknown. */
  pidStart: string | null;
  hostname: string;
  command: string;
  startedAt: string;
  /** HTTP port of a running server, once it listens. */
  port?: number;
  /** Secret that the CLI sends to the running server (x-epiguard-local-token). */
  token: string;
}

export interface DataDirLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Records facts learnt after opening (the port the server listens on). */
  update(info: Partial<Pick<LockOwner, 'port'>>): void;
  release(): void;
}

export class DataDirBusy extends Error {
  constructor(
    public readonly dataDir: string,
    public readonly owner: LockOwner,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by "epiguard ${owner.command}" (pid ${owner.pid}` +
        (owner.hostname !== hostname() ? ` on ${owner.hostname}` : '') +
        `, since ${owner.startedAt}${owner.port ? `, port ${owner.port}` : ''}). ` +
        'Only one process may open it at a time',
    );
  }
}

export const lockPathOf = (dataDir: string) => dataDir.replace(/\/+$/, '') + '.lock';

function pidStart(pid: number): string | null {
  try {
    // Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so count after ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true; // cannot tell: assume it runs
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = pidStart(owner.pid);
  return !(owner.pidStart && start && start !== owner.pidStart); // a reused pid is not the owner
}

function readOwner(path: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return null; // missing, or half-written by an opener that died: no owner
  }
}

/** The live owner of the folder's lock, or null when nobody holds it. */
export function lockOwner(dataDir: string): LockOwner | null {
  const owner = readOwner(lockPathOf(dataDir));
  return owner && alive(owner) ? owner : null;
}

const held = new Set<string>();
process.on('exit', () => {
  for (const path of held) {
    try {
      unlinkSync(path);
    } catch {
      /* already gone */
    }
  }
});

/** Takes the lock of `dataDir` or throws DataDirBusy naming its live owner. */
export function lockDataDir(dataDir: string, command: string): DataDirLock {
  const path = lockPathOf(dataDir);
  const owner: LockOwner = {
    pid: process.pid,
    pidStart: pidStart(process.pid),
    hostname: hostname(),
    command,
    startedAt: new Date().toISOString(),
    token: randomBytes(24).toString('base64url'),
  };
  // Written whole to a private file first, then linked in place: link() fails if the lock
  // exists, and a reader never sees a half-written owner.
  const tmp = `${path}.tmp-${process.pid}`;
  const writeTmp = () => writeFileSync(tmp, JSON.stringify(owner), { mode: 0o600 });
  writeTmp();
  for (let attempt = 0; ; attempt++) {
    try {
      linkSync(tmp, path);
      unlinkSync(tmp);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) {
        unlinkSync(tmp);
        throw e;
      }
    }
    const current = readOwner(path);
    if (current && alive(current)) {
      unlinkSync(tmp);
      throw new DataDirBusy(dataDir, current);
    }
    // Left by a process that died (kill -9, power cut): move it aside atomically and retry; if
    // another opener did the same first, the exclusive create above decides between us.
    try {
      renameSync(path, `${path}.stale-${process.pid}`);
      unlinkSync(`${path}.stale-${process.pid}`);
    } catch {
      /* someone else removed it */
    }
  }
  held.add(path);
  return {
    path,
    owner,
    update(info) {
      Object.assign(owner, info);
      writeTmp();
      renameSync(tmp, path);
    },
    release() {
      if (!held.delete(path)) return;
      if (readOwner(path)?.token === owner.token) unlinkSync(path);
    },
  };
}
