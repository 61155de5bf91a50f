import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../src/server/db/index.ts';
import { prepareDatabase } from '../../src/server/bootstrap.ts';
import { testConfig, testPostgresUrl } from '../helpers/config.ts';

export const TEMPLATE_DB = 'epiguard_test_template';

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
  const stale = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'epiguard_test_%'",
  );
  for (const r of stale.rows)
    await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  const url = new URL(testPostgresUrl());
  url.pathname = '/' + TEMPLATE_DB;
  const db = await openPostgres(url.toString(), 2);
  await prepareDatabase(db, testConfig());
  await db.close();
  await admin.end();
  project.provide('postgresTemplate', TEMPLATE_DB);
}
