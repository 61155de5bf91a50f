import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../src/server/db/index.ts';
import { prepareDatabase } from '../../src/server/bootstrap.ts';
import { testConfig, testPostgresUrl } from '../helpers/config.ts';

// Names carry a per-run id, so that two suites on one server (two developers, or a developer
// and CI) never drop each other's databases.
const RUN = randomBytes(4).toString('hex');
export const TEMPLATE_DB = `epiguard_t_${RUN}_template`;

/**
 * Needs a PostgreSQL server (EPIGUARD_TEST_DATABASE_URL, default postgres@127.0.0.1:5432;
 * `.ci/run` installs and starts one). Builds a template database once; each test file gets
 * its own copy with CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject) {
  const admin = new pg.Client({ connectionString: testPostgresUrl() });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(
      `The PostgreSQL tests need a server at ${testPostgresUrl()} (set EPIGUARD_TEST_DATABASE_URL; bash .ci/run installs and starts one): ${(e as Error).message}`,
    );
  }
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  const url = new URL(testPostgresUrl());
  url.pathname = '/' + TEMPLATE_DB;
  const db = await openPostgres(url.toString(), 2);
  await prepareDatabase(db, testConfig());
  await db.close();
  await admin.end();
  project.provide('postgresTemplate', TEMPLATE_DB);
  project.provide('postgresRun', RUN);
  return async () => {
    const c = new pg.Client({ connectionString: testPostgresUrl() });
    await c.connect();
    const mine = await c.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`epiguard_t_${RUN}_%`],
    );
    for (const r of mine.rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    await c.end();
  };
}
