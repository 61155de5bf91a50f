/**
 * What a checkpoint phone keeps to classify arrivals without a connection (issue 16 item 1): the
 * arrival rule sets (every version: the phone picks the one in force on the entry date, as the
 * server does), the epidemic areas, in the shapes src/domain/entry.ts reads, and unit names.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requirePermission } from '../context.ts';
import { allUnitRefs } from '../geo/units.ts';
import { allAreasCached } from './areas.ts';
import { epidemicAreasOf } from './arrival-input.ts';
import type { ArrivalRuleSets } from './rulesets.ts';

export async function offlinePackRoutes(
  server: FastifyInstance,
  opts: { rulesets: ArrivalRuleSets },
) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/entries/offline-pack',
    {
      preHandler: requirePermission('entries.write'),
      schema: {
        tags: ['entry'],
        summary:
          'Arrival rule sets and epidemic areas a checkpoint phone caches to classify offline',
      },
    },
    async () => {
      const areas = await allAreasCached(app.db);
      const units = await allUnitRefs(app.db);
      // Names for a declaration typed in on the phone: provinces, and the units areas name.
      const unitNames: Record<string, string> = {};
      for (const u of units.values()) if (u.level === 1) unitNames[u.code] = u.name;
      for (const a of areas)
        if (a.name) unitNames[a.commune_code ?? a.district_code ?? a.province_code] = a.name;
      return {
        fetchedAt: new Date().toISOString(),
        rulesets: await opts.rulesets.get(),
        areas: epidemicAreasOf(areas),
        unitNames,
      };
    },
  );
}
