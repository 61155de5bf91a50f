/**
 * Stock on hand per holder and per unit, read from the maintained stock rows (never by summing
 * the ledger), with days of stock at the last week's use and the alerts under each holder's
 * minimum (its own, or the item's default).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addDays } from '../../domain/dates.ts';
import { daysOfStock, stockAlert } from '../../domain/supplies.ts';
import { todayVn, unitCode, unitForActor } from '../care/common.ts';
import { audit, requireActor, requirePermission, scopePredicate } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { fieldError } from '../errors.ts';
import {
  holderInScope,
  type ItemRow,
  loadItem,
  presentHolder,
  presentItem,
  TAG,
} from './common.ts';

/** Days of use that "the current use" averages over. */
export const USE_WINDOW_DAYS = 7;
const ALERTS_SHOWN = 100;

type Column = 'province_code' | 'district_code' | 'commune_code';
const CHILD: Record<Column, Column | null> = {
  province_code: 'district_code',
  district_code: 'commune_code',
  commune_code: null,
};

/**
 * The roll-up of a unit (exported for the plan test and the benchmark): per item, the stock of
 * every holder in the unit (and in the actor's scope), from the maintained rows.
 */
export function unitStockSql(column: Column, scopeSql: string, params: unknown[], code: string) {
  params.push(code);
  return `SELECT s.item_code, sum(s.on_hand)::bigint AS on_hand, count(*)::int AS holders,
      count(*) FILTER (WHERE s.on_hand < coalesce(s.minimum, i.default_minimum))::int AS below
    FROM supply_stock s JOIN supply_items i ON i.code = s.item_code
   WHERE s.${column} = $${params.length} AND ${scopeSql}
   GROUP BY s.item_code`;
}

/** Issued per item and day over the window, for the same holders. */
function usageSql(
  column: Column,
  scopeSql: string,
  params: unknown[],
  code: string,
  from: string,
  to: string,
) {
  params.push(code, from, to);
  const n = params.length;
  return `SELECT s.item_code, s.day::text AS day, sum(s.issued)::bigint AS issued FROM supply_usage_daily s
   WHERE s.${column} = $${n - 2} AND s.day > $${n - 1}::date AND s.day <= $${n}::date AND ${scopeSql}
   GROUP BY s.item_code, s.day`;
}

/** The days of the window with what was issued on each, per item. */
function usageByItem(rows: { item_code: string; day: string; issued: number }[], from: string) {
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const days = out.get(r.item_code) ?? new Array<number>(USE_WINDOW_DAYS).fill(0);
    const i = Math.round((Date.parse(r.day) - Date.parse(from)) / 86_400_000) - 1;
    if (i >= 0 && i < USE_WINDOW_DAYS) days[i] = Number(r.issued);
    out.set(r.item_code, days);
  }
  return out;
}

const itemLine = (i: ItemRow, onHand: number, used: number[] | undefined) => ({
  item: presentItem(i),
  onHand,
  capacityPerDay: i.daily_capacity ? onHand * i.daily_capacity : null,
  usedLastWeek: (used ?? []).reduce((s, n) => s + n, 0),
  daysOfStock: daysOfStock(onHand, used ?? new Array<number>(USE_WINDOW_DAYS).fill(0)),
});

async function unitStock(req: FastifyRequest, code: string) {
  const db = req.server.db;
  const actor = requireActor(req);
  const u = await unitForActor(req, code, 'supplies.read');
  const column = u.column as Column;
  const today = todayVn();
  const from = addDays(today, -USE_WINDOW_DAYS);
  const scoped = (params: unknown[]) => scopePredicate(actor.scope, params, 's');
  const p1: unknown[] = [];
  const s1 = scoped(p1);
  const p2: unknown[] = [];
  const s2 = scoped(p2);
  const p3: unknown[] = [];
  const s3 = scoped(p3);
  const child = CHILD[column];
  const [items, stock, usage, alerts, byUnit] = await Promise.all([
    db.query<ItemRow>('SELECT * FROM supply_items ORDER BY category, code'),
    db.query<{ item_code: string; on_hand: number; holders: number; below: number }>(
      unitStockSql(column, s1, p1, u.code),
      p1,
    ),
    db.query<{ item_code: string; day: string; issued: number }>(
      usageSql(column, s2, p2, u.code, from, today),
      p2,
    ),
    (() => {
      p3.push(u.code, ALERTS_SHOWN);
      return db.query<{
        holder_id: string;
        name: string;
        item_code: string;
        on_hand: number;
        minimum: number;
      }>(
        `SELECT s.holder_id, h.name, s.item_code, s.on_hand, coalesce(s.minimum, i.default_minimum) AS minimum
           FROM supply_stock s JOIN supply_items i ON i.code = s.item_code JOIN supply_holders h ON h.id = s.holder_id
          WHERE s.${column} = $${p3.length - 1} AND ${s3} AND s.on_hand < coalesce(s.minimum, i.default_minimum)
          ORDER BY s.on_hand, h.name, s.item_code LIMIT $${p3.length}`,
        p3,
      );
    })(),
    child
      ? (() => {
          const p: unknown[] = [];
          const sc = scoped(p);
          p.push(u.code);
          return db.query<{
            code: string | null;
            name: string | null;
            item_code: string;
            on_hand: number;
          }>(
            `SELECT s.${child} AS code, a.name, s.item_code, sum(s.on_hand)::bigint AS on_hand
               FROM supply_stock s LEFT JOIN admin_units a ON a.code = s.${child}
              WHERE s.${column} = $${p.length} AND ${sc}
              GROUP BY s.${child}, a.name, s.item_code ORDER BY a.name NULLS FIRST, s.item_code`,
            p,
          );
        })()
      : Promise.resolve([]),
  ]);
  const byItem = new Map(stock.map((s) => [s.item_code, s]));
  const used = usageByItem(usage, from);
  const units = new Map<
    string,
    { code: string | null; name: string | null; items: Record<string, number> }
  >();
  for (const r of byUnit) {
    const key = r.code ?? '';
    const e = units.get(key) ?? { code: r.code, name: r.name, items: {} };
    e.items[r.item_code] = Number(r.on_hand);
    units.set(key, e);
  }
  return {
    unit: { code: u.code, name: u.name, level: u.level },
    window: { from: addDays(from, 1), to: today, days: USE_WINDOW_DAYS },
    items: items.map((i) => {
      const s = byItem.get(i.code);
      return {
        ...itemLine(i, Number(s?.on_hand ?? 0), used.get(i.code)),
        holders: s?.holders ?? 0,
        holdersBelowMinimum: s?.below ?? 0,
      };
    }),
    alerts: alerts.map((a) => ({
      holderId: a.holder_id,
      holderName: a.name,
      itemCode: a.item_code,
      onHand: Number(a.on_hand),
      minimum: a.minimum,
      ...stockAlert(Number(a.on_hand), a.minimum)!,
    })),
    byUnit: [...units.values()],
  };
}

