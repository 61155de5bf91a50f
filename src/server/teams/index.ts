import type { FastifyInstance } from 'fastify';
import { teamRoutes } from './routes.ts';
import { teamTaskRoutes } from './tasks.ts';

/**
 * Community COVID teams (issue 18 item 2): a village's teams, their members and households, the
 * one task list that gathers what the modules ask of the village, and the weekly report.
 */
export async function teamsModule(app: FastifyInstance) {
  await app.register(teamRoutes);
  await app.register(teamTaskRoutes);
}
