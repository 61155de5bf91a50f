import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import type { Config } from '../../src/server/config.ts';
import { type Db, openPglite, openPostgres } from '../../src/server/db/index.ts';
import { ADMIN_PASSWORD, testConfig, testPostgresUrl } from './config.ts';

export type Engine = 'pglite' | 'postgres';
export const ENGINE: Engine =
  process.env.EPIGUARD_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';

/** A fresh database, migrated and with the geography, on the engine this project tests. */
export async function openTestDb(
  engine: Engine = ENGINE,
): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (engine === 'pglite') {
    const data = await readFile(inject('pgliteTemplate'));
    const db = await openPglite(undefined, new Blob([data]));
    return { db, drop: () => db.close() };
  }
  const name = `epiguard_t_${inject('postgresRun')}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`);
  const url = new URL(testPostgresUrl());
  url.pathname = '/' + name;
  const db = await openPostgres(url.toString(), 5);
  return {
    db,
    drop: async () => {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  /** Logs in through the real endpoint and returns the cookie header to send. */
  login(username: string, password?: string): Promise<string>;
  /** A request as the user holding `cookie`. */
  as(
    cookie: string | null,
    method: string,
    url: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse>;
  /**
   * Creates a user through the real endpoint (as the first administrator, password
   * 'password-123', full name "Cán bộ <username>") and returns their login cookie.
   */
  staff(username: string, role: string, jurisdiction: object): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const { db, drop } = await openTestDb();
  const log = !!process.env.EPIGUARD_TEST_LOG;
  const app = await buildApp({
    db,
    config: testConfig({ ...(log ? { logLevel: 'error' } : {}), ...overrides }),
    logger: log,
  });
  await app.ready();
  const as: TestApp['as'] = (cookie, method, url, body) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: cookie ? { cookie } : {},
      ...(body === undefined ? {} : { payload: body as object }),
    });
  const login: TestApp['login'] = async (username, password = ADMIN_PASSWORD) => {
    const res = await as(null, 'POST', '/api/v1/auth/login', { username, password });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    const c = res.cookies.find((k) => k.name === 'eg_session');
    return `eg_session=${c!.value}`;
  };
  let admin: string | null = null;
  return {
    app,
    db,
    as,
    login,
    async staff(username, role, jurisdiction) {
      admin ??= await login('admin');
      const r = await as(admin, 'POST', '/api/v1/users', {
        username,
        fullName: `Cán bộ ${username}`,
        password: 'password-123',
        role,
        jurisdiction,
      });
      if (r.statusCode !== 201) throw new Error(`user ${username}: ${r.statusCode} ${r.body}`);
      return login(username, 'password-123');
    },
    async close() {
      await app.close();
      await drop();
    },
  };
}
