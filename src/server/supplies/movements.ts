/**
 * The ledger: receipts, issues, transfers between holders and counts. Each movement is one
 * transaction: the movement row (idempotent by clientId), the maintained stock rows it moves and,
 * last, the stock of the units above them (unit-stock.ts);
 * a movement out is a conditional UPDATE … WHERE on_hand >= qty, so of two concurrent issues of
 * the last units one wins and the other gets 409, and the stock is never negative.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  applyMovement,
  MAX_QUANTITY,
  MOVEMENT_KINDS,
  type MovementKind,
} from '../../domain/supplies.ts';
import { todayVn } from '../care/common.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { badRequest, conflict, fieldError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { isoDate } from '../vaccination/common.ts';
import { holderInScope, type HolderRow, loadItem, TAG } from './common.ts';
import { addUnitUsage, applyUnitChanges, ensureStock, type StockChange } from './unit-stock.ts';

export const movementBody = z.object({
  clientId: z
    .uuid()
    .describe('Client-made UUID: a replay returns the same movement, not a second one'),
  kind: z.enum(MOVEMENT_KINDS),
  itemCode: z.string().min(1).max(40),
  holderId: z.uuid().describe('The holder the movement is recorded at (the source of a transfer)'),
  toHolderId: z.uuid().optional().describe('Transfer only: the receiving holder'),
  quantity: z.number().int().min(0).max(MAX_QUANTITY).describe('Moved, or counted for a count'),
  occurredOn: isoDate.optional(),
  note: z.string().trim().max(500).optional(),
});
type MovementBody = z.infer<typeof movementBody>;

interface MovementRow {
  id: string;
  client_id: string;
  kind: MovementKind;
  item_code: string;
  holder_id: string;
  to_holder_id: string | null;
  quantity: number;
  delta: number;
  on_hand_after: number;
  occurred_on: string;
  note: string | null;
  created_at: string;
  /** created_at to the microsecond, for the cursor */
  created_key: string;
}
const MOVEMENT_COLUMNS = `m.id, m.client_id, m.kind, m.item_code, m.holder_id, m.to_holder_id, m.quantity, m.delta,
  m.on_hand_after, m.occurred_on::text AS occurred_on, m.note, m.created_at, m.created_at::text AS created_key`;

const presentMovement = (m: MovementRow) => ({
  id: m.id,
  clientId: m.client_id,
  kind: m.kind,
  itemCode: m.item_code,
  holderId: m.holder_id,
  toHolderId: m.to_holder_id,
  quantity: Number(m.quantity),
  delta: Number(m.delta),
  onHandAfter: Number(m.on_hand_after),
  occurredOn: m.occurred_on,
  note: m.note,
  createdAt: new Date(m.created_at).toISOString(),
});

/**
 * Adds `delta` to a stock row, refusing (null) where it would go below zero; answers what it left
 * and the change to the units above (whether it went under or back over its minimum).
 */
async function moveStock(q: Queryable, h: HolderRow, item: string, delta: number) {
  const rows = await q.query<{ on_hand: number; below_minimum: boolean; was_below: boolean }>(
    `UPDATE supply_stock s SET on_hand = s.on_hand + $3, updated_at = now(),
            below_minimum = s.on_hand + $3 < coalesce(s.minimum, i.default_minimum)
       FROM supply_items i
      WHERE s.holder_id = $1 AND s.item_code = $2 AND i.code = s.item_code AND s.on_hand + $3 >= 0
      RETURNING s.on_hand, s.below_minimum, s.on_hand - $3 < coalesce(s.minimum, i.default_minimum) AS was_below`,
    [h.id, item, delta],
  );
  const r = rows[0];
  if (!r) return null;
  const change: StockChange = {
    holder: h,
    item,
    onHand: delta,
    holders: 0,
    below: Number(r.below_minimum) - Number(r.was_below),
  };
  return { after: Number(r.on_hand), change };
}

