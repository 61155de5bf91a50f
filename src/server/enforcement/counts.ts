/** Violations counted by type and by unit for the report, from the maintained counts. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unitCode, unitForActor } from '../care/common.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import { TAG } from './violations.ts';

type Column = 'province_code' | 'district_code' | 'commune_code';
const CHILD: Record<Column, Column> = {
  province_code: 'district_code',
  district_code: 'commune_code',
  commune_code: 'commune_code',
};
const SUMS = `sum(c.n)::int AS n, sum(c.fined)::int AS fined, sum(c.fine_total)::bigint AS fine_total,
  sum(c.paid_n)::int AS paid_n, sum(c.paid_total)::bigint AS paid_total`;
interface Sums {
  n: number;
  fined: number;
  fine_total: number;
  paid_n: number;
  paid_total: number;
}
const sums = (r: Sums) => ({
  count: r.n,
  fined: r.fined,
  fineTotal: Number(r.fine_total),
  paid: r.paid_n,
  paidTotal: Number(r.paid_total),
});

export async function countRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  app.get(
    '/api/v1/violations/counts',
    {
      preHandler: requirePermission('violations.read'),
      schema: {
        tags: [TAG],
        summary:
          'Violations of a unit (default: yours) by type and by sub-unit, with fines imposed and paid',
        querystring: z.object({ unit: unitCode.optional() }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const code =
        req.query.unit ??
        actor.scope.communeCode ??
        actor.scope.districtCode ??
        actor.scope.provinceCode;
      const u = await unitForActor(req, code, 'violations.read');
      const col = u.column as Column;
      const child = CHILD[col];
      const [byType, byUnit] = await Promise.all([
        db.query<Sums & { type_code: string }>(
          `SELECT type_code, ${SUMS} FROM violation_counts c WHERE c.${col} = $1 GROUP BY type_code ORDER BY type_code`,
          [u.code],
        ),
        db.query<Sums & { code: string; name: string }>(
          `SELECT c.code, a.name, ${SUMS}
             FROM (SELECT ${child} AS code, n, fined, fine_total, paid_n, paid_total FROM violation_counts WHERE ${col} = $1) c
             JOIN admin_units a ON a.code = c.code GROUP BY c.code, a.name ORDER BY a.name`,
          [u.code],
        ),
      ]);
      await audit(db, req, {
        action: 'violations.read',
        resourceType: 'violation_counts',
        resourceId: u.code,
        outcome: 'allowed',
      });
      const total = byType.reduce(
        (s, r) => ({
          n: s.n + r.n,
          fined: s.fined + r.fined,
          fine_total: s.fine_total + Number(r.fine_total),
          paid_n: s.paid_n + r.paid_n,
          paid_total: s.paid_total + Number(r.paid_total),
        }),
        { n: 0, fined: 0, fine_total: 0, paid_n: 0, paid_total: 0 },
      );
      return {
        unit: { code: u.code, name: u.name, level: u.level },
        total: sums(total),
        byType: byType.map((r) => ({ typeCode: r.type_code, ...sums(r) })),
        byUnit: byUnit.map((r) => ({ code: r.code, name: r.name, ...sums(r) })),
      };
    },
  );
}
