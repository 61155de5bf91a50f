import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/server/app.ts';
import { type Db, openPglite } from '../../src/server/db/index.ts';
import { prepareDatabase } from '../../src/server/bootstrap.ts';
import type { Config } from '../../src/server/config.ts';
import { ADMIN_PASSWORD, testConfig } from './config.ts';

/**
 * The real server on a random port: a fresh embedded database with the geography, the admin
 * user, production rate limits, and the built web app (the e2e global setup builds it).
 */
export async function startTestServer(
  overrides: Partial<Config> = {},
  // issue 16 item 8: e.g. load the demo scenario into the database before the server listens
  beforeListen?: (db: Db, config: Config) => Promise<void>,
): Promise<{
  url: string;
  adminPassword: string;
  close(): Promise<void>;
}> {
  const config = testConfig({ rateLimits: true, port: 0, host: '127.0.0.1', ...overrides });
  const db = await openPglite();
  await prepareDatabase(db, config);
  if (beforeListen) await beforeListen(db, config);
  const app = await buildApp({ db, config, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    adminPassword: ADMIN_PASSWORD,
    async close() {
      await app.close();
      await db.close();
    },
  };
}
