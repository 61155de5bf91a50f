/**
 * Who is waiting for a place: F1 whose quarantine order says "centralised" and who are not in a
 * facility yet, from the facility's district (the district's facilities take its F1), oldest
 * order first. A facility manager admits from this list: the open order is the warrant to admit
 * its person at a facility of the order's district, though the person lives outside the
 * manager's site (see `orderWarrant`).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit, requirePermission } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { TAG } from './common.ts';
import { loadFacility } from './facilities.ts';

interface WaitingRow {
  id: string;
  person_id: string;
  full_name: string;
  birth_year: number;
  case_id: string;
  case_code: string;
  commune_code: string;
  start_date: string;
  quarantine_ends: string | null;
  created_at: string;
}

/**
 * The list's SQL (exported for the plan test): open centralised orders of one district with no
 * current stay, keyset on (created_at, id) through quarantine_orders_centralised_open (0023).
 */
export function waitingListSql(params: unknown[], after: unknown[] | null, limit: number) {
  const where = [
    `o.district_code = $1`,
    `o.kind = 'centralised'`,
    `o.status = 'open'`,
    `NOT EXISTS (SELECT 1 FROM care_admissions s WHERE s.person_id = o.person_id AND s.status = 'admitted')`,
  ];
  if (after) {
    params.push(after[0], after[1]);
    where.push(
      `(o.created_at, o.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
    );
  }
  params.push(limit + 1);
  return `SELECT o.id, o.person_id, p.full_name, p.birth_year, o.case_id, c.code AS case_code, o.commune_code,
      o.start_date::text AS start_date, o.quarantine_ends::text AS quarantine_ends,
      to_json(o.created_at) #>> '{}' AS created_at
    FROM (SELECT * FROM quarantine_orders o WHERE ${where.join(' AND ')}
          ORDER BY o.created_at, o.id LIMIT $${params.length}) o
    JOIN persons p ON p.id = o.person_id JOIN cases c ON c.id = o.case_id
    ORDER BY o.created_at, o.id`;
}

/**
 * May the order stand in for the person's scope? Yes when it is open, centralised, for that
 * person, and of the facility's district.
 */
export async function orderWarrant(
  q: Queryable,
  orderId: string,
  personId: string,
  facilityDistrict: string,
) {
  const r = await q.query<{ case_id: string }>(
    `SELECT case_id FROM quarantine_orders WHERE id = $1 AND person_id = $2 AND district_code = $3
        AND kind = 'centralised' AND status = 'open'`,
    [orderId, personId, facilityDistrict],
  );
  return r[0] ?? null;
}

export async function waitingRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  app.get(
    '/api/v1/facilities/:id/waiting',
    {
      preHandler: requirePermission('admissions.write'),
      schema: {
        tags: [TAG],
        summary:
          'F1 of the facility’s district ordered into centralised quarantine and not admitted yet, oldest order first',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ ...pageQuery }),
      },
    },
    async (req) => {
      const f = await loadFacility(req, req.params.id, 'admissions.write');
      const params: unknown[] = [f.district_code];
      const rows = await db.query<WaitingRow>(
        waitingListSql(
          params,
          decodeCursor(req.query.cursor, ['timestamp', 'uuid']),
          req.query.limit,
        ),
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [r.created_at, r.id]);
      await audit(db, req, {
        action: 'admissions.waiting',
        resourceType: 'care_facility',
        resourceId: f.id,
        outcome: 'allowed',
        detail: { count: pg.items.length },
      });
      return {
        items: pg.items.map((r) => ({
          orderId: r.id,
          person: { id: r.person_id, fullName: r.full_name, birthYear: r.birth_year },
          caseId: r.case_id,
          caseCode: r.case_code,
          communeCode: r.commune_code,
          startDate: r.start_date,
          quarantineEnds: r.quarantine_ends,
        })),
        nextCursor: pg.nextCursor,
      };
    },
  );
}
