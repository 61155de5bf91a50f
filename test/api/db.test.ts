import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Db } from '../../src/server/db/index.ts';
import { ENGINE, openTestDb } from '../helpers/app.ts';

/** The two engines behind `Db`: transactions, and the one mistake the embedded one can't bear. */
let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
});
afterAll(() => drop?.());

describe(`Db on ${ENGINE}`, () => {
  it('commits all of a transaction or none of it', async () => {
    await db.exec('CREATE TABLE t_tx (n int)');
    await db.tx((q) => q.query('INSERT INTO t_tx VALUES (1)'));
    await expect(
      db.tx(async (q) => {
        await q.query('INSERT INTO t_tx VALUES (2)');
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await db.query('SELECT n FROM t_tx ORDER BY n')).toEqual([{ n: 1 }]);
  });

  it.runIf(ENGINE === 'pglite')(
    'refuses a query through the database inside its own transaction instead of waiting forever',
    async () => {
      await expect(db.tx(() => db.query('SELECT 1'))).rejects.toThrow('db.query inside db.tx');
      // and is usable afterwards
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    },
  );

  it.runIf(ENGINE === 'pglite')(
    'opens a data folder whose parents do not exist yet (./var/db on a fresh clone)',
    async () => {
      const root = await mkdtemp(join(tmpdir(), 'epiguard-db-'));
      const lite = await openPglite(join(root, 'var', 'db'));
      expect(await lite.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await lite.close();
      await rm(root, { recursive: true, force: true });
    },
  );
});
