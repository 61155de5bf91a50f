import type { FastifyInstance } from 'fastify';
import type { ViolationTypeSet } from '../../domain/enforcement.ts';
import { ruleSetCache } from '../rulesets.ts';
import { countRoutes } from './counts.ts';
import { violationRoutes } from './violations.ts';

/**
 * Enforcement (issue 18 item 3): violations by type (a rule set of kind 'violation_types' with
 * the decree article and fine range), linked to a person and the record that shows it, with the
 * decision and fine, paid or not; the list and the counts by type and unit.
 */
export async function enforcementModule(app: FastifyInstance) {
  const types = ruleSetCache<ViolationTypeSet>(app.db, 'violation_types');
  await app.register(violationRoutes, { types });
  await app.register(countRoutes);
}