/** 409 with the ledger's own words, from the stock as it stands now. */
async function refuseBelowZero(q: Queryable, b: MovementBody): Promise<never> {
  const now = await q.query<{ on_hand: number }>(
    'SELECT on_hand FROM supply_stock WHERE holder_id = $1 AND item_code = $2',
    [b.holderId, b.itemCode],
  );
  const r = applyMovement(Number(now[0]?.on_hand ?? 0), b.kind, b.quantity, 'from');
  const message = r.ok ? 'Tồn kho vừa thay đổi, thử lại' : r.explanation.vi;
  throw conflict(message, [{ path: 'quantity', message }]);
}

/** Records one movement (one transaction). Answers the movement and whether it was new. */
export async function recordMovement(
  q: Queryable,
  req: FastifyRequest,
  b: MovementBody,
  from: HolderRow,
  to: HolderRow | null,
): Promise<{ row: MovementRow; created: boolean }> {
  const ins = await q.query<{ id: string }>(
    `INSERT INTO supply_movements (client_id, kind, item_code, holder_id, to_holder_id, quantity, delta, on_hand_after,
       occurred_on, note, province_code, district_code, commune_code, recorded_by)
     VALUES ($1,$2,$3,$4,$5,$6,0,0,$7,$8,$9,$10,$11,$12) ON CONFLICT (client_id) DO NOTHING RETURNING id`,
    [
      b.clientId,
      b.kind,
      b.itemCode,
      from.id,
      to?.id ?? null,
      b.quantity,
      b.occurredOn ?? todayVn(),
      b.note ?? null,
      from.province_code,
      from.district_code,
      from.commune_code,
      requireActor(req).id,
    ],
  );
  if (!ins[0]) {
    const row = await movementByClientId(q, b.clientId);
    if (row.holder_id !== from.id || row.item_code !== b.itemCode || row.kind !== b.kind)
      throw conflict('clientId đã dùng cho một chuyển động khác', [
        { path: 'clientId', message: 'Đã dùng cho một chuyển động khác' },
      ]);
    return { row, created: false };
  }
  const changes: StockChange[] = [];
  const created = (c: StockChange | null) => c && changes.push(c);
  created(await ensureStock(q, from, b.itemCode));
  if (to) {
    // both rows locked in holder order, so two opposite transfers cannot deadlock
    created(await ensureStock(q, to, b.itemCode));
    await q.query(
      `SELECT 1 FROM supply_stock WHERE item_code = $1 AND holder_id = ANY ($2::uuid[])
        ORDER BY holder_id FOR UPDATE`,
      [b.itemCode, [from.id, to.id]],
    );
  }
  let delta: number;
  if (b.kind === 'count') {
    const before = await q.query<{ on_hand: number }>(
      'SELECT on_hand FROM supply_stock WHERE holder_id = $1 AND item_code = $2 FOR UPDATE',
      [from.id, b.itemCode],
    );
    delta = b.quantity - Number(before[0]!.on_hand);
  } else delta = b.kind === 'receipt' ? b.quantity : -b.quantity;
  const moved = await moveStock(q, from, b.itemCode, delta);
  if (!moved) return refuseBelowZero(q, b);
  changes.push(moved.change);
  const after = moved.after;
  if (to) changes.push((await moveStock(q, to, b.itemCode, b.quantity))!.change);
  if (b.kind === 'issue')
    await q.query(
      `INSERT INTO supply_usage_daily (holder_id, item_code, day, issued, province_code, district_code, commune_code, site_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
       ON CONFLICT (holder_id, item_code, day) DO UPDATE SET issued = supply_usage_daily.issued + EXCLUDED.issued`,
      [
        from.id,
        b.itemCode,
        b.occurredOn ?? todayVn(),
        b.quantity,
        from.province_code,
        from.district_code,
        from.commune_code,
        from.site_id,
      ],
    );
  await q.query('UPDATE supply_movements SET delta = $2, on_hand_after = $3 WHERE id = $1', [
    ins[0].id,
    delta,
    after,
  ]);
  await audit(q, req, {
    action: 'supplies.write',
    resourceType: 'supply_movement',
    resourceId: ins[0].id,
    outcome: 'allowed',
    detail: { kind: b.kind, item: b.itemCode, quantity: b.quantity },
  });
  // last: the hot unit rows are held from here to the commit only
  await applyUnitChanges(q, changes);
  if (b.kind === 'issue')
    await addUnitUsage(q, from, b.itemCode, b.occurredOn ?? todayVn(), b.quantity);
  return { row: await movementByClientId(q, b.clientId), created: true };
}

