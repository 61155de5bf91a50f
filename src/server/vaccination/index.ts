import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { careRoutes } from './care.ts';
import { certificateRoutes, loadProvinceSigner } from './certificates.ts';
import { coverageRoutes } from './coverage.ts';
import { doseRoutes } from './doses.ts';
import { scheduleCache } from './rulesets.ts';
import { loadNationalCas } from './trust-list.ts';
import { supplyRoutes } from './supply.ts';
import { unvaccinatedRoutes } from './unvaccinated.ts';

/**
 * Vaccination and certificates: the vaccine supply, rounds and sessions, screening, doses with
 * their next-dose scheduling, reactions, coverage, unvaccinated lists, and EU-DCC certificates
 * signed with the province's key (EPIGUARD_DCC_KEY_FILE / EPIGUARD_DCC_CERT_FILE) with a public
 * verifier.
 */
export async function vaccinationModule(app: FastifyInstance) {
  const schedules = scheduleCache(app.db);
  const signer = loadProvinceSigner(process.env, join(dirname(app.config.dataDir), 'dcc'));
  if (signer.problem) app.log.warn(signer.problem);
  await app.register(doseRoutes, { schedules });
  await app.register(coverageRoutes);
  await app.register(unvaccinatedRoutes);
  await app.register(certificateRoutes, {
    schedules,
    signer,
    cas: loadNationalCas(process.env),
  });
  await app.register(supplyRoutes);
  await app.register(careRoutes);
}
