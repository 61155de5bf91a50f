/**
 * Transit yards with capacity (issue 17 item 4): the transport authority sets a yard's capacity;
 * occupancy changes in each passage's transaction (a trip reaching the yard enters it, the trip
 * leaving it for the gate or out of the province leaves it); a vehicle entering a full yard is
 * flagged on its passage (the domain's `yardEntry` decides and words it); the gate board shows
 * its yards' occupancy against their capacity.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { yardEntry } from '../../domain/greenlane.ts';
import { audit, loadScoped, requirePermission } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { loadSite, sitePlace } from './store.ts';

export interface YardState {
  siteId: string;
  occupied: number;
  capacity: number | null;
  full: boolean;
  reason: { vi: string; en: string } | null;
}

/** A trip enters the yard at `siteId`: occupancy +1, flagged when the yard was already full. */
export async function enterYard(
  q: Queryable,
  siteId: string,
  tripId: string,
  passageId: string,
): Promise<YardState> {
  const r = (
    await q.query<{ occupied: number; capacity: number | null }>(
      `INSERT INTO green_lane_yards (site_id, occupied) VALUES ($1, 1)
       ON CONFLICT (site_id) DO UPDATE SET occupied = green_lane_yards.occupied + 1, updated_at = now()
       RETURNING occupied, capacity`,
      [siteId],
    )
  )[0]!;
  const entry = yardEntry(r.occupied - 1, r.capacity);
  await q.query('UPDATE green_lane_trips SET yard_site_id = $2 WHERE id = $1', [tripId, siteId]);
  if (entry.full)
    await q.query('UPDATE green_lane_passages SET yard_full = true WHERE id = $1', [passageId]);
  return {
    siteId,
    occupied: r.occupied,
    capacity: r.capacity,
    full: entry.full,
    reason: entry.reason,
  };
}

/** The trip left its yard (for the gate, or out of the province). */
export async function leaveYard(q: Queryable, siteId: string) {
  await q.query(
    `UPDATE green_lane_yards SET occupied = GREATEST(occupied - 1, 0), updated_at = now() WHERE site_id = $1`,
    [siteId],
  );
}

/** The yards on the routes to a gate, with their occupancy and capacity (a few rows). */
export async function yardsOfGate(q: Queryable, gateSiteId: string) {
  const rows = await q.query<{
    id: string;
    name: string;
    occupied: number | null;
    capacity: number | null;
  }>(
    `SELECT s.id, s.name, y.occupied, y.capacity
       FROM (SELECT DISTINCT yard_site_id FROM green_lane_routes WHERE gate_site_id = $1) r
       JOIN sites s ON s.id = r.yard_site_id LEFT JOIN green_lane_yards y ON y.site_id = s.id
      ORDER BY s.name, s.id`,
    [gateSiteId],
  );
  return rows.map((y) => ({
    siteId: y.id,
    name: y.name,
    occupied: y.occupied ?? 0,
    capacity: y.capacity,
    full: y.capacity !== null && (y.occupied ?? 0) >= y.capacity,
  }));
}

export async function yardRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  app.put(
    '/api/v1/green-lane/yards/:siteId',
    {
      preHandler: requirePermission('greenlane.manage'),
      schema: {
        tags: ['green-lane'],
        summary: 'Set a transit yard’s capacity (vehicles); its occupancy is kept by the passages',
        params: z.object({ siteId: z.uuid() }),
        body: z.object({ capacity: z.number().int().min(0).max(100_000) }),
      },
    },
    async (req) => {
      const site = await loadScoped(req, {
        action: 'greenlane.manage',
        resourceType: 'site',
        id: req.params.siteId,
        label: 'Bãi trung chuyển',
        auditAllowed: false,
        load: async () => {
          const s = await loadSite(db, req.params.siteId);
          return s && s.kind === 'transit_yard' ? Object.assign(s, sitePlace(s)) : undefined;
        },
      });
      const r = await db.tx(async (q) => {
        const row = (
          await q.query<{ occupied: number; capacity: number }>(
            `INSERT INTO green_lane_yards (site_id, capacity) VALUES ($1, $2)
             ON CONFLICT (site_id) DO UPDATE SET capacity = EXCLUDED.capacity, updated_at = now()
             RETURNING occupied, capacity`,
            [site.id, req.body.capacity],
          )
        )[0]!;
        await audit(q, req, {
          action: 'greenlane.manage',
          resourceType: 'site',
          resourceId: site.id,
          outcome: 'allowed',
          detail: { yardCapacity: req.body.capacity },
        });
        return row;
      });
      return {
        siteId: site.id,
        name: site.name,
        capacity: r.capacity,
        occupied: r.occupied,
        full: r.occupied >= r.capacity,
      };
    },
  );
}
