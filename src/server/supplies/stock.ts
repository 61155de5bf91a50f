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
import type { Scope } from '../../domain/access.ts';
import { fieldError } from '../errors.ts';
import {
  holderInScope,
  type ItemRow,
  loadItem,
  presentHolder,
  presentItem,
  TAG,
} from './common.ts';
import { applyUnitChanges, ensureStock } from './unit-stock.ts';

interface StockLine {
  item_code: string;
  on_hand: number;
  holders: number;
  below: number;
}
interface UsageLine {
  item_code: string;
  day: string;
  issued: number;
}
interface SubUnitLine {
  code: string | null;
  name: string | null;
  item_code: string;
  on_hand: number;
}
interface AlertLine {
  holder_id: string;
  name: string;
  item_code: string;
  on_hand: number;
  minimum: number;
}

/** Days of use that "the current use" averages over. */
export const USE_WINDOW_DAYS = 7;
const ALERTS_SHOWN = 100;

type Column = 'province_code' | 'district_code' | 'commune_code';
const CHILD: Record<Column, Column | null> = {
  province_code: 'district_code',
  district_code: 'commune_code',
  commune_code: null,
};

/** The unit's own maintained rows, per item (exported for the plan test and the benchmark). */
export const unitStockSql = `SELECT item_code, on_hand, holders, below FROM supply_unit_stock WHERE unit_code = $1`;
/** Its sub-units' rows, with their names. */
export const subUnitStockSql = `SELECT us.unit_code AS code, a.name, us.item_code, us.on_hand, us.holders
  FROM supply_unit_stock us JOIN admin_units a ON a.code = us.unit_code WHERE us.parent_code = $1`;
/** Issued per item and day over the window. */
export const unitUsageSql = `SELECT item_code, day::text AS day, issued FROM supply_unit_usage_daily
  WHERE unit_code = $1 AND day > $2::date AND day <= $3::date`;

/**
 * The holders under their minimum, fewest first, from the partial index of the unit's level
 * (exported for the plan test).
 */
export function unitAlertsSql(column: Column, scopeSql: string, params: unknown[], code: string) {
  params.push(code, ALERTS_SHOWN);
  return `SELECT s.holder_id, h.name, s.item_code, s.on_hand, coalesce(s.minimum, i.default_minimum) AS minimum
     FROM supply_stock s JOIN supply_items i ON i.code = s.item_code JOIN supply_holders h ON h.id = s.holder_id
    WHERE s.${column} = $${params.length - 1} AND s.below_minimum AND ${scopeSql}
    ORDER BY s.on_hand, s.holder_id, s.item_code LIMIT $${params.length}`;
}

/**
 * For an actor scoped to a site or a village, who sees only some holders of the unit: the same
 * figures summed from those holders' stock rows (few) instead of the unit's rows.
 */
function scopedFigures(
  db: Queryable,
  scope: Scope,
  column: Column,
  code: string,
  from: string,
  to: string,
) {
  const scoped = (params: unknown[]) => scopePredicate(scope, params, 's');
  const p1: unknown[] = [code];
  const p2: unknown[] = [code, from, to];
  const p3: unknown[] = [code];
  const child = CHILD[column];
  return Promise.all([
    db.query<StockLine>(
      `SELECT s.item_code, sum(s.on_hand)::bigint AS on_hand, count(*)::int AS holders,
          count(*) FILTER (WHERE s.below_minimum)::int AS below
        FROM supply_stock s WHERE s.${column} = $1 AND ${scoped(p1)} GROUP BY s.item_code`,
      p1,
    ),
    db.query<UsageLine>(
      `SELECT s.item_code, s.day::text AS day, sum(s.issued)::bigint AS issued FROM supply_usage_daily s
        WHERE s.${column} = $1 AND s.day > $2::date AND s.day <= $3::date AND ${scoped(p2)}
        GROUP BY s.item_code, s.day`,
      p2,
    ),
    child
      ? db.query<SubUnitLine>(
          `SELECT s.${child} AS code, a.name, s.item_code, sum(s.on_hand)::bigint AS on_hand
             FROM supply_stock s LEFT JOIN admin_units a ON a.code = s.${child}
            WHERE s.${column} = $1 AND ${scoped(p3)}
            GROUP BY s.${child}, a.name, s.item_code`,
          p3,
        )
      : Promise.resolve([]),
  ]);
}

/** From the maintained unit rows; what the unit's own holders keep is the unit less its sub-units. */
async function unitFigures(db: Queryable, code: string, from: string, to: string) {
  const [own, usage, subs] = await Promise.all([
    db.query<StockLine>(unitStockSql, [code]),
    db.query<UsageLine>(unitUsageSql, [code, from, to]),
    db.query<SubUnitLine & { holders: number }>(subUnitStockSql, [code]),
  ]);
  const direct = new Map(own.map((r) => [r.item_code, { ...r, on_hand: Number(r.on_hand) }]));
  for (const r of subs) {
    const d = direct.get(r.item_code);
    if (d) {
      d.on_hand -= Number(r.on_hand);
      d.holders -= r.holders;
    }
  }
  const held = [...direct.values()]
    .filter((d) => d.holders > 0)
    .map((d) => ({ code: null, name: null, item_code: d.item_code, on_hand: d.on_hand }));
  return [own, usage, [...held, ...subs]] as [StockLine[], UsageLine[], SubUnitLine[]];
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
  const p: unknown[] = [];
  const alertsSql = unitAlertsSql(column, scopePredicate(actor.scope, p, 's'), p, u.code);
  // a province, district or commune scope holds the whole unit (unitForActor checked it)
  const whole = !(actor.scope.level === 'site' || actor.scope.level === 'village');
  const [items, alerts, [stock, usage, byUnit]] = await Promise.all([
    db.query<ItemRow>('SELECT * FROM supply_items ORDER BY category, code'),
    db.query<AlertLine>(alertsSql, p),
    whole
      ? unitFigures(db, u.code, from, today)
      : scopedFigures(db, actor.scope, column, u.code, from, today),
  ]);
  const byItem = new Map(stock.map((s) => [s.item_code, s]));
  const used = usageByItem(usage, from);
  byUnit.sort(
    (x, y) =>
      (x.name === null ? -1 : y.name === null ? 1 : x.name.localeCompare(y.name, 'vi')) ||
      x.item_code.localeCompare(y.item_code),
  );
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
        const created = await ensureStock(q, h, b.itemCode);
        // the row locked: its state before decides the change to the units above
        const before = await q.query<{ below_minimum: boolean }>(
          'SELECT below_minimum FROM supply_stock WHERE holder_id = $1 AND item_code = $2 FOR UPDATE',
          [h.id, b.itemCode],
        );
        const now = await q.query<{ below_minimum: boolean }>(
          `UPDATE supply_stock s SET minimum = $3, updated_at = now(),
                  below_minimum = s.on_hand < coalesce($3::int, i.default_minimum)
             FROM supply_items i WHERE s.holder_id = $1 AND s.item_code = $2 AND i.code = s.item_code
           RETURNING s.below_minimum`,
          [h.id, b.itemCode, b.minimum],
        );
        const below = Number(now[0]!.below_minimum) - Number(before[0]!.below_minimum);
        await applyUnitChanges(q, [
          ...(created ? [created] : []),
          { holder: h, item: b.itemCode, onHand: 0, holders: 0, below },
        ]);
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
