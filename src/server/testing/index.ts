import type { FastifyInstance } from 'fastify';
import { fhirRoutes } from './fhir.ts';
import { importWorker } from './import-jobs.ts';
import { importRoutes } from './imports.ts';
import { lookupRoutes } from './lookup.ts';
import { orderRoutes } from './orders.ts';
import { poolRoutes } from './pools.ts';
import { resultRoutes } from './results.ts';
import { f0Cache } from './rulesets.ts';
import { testStatsRoutes } from './stats.ts';

/**
 * Testing and labs: the test-type catalogue, screening campaigns, orders, specimens with their
 * label code, pools and their retests, results one by one and uploaded in bulk (background
 * jobs), the F0 decision on positives, FHIR R4 exchange, the citizen's own lookup, and figures.
 */
export async function testingModule(app: FastifyInstance) {
  const f0 = f0Cache(app.db);
  const worker = importWorker(app.db, f0, app.config.province);
  await app.register(orderRoutes);
  await app.register(poolRoutes, { f0 });
  await app.register(resultRoutes, { f0 });
  await app.register(importRoutes, { worker });
  await app.register(fhirRoutes, { f0 });
  await app.register(testStatsRoutes);
  await app.register(lookupRoutes);
  // Jobs left queued or running by a previous process carry on (import-jobs.ts: the sweeper).
  app.addHook('onReady', async () => {
    await worker.start(app.db.engine === 'pglite');
  });
  app.addHook('onClose', async () => {
    await worker.stop();
  });
}
