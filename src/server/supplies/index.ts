import type { FastifyInstance } from 'fastify';
import { holderRoutes } from './holders.ts';
import { itemRoutes } from './items.ts';
import { movementRoutes } from './movements.ts';
import { stockRoutes } from './stock.ts';

/**
 * Supplies (issue 18 item 1): the catalogue, holders (a unit's warehouse or a facility), the
 * ledger of movements that never goes below zero, stock per holder and per unit with days of
 * stock and alerts under a configured minimum.
 */
export async function suppliesModule(app: FastifyInstance) {
  await app.register(itemRoutes);
  await app.register(holderRoutes);
  await app.register(movementRoutes);
  await app.register(stockRoutes);
}
