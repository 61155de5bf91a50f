import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROLES } from '../domain/access.ts';
import { openPglite } from '../server/db/index.ts';
import { main } from './main.ts';

/** The `epiguard` command on a real embedded database in a temporary folder. */
let dir: string;
let env: NodeJS.ProcessEnv;
let stdout: string[];
let stderr: string[];

async function run(...argv: string[]) {
  stdout = [];
  stderr = [];
  const o = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((s) => (stdout.push(String(s)), true));
  const e = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((s) => (stderr.push(String(s)), true));
  try {
    return await main(argv, env);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

async function usernames(dataDir: string) {
  const db = await openPglite(dataDir);
  const rows = await db.query<{ username: string }>('SELECT username FROM users ORDER BY username');
  await db.close();
  return rows.map((r) => r.username);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'epiguard-cli-'));
  env = { EPIGUARD_DATA_DIR: join(dir, 'db'), LOG_LEVEL: 'silent' };
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('epiguard CLI', { timeout: 120_000 }, () => {
  it('prints usage and exits 2 without a command, or with an unknown one', async () => {
    expect(await run()).toBe(2);
    expect(stdout.join('')).toContain('Usage: epiguard');
    expect(await run('fly')).toBe(2);
    expect(stderr.join('')).toContain('unknown command "fly"');
  });

  it('migrates a new database', async () => {
    expect(await run('migrate')).toBe(0);
    expect(stdout.join('')).toContain('0001_foundation');
    expect(await run('migrate')).toBe(0);
    expect(stdout.join('')).toContain('up to date');
  });

  it('creates the first admin with a generated password shown once, then demo accounts', async () => {
    expect(await run('demo')).toBe(0);
    const text = stdout.join('');
    expect(text).toMatch(/user "admin" was created with this password/);
    expect(text).toContain('demo.xa.muongthanh');
    expect(text).toContain('demo.xa.thanhhung');
    const first = await usernames(env.EPIGUARD_DATA_DIR!);
    expect(first).toContain('demo.checkpoint.thanhhung');
    // Every role of the product has a demo account (issue 16 item 8).
    const db = await openPglite(env.EPIGUARD_DATA_DIR!);
    const roles = await db.query<{ role: string }>(
      `SELECT DISTINCT role FROM users WHERE username LIKE 'demo.%' ORDER BY role`,
    );
    await db.close();
    expect(roles.map((r) => r.role)).toEqual([...ROLES].sort());
    expect(first).toContain('demo.transportcompany.muongthanh');
    expect(first).toContain('demo.sgtvt');
    // one per role in two communes, plus the province-level ones
    expect(await run('demo')).toBe(0);
    expect(stdout.join('')).not.toContain('was created with this password');
    expect(await usernames(env.EPIGUARD_DATA_DIR!)).toEqual(first);
  });

  it('creates a user from the command line, checking its arguments', async () => {
    expect(
      await run(
        'create-user',
        '--username',
        'xa.thanhminh',
        '--full-name',
        'Trạm Y tế Thanh Minh',
        '--role',
        'commune_health',
        '--unit',
        '03145',
      ),
    ).toBe(0);
    expect(stdout.join('')).toMatch(/password: \S{19}/);
    expect(
      await run(
        'create-user',
        '--username',
        'x',
        '--full-name',
        'X',
        '--role',
        'pilot',
        '--unit',
        '03145',
      ),
    ).toBe(2);
    expect(
      await run(
        'create-user',
        '--username',
        'y',
        '--full-name',
        'Y',
        '--role',
        'commune_health',
        '--unit',
        '094',
      ),
    ).toBe(1);
    expect(stderr.join('')).toContain('not placed at district level');
    expect(
      await run(
        'create-user',
        '--username',
        'z',
        '--full-name',
        'Z',
        '--role',
        'commune_health',
        '--unit',
        '99999',
      ),
    ).toBe(1);
    expect(stderr.join('')).toContain('99999');
  });

  it('backs up and restores the embedded database', async () => {
    const file = join(dir, 'backup.tar.gz');
    expect(await run('backup', file)).toBe(0);
    const before = await usernames(env.EPIGUARD_DATA_DIR!);
    const restoredEnv = { ...env, EPIGUARD_DATA_DIR: join(dir, 'restored') };
    const saved = env;
    env = restoredEnv;
    expect(await run('restore', file)).toBe(0);
    expect(await usernames(restoredEnv.EPIGUARD_DATA_DIR!)).toEqual(before);
    expect(await run('restore', file)).toBe(1);
    expect(stderr.join('')).toContain('--force');
    expect(await run('restore', file, '--force')).toBe(0);
    env = saved;
  });

  it('refuses backup on a PostgreSQL server', async () => {
    const saved = env;
    env = { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    expect(await run('backup', 'x.tar.gz')).toBe(2);
    expect(stderr.join('')).toContain('pg_dump');
    env = saved;
  });
});
