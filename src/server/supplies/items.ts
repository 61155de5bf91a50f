/**
 * The catalogue of supply items: seeded from the catalogue rule sets (versioned data), read by
 * everyone who keeps stock, added to by the province.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SUPPLY_CATEGORIES, validateSupplyItem } from '../../domain/supplies.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { badRequest, conflict } from '../errors.ts';
import { type ItemRow, presentItem, TAG } from './common.ts';

/** Writes the items of every catalogue rule set not yet in the table (an edited item stays). */
export async function seedSupplyItems(q: Queryable): Promise<void> {
  await q.query(
    `INSERT INTO supply_items (code, name_vi, name_en, unit_vi, unit_en, category, daily_capacity, default_minimum, catalogue_id)
     SELECT i->>'code', i->'name'->>'vi', i->'name'->>'en', i->'unit'->>'vi', i->'unit'->>'en', i->>'category',
            (i->>'dailyCapacity')::int, (i->>'defaultMinimum')::int, r.id
       FROM rule_sets r, jsonb_array_elements(r.definition->'items') i
      WHERE r.kind = 'supply_catalogue'
      ORDER BY r.valid_from
     ON CONFLICT (code) DO NOTHING`,
  );
}

const words = z.object({
  vi: z.string().trim().min(1).max(120),
  en: z.string().trim().min(1).max(120),
});
const itemBody = z.object({
  clientId: z.uuid().optional(),
  code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'Mã: chữ thường, số, gạch dưới (2–40 ký tự)'),
  name: words,
  unit: words,
  category: z.enum(SUPPLY_CATEGORIES),
  dailyCapacity: z.number().int().min(1).max(1_000_000).nullable().optional(),
  defaultMinimum: z.number().int().min(0).max(100_000_000).default(0),
});

export async function itemRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/supplies/items',
    {
      preHandler: requirePermission('supplies.read'),
      schema: {
        tags: [TAG],
        summary:
          'The catalogue of supply items: {items[{code, name, unit, category, dailyCapacity, defaultMinimum, catalogueId}]}',
      },
    },
    async () => ({
      items: (await db.query<ItemRow>('SELECT * FROM supply_items ORDER BY category, code')).map(
        presentItem,
      ),
    }),
  );

  app.post(
    '/api/v1/supplies/items',
    {
      preHandler: requirePermission('supplies.manage'),
      schema: {
        tags: [TAG],
        summary:
          'Add an item to the catalogue (province); a replay with the same clientId returns it, another item of the same code is a 409',
        body: itemBody,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const problems = validateSupplyItem({ ...b, dailyCapacity: b.dailyCapacity ?? null });
      if (problems.length)
        throw badRequest(`${problems[0]!.path}: ${problems[0]!.message}`, problems);
      const result = await db.tx(async (q) => {
        const rows = await q.query<ItemRow>(
          `INSERT INTO supply_items (code, name_vi, name_en, unit_vi, unit_en, category, daily_capacity, default_minimum, client_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING RETURNING *`,
          [
            b.code,
            b.name.vi,
            b.name.en,
            b.unit.vi,
            b.unit.en,
            b.category,
            b.dailyCapacity ?? null,
            b.defaultMinimum,
            b.clientId ?? null,
            requireActor(req).id,
          ],
        );
        if (rows[0]) {
          await audit(q, req, {
            action: 'supplies.manage',
            resourceType: 'supply_item',
            resourceId: b.code,
            outcome: 'allowed',
          });
          return { row: rows[0], created: true };
        }
        const same = (
          await q.query<ItemRow & { client_id: string | null }>(
            'SELECT * FROM supply_items WHERE code = $1',
            [b.code],
          )
        )[0];
        if (same && b.clientId && same.client_id === b.clientId)
          return { row: same, created: false };
        throw conflict(`Mã vật tư ${b.code} đã có trong danh mục`, [
          { path: 'code', message: 'Mã đã có' },
        ]);
      });
      return reply.status(result.created ? 201 : 200).send(presentItem(result.row));
    },
  );
}
