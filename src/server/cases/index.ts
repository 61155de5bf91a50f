import type { FastifyInstance } from 'fastify';
import { caseRoutes } from './cases.ts';
import { clusterRoutes } from './clusters.ts';
import { contactRoutes } from './contacts.ts';
import { noticeRoutes } from './notices-routes.ts';
import { venueRoutes } from './venues.ts';

/**
 * Cases and contact tracing: F0 cases and their status, co-presence (entries, lodging, venue
 * QR check-ins, interviews, households), F1/F2 candidates with evidence, confirmation with a
 * quarantine order under the rule set in force, the commune's tracing board, clusters,
 * lockdown areas, transmission graphs, and notices to communes.
 */
export async function casesModule(app: FastifyInstance) {
  await app.register(caseRoutes);
  await app.register(contactRoutes);
  await app.register(venueRoutes);
  await app.register(clusterRoutes);
  await app.register(noticeRoutes);
}
