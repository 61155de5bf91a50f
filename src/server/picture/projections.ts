import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { chime, ChimeError } from '../../domain/chime.ts';
import { requirePermission } from '../context.ts';
import { fieldError } from '../errors.ts';
import { isoDate } from '../vaccination/common.ts';

const rate = z.number().min(0).max(1);
const disposition = z.object({ rate, days: z.number().int().min(1).max(365) });

/** CHIME's own parameter names (shared/models/CHIME.md §2). */
export const chimeBody = z.object({
  population: z.number().int().min(1),
  current_hospitalized: z.number().min(0),
  current_date: isoDate,
  doubling_time: z.number().positive().max(100).nullable().optional(),
  date_first_hospitalized: isoDate.nullable().optional(),
  mitigation_date: isoDate.nullable().optional(),
  relative_contact_rate: rate,
  infectious_days: z.number().positive().max(100),
  market_share: rate,
  hospitalized: disposition,
  icu: disposition,
  ventilated: disposition,
  n_days: z.number().int().min(1).max(30).default(30),
  recovered: z.number().min(0).default(0),
});

export async function projectionRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/v1/projections/chime',
    {
      preHandler: requirePermission('projections.run'),
      schema: {
        tags: ['projections'],
        summary: 'CHIME projection of hospital admissions and census (CHIME v1.1.5)',
        description:
          'Parameters as CHIME names them; exactly one of doubling_time and date_first_hospitalized. Returns the summary (i_day, R0, Rt, growth rates, doubling time after distancing) and one row per day.',
        body: chimeBody,
      },
    },
    async (req) => {
      try {
        return chime(req.body);
      } catch (e) {
        if (e instanceof ChimeError) throw fieldError(e.field, e.message);
        throw e;
      }
    },
  );
}
