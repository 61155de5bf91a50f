import type { FastifyInstance } from 'fastify';
import { workplaceRoutes } from './routes.ts';

/**
 * Workplaces and schools (issue 18 item 4): registration, the periodic COVID-safety
 * self-assessment (rule set kind 'workplace_safety'), the outbreak flag raised by the screening
 * results their reporters upload through the testing module (store.ts `noteScreening`), and the
 * area's risk list, overdue list and risk map.
 */
export async function workplacesModule(app: FastifyInstance) {
  await app.register(workplaceRoutes);
}
