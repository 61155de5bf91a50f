import type { FastifyInstance } from 'fastify';
import { areaRoutes } from './areas.ts';
import { declarationRoutes } from './declarations.ts';
import { entryRoutes } from './entries.ts';
import { followUpRoutes } from './followups.ts';
import { loadSigningKey } from './keys.ts';
import { matchRoutes } from './match.ts';
import { offlinePackRoutes } from './offline-pack.ts';
import { arrivalRuleSets } from './rulesets.ts';
import { entryStatsRoutes } from './stats.ts';

/**
 * Entry control (DienBien Guard): epidemic areas, public declarations with a signed QR,
 * entries at checkpoints / the airport / lodging with their classification, follow-up by the
 * destination commune, and the figures per checkpoint per day.
 */
export async function entryModule(app: FastifyInstance) {
  const key = await loadSigningKey(app.db, process.env.EPIGUARD_DECLARATION_KEY_FILE || undefined);
  const rulesets = arrivalRuleSets(app.db);
  await app.register(areaRoutes);
  await app.register(declarationRoutes, { key });
  await app.register(entryRoutes, { key, rulesets });
  await app.register(offlinePackRoutes, { rulesets });
  await app.register(followUpRoutes);
  await app.register(matchRoutes);
  await app.register(entryStatsRoutes);
}
