/** Holders of stock: a unit's warehouse or a facility (a site), each in one place of the tree. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit, requireActor, requirePermission } from '../context.ts';
import { unitCode, unitForActor } from '../care/common.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { placeInScope } from '../scoped-ids.ts';
import { HOLDER_COLUMNS, type HolderRow, listScope, presentHolder, TAG } from './common.ts';

/** The list's SQL (exported for the plan test): holders in scope by name, keyset on (name, id). */
export function holderListSql(
  scopeSql: string,
  params: unknown[],
  after: unknown[] | null,
  limit: number,
) {
  const where = [scopeSql];
  if (after) {
    params.push(after[0], after[1]);
    where.push(`(h.name, h.id) > ($${params.length - 1}::text, $${params.length}::uuid)`);
  }
  params.push(limit + 1);
  return `SELECT ${HOLDER_COLUMNS} FROM supply_holders h WHERE ${where.join(' AND ')}
    ORDER BY h.name, h.id LIMIT $${params.length}`;
}

const holderBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('unit'),
    clientId: z.uuid().optional(),
    unitCode,
    name: z.string().trim().min(1).max(200).optional(),
  }),
  z.object({
    kind: z.literal('facility'),
    clientId: z.uuid().optional(),
    siteId: z.uuid(),
    name: z.string().trim().min(1).max(200).optional(),
  }),
]);

export async function holderRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/supplies/holders',
    {
      preHandler: requirePermission('supplies.read'),
      schema: {
        tags: [TAG],
        summary: 'Holders of stock in your area (or a unit of it), by name, keyset paged',
        querystring: z.object({ unit: unitCode.optional(), ...pageQuery }),
      },
    },
    async (req) => {
      const params: unknown[] = [];
      const scopeSql = await listScope(req, params, 'h', req.query.unit, 'supplies.read');
      const rows = await db.query<HolderRow>(
        holderListSql(
          scopeSql,
          params,
          decodeCursor(req.query.cursor, ['text', 'uuid']),
          req.query.limit,
        ),
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [r.name, r.id]);
      return { items: pg.items.map(presentHolder), nextCursor: pg.nextCursor };
    },
  );

  app.post(
    '/api/v1/supplies/holders',
    {
      preHandler: requirePermission('supplies.write'),
      schema: {
        tags: [TAG],
        summary:
          "Open a holder: a unit's warehouse (unitCode) or a facility (siteId); a replay returns the same holder",
        body: holderBody,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const actor = requireActor(req);
      let values: Omit<HolderRow, 'id'>;
      if (b.kind === 'unit') {
        const u = await unitForActor(req, b.unitCode, 'supplies.write');
        values = {
          kind: 'unit',
          name: b.name ?? `Kho ${u.name}`,
          unit_code: u.code,
          site_id: null,
          province_code: u.province_code,
          district_code: u.level === 1 ? null : u.level === 2 ? u.code : u.district_code,
          commune_code: u.level === 3 ? u.code : null,
        };
      } else {
        const s = (
          await db.query<{
            name: string;
            province_code: string;
            district_code: string;
            commune_code: string;
          }>('SELECT name, province_code, district_code, commune_code FROM sites WHERE id = $1', [
            b.siteId,
          ])
        )[0];
        await placeInScope(req, {
          action: 'supplies.write',
          resourceType: 'site',
          id: b.siteId,
          field: 'siteId',
          place: s && {
            provinceCode: s.province_code,
            districtCode: s.district_code,
            communeCode: s.commune_code,
            siteId: b.siteId,
          },
          label: 'Cơ sở',
        });
        values = {
          kind: 'facility',
          name: b.name ?? s!.name,
          unit_code: s!.commune_code,
          site_id: b.siteId,
          province_code: s!.province_code,
          district_code: s!.district_code,
          commune_code: s!.commune_code,
        };
      }
      const { row, created } = await db.tx(async (q) => {
        const ins = await q.query<HolderRow>(
          `INSERT INTO supply_holders AS h (client_id, kind, name, unit_code, site_id, province_code, district_code, commune_code, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (client_id) DO NOTHING RETURNING ${HOLDER_COLUMNS}`,
          [
            b.clientId ?? null,
            values.kind,
            values.name,
            values.unit_code,
            values.site_id,
            values.province_code,
            values.district_code,
            values.commune_code,
            actor.id,
          ],
        );
        if (ins[0]) {
          await audit(q, req, {
            action: 'supplies.write',
            resourceType: 'supply_holder',
            resourceId: ins[0].id,
            outcome: 'allowed',
          });
          return { row: ins[0], created: true };
        }
        const same = await q.query<HolderRow>(
          `SELECT ${HOLDER_COLUMNS} FROM supply_holders h WHERE h.client_id = $1`,
          [b.clientId],
        );
        return { row: same[0]!, created: false };
      });
      return reply.status(created ? 201 : 200).send(presentHolder(row));
    },
  );
}