async function movementByClientId(q: Queryable, clientId: string) {
  return (
    await q.query<MovementRow>(
      `SELECT ${MOVEMENT_COLUMNS} FROM supply_movements m WHERE m.client_id = $1`,
      [clientId],
    )
  )[0]!;
}

/**
 * The list's SQL (exported for the plan test): one holder's movements, newest first — those
 * recorded at it and the transfers into it, one ordered, limited index scan each (UNION ALL).
 */
export function movementListSql(
  holderId: string,
  params: unknown[],
  after: unknown[] | null,
  limit: number,
) {
  params.push(holderId);
  const h = `$${params.length}`;
  let keyset = '';
  if (after) {
    params.push(after[0], after[1]);
    keyset = ` AND (m.created_at, m.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  params.push(limit + 1);
  const n = `$${params.length}`;
  const arm = (col: string) =>
    `(SELECT ${MOVEMENT_COLUMNS} FROM supply_movements m WHERE m.${col} = ${h}${keyset}
      ORDER BY m.created_at DESC, m.id DESC LIMIT ${n})`;
  return `SELECT * FROM (${arm('holder_id')} UNION ALL ${arm('to_holder_id')}) m
    ORDER BY m.created_at DESC, m.id DESC LIMIT ${n}`;
}

/** created_at as PostgreSQL prints it ('2026-12-07 14:23:19.123456+00'), checked before a cast. */
const PG_INSTANT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

export async function movementRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.post(
    '/api/v1/supplies/movements',
    {
      preHandler: requirePermission('supplies.write'),
      schema: {
        tags: [TAG],
        summary:
          'Record a receipt, issue, transfer or count; below zero → 409; a replay (same clientId) is not doubled',
        body: movementBody,
      },
    },
    async (req, reply) => {
      const b = req.body;
      if (b.kind === 'transfer' && !b.toHolderId)
        throw fieldError('toHolderId', 'Điều chuyển cần nơi nhận');
      if (b.kind !== 'transfer' && b.toHolderId)
        throw fieldError('toHolderId', 'Chỉ điều chuyển mới có nơi nhận');
      if (b.toHolderId && b.toHolderId === b.holderId)
        throw fieldError('toHolderId', 'Nơi nhận phải khác nơi chuyển');
      const shape = applyMovement(0, b.kind, b.quantity, 'to');
      if (!shape.ok && shape.reason === 'bad_quantity')
        throw badRequest(`quantity: ${shape.explanation.vi}`, [
          { path: 'quantity', message: shape.explanation.vi },
        ]);
      if (b.occurredOn && b.occurredOn > todayVn())
        throw fieldError('occurredOn', 'Ngày không được ở tương lai');
      await loadItem(db, b.itemCode);
      const from = await holderInScope(req, b.holderId, 'supplies.write', 'holderId');
      const to = b.toHolderId
        ? await holderInScope(req, b.toHolderId, 'supplies.write', 'toHolderId')
        : null;
      const { row, created } = await db.tx((q) => recordMovement(q, req, b, from, to));
      return reply.status(created ? 201 : 200).send(presentMovement(row));
    },
  );

  app.get(
    '/api/v1/supplies/movements',
    {
      preHandler: requirePermission('supplies.read'),
      schema: {
        tags: [TAG],
        summary: "One holder's movements, newest first, keyset paged",
        querystring: z.object({ holder: z.uuid(), ...pageQuery }),
      },
    },
    async (req) => {
      await holderInScope(req, req.query.holder, 'supplies.read', 'holder');
      const params: unknown[] = [];
      const after = decodeCursor(req.query.cursor, ['text', 'uuid']);
      if (after && !PG_INSTANT.test(String(after[0])))
        throw fieldError('cursor', 'Con trỏ phân trang không hợp lệ');
      const sql = movementListSql(req.query.holder, params, after, req.query.limit);
      const rows = await db.query<MovementRow>(sql, params);
      const pg = page(rows, req.query.limit, (r) => [r.created_key, r.id]);
      return { items: pg.items.map(presentMovement), nextCursor: pg.nextCursor };
    },
  );
}