async function holderStock(req: FastifyRequest, id: string) {
  const db = req.server.db;
  const h = await holderInScope(req, id, 'supplies.read', 'holder');
  const today = todayVn();
  const from = addDays(today, -USE_WINDOW_DAYS);
  const [rows, usage] = await Promise.all([
    db.query<ItemRow & { on_hand: number | null; minimum: number | null }>(
      `SELECT i.*, s.on_hand, s.minimum FROM supply_items i
         LEFT JOIN supply_stock s ON s.item_code = i.code AND s.holder_id = $1
        ORDER BY i.category, i.code`,
      [h.id],
    ),
    db.query<{ item_code: string; day: string; issued: number }>(
      `SELECT item_code, day::text AS day, issued FROM supply_usage_daily
        WHERE holder_id = $1 AND day > $2::date AND day <= $3::date`,
      [h.id, from, today],
    ),
  ]);
  const used = usageByItem(usage, from);
  return {
    holder: presentHolder(h),
    window: { from: addDays(from, 1), to: today, days: USE_WINDOW_DAYS },
    items: rows.map((r) => {
      const onHand = Number(r.on_hand ?? 0);
      const minimum = r.minimum ?? r.default_minimum;
      return {
        ...itemLine(r, onHand, used.get(r.code)),
        minimum,
        minimumIsOwn: r.minimum !== null,
        // an item the holder never kept raises no alert until a minimum is set for it
        alert: r.on_hand === null && r.minimum === null ? null : stockAlert(onHand, minimum),
      };
    }),
  };
}

export async function stockRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/supplies/stock',
    {
      preHandler: requirePermission('supplies.read'),
      schema: {
        tags: [TAG],
        summary:
          'Stock on hand of a unit (rolled up, with its sub-units and alerts) or of one holder',
        description:
          '?unit=CODE: {unit, window, items[{item, onHand, capacityPerDay, usedLastWeek, daysOfStock, holders, holdersBelowMinimum}], alerts[…], byUnit[{code, name, items{code: onHand}}]}; ?holder=ID: {holder, window, items[{…, minimum, alert}]}.',
        querystring: z.object({ unit: unitCode.optional(), holder: z.uuid().optional() }),
      },
    },
    async (req) => {
      const { unit, holder } = req.query;
      if (!unit === !holder) throw fieldError('unit', 'Cho một trong hai: unit hoặc holder');
      return holder ? holderStock(req, holder) : unitStock(req, unit!);
    },
  );

  app.post(
    '/api/v1/supplies/minimums',
    {
      preHandler: requirePermission('supplies.write'),
      schema: {
        tags: [TAG],
        summary:
          "Set a holder's minimum of an item (null: back to the item's default); below it the stock alerts",
        body: z.object({
          holderId: z.uuid(),
          itemCode: z.string().min(1).max(40),
          minimum: z.number().int().min(0).max(100_000_000).nullable(),
        }),
      },
    },
    async (req) => {
      const b = req.body;
      await loadItem(db, b.itemCode);
      const h = await holderInScope(req, b.holderId, 'supplies.write', 'holderId');
      await db.tx(async (q: Queryable) => {
        await q.query(
          `INSERT INTO supply_stock (holder_id, item_code, minimum, province_code, district_code, commune_code, site_id)
           VALUES ($1,$2,$3,$4,$5,$6,$7)
           ON CONFLICT (holder_id, item_code) DO UPDATE SET minimum = EXCLUDED.minimum, updated_at = now()`,
          [
            h.id,
            b.itemCode,
            b.minimum,
            h.province_code,
            h.district_code,
            h.commune_code,
            h.site_id,
          ],
        );
        await audit(q, req, {
          action: 'supplies.write',
          resourceType: 'supply_stock',
          resourceId: `${h.id}/${b.itemCode}`,
          outcome: 'allowed',
          detail: { minimum: b.minimum },
        });
      });
      return holderStock(req, h.id);
    },
  );
}
