import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPglite } from '../../src/server/db/index.ts';
import { prepareDatabase } from '../../src/server/bootstrap.ts';
import { testConfig } from '../helpers/config.ts';

/**
 * Builds one migrated embedded database with the geography loaded and saves it as a tarball;
 * every test file starts its own PGlite from that copy instead of loading 11,371 units again.
 */
export default async function setup(project: TestProject) {
  const db = await openPglite();
  await prepareDatabase(db, testConfig());
  const dump = await db.pglite!.dumpDataDir('none');
  await db.close();
  const dir = await mkdtemp(join(tmpdir(), 'epiguard-test-'));
  const file = join(dir, 'template.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
    postgresRun: string;
  }
}
