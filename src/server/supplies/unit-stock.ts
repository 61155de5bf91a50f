/**
 * Stock per unit (province, district, commune) and item, maintained in the same transaction as
 * each movement (migration 0026): the province's stock reads its own rows and its districts', not
 * every holder's stock row.
 *
 * A movement first changes the holders' stock rows (the conditional UPDATE that keeps the ledger
 * above zero), then adds the net change of each unit above them in ONE statement that takes the
 * unit rows in (unit, item) order, last in the transaction: every movement locks the hot rows
 * (the province's, one per item) in the same order and for the shortest time, so concurrent
 * movements queue on them and never deadlock; a unit whose net change is zero (a transfer inside
 * it) is not touched at all.
 */
import type { Queryable } from '../db/index.ts';
import type { HolderRow } from './common.ts';

export type UnitColumn = 'province_code' | 'district_code' | 'commune_code';

/** The change one movement makes to one holder's stock row of an item. */
export interface StockChange {
  holder: Pick<HolderRow, 'province_code' | 'district_code' | 'commune_code'>;
  item: string;
  onHand: number;
  /** +1 when the movement created the holder's row of the item */
  holders: number;
  /** +1 / −1 when the holder went under / back over its minimum */
  below: number;
}

/** The units a holder counts in, province first: [code, level, parent]. */
export function unitsOf(h: StockChange['holder']): [string, number, string | null][] {
  const out: [string, number, string | null][] = [[h.province_code, 1, null]];
  if (h.district_code) out.push([h.district_code, 2, h.province_code]);
  if (h.commune_code) out.push([h.commune_code, 3, h.district_code]);
  return out;
}

/**
 * Makes sure the stock row of (holder, item) exists, with the holder's codes; a new row is the
 * holder's first of the item (one more holder in each unit above, under its minimum or not).
 */
export async function ensureStock(
  q: Queryable,
  h: HolderRow,
  item: string,
): Promise<StockChange | null> {
  const rows = await q.query<{ below_minimum: boolean }>(
    `INSERT INTO supply_stock (holder_id, item_code, province_code, district_code, commune_code, site_id, below_minimum)
     SELECT $1, i.code, $3, $4, $5, $6, 0 < i.default_minimum FROM supply_items i WHERE i.code = $2
     ON CONFLICT (holder_id, item_code) DO NOTHING RETURNING below_minimum`,
    [h.id, item, h.province_code, h.district_code, h.commune_code, h.site_id],
  );
  return rows[0]
    ? { holder: h, item, onHand: 0, holders: 1, below: rows[0].below_minimum ? 1 : 0 }
    : null;
}

/** Adds the net changes to the unit rows (one statement, rows taken in key order). */
export async function applyUnitChanges(q: Queryable, changes: StockChange[]): Promise<void> {
  const net = new Map<string, [string, string, number, string | null, number, number, number]>();
  for (const c of changes)
    for (const [code, level, parent] of unitsOf(c.holder)) {
      const key = `${code}\u0000${c.item}`;
      const row = net.get(key) ?? [code, c.item, level, parent, 0, 0, 0];
      row[4] += c.onHand;
      row[5] += c.holders;
      row[6] += c.below;
      net.set(key, row);
    }
  const rows = [...net.values()].filter((r) => r[4] !== 0 || r[5] !== 0 || r[6] !== 0);
  if (!rows.length) return;
  const col = (i: number) => rows.map((r) => r[i]);
  await q.query(
    `INSERT INTO supply_unit_stock AS u (unit_code, item_code, level, parent_code, on_hand, holders, below)
     SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[], $5::bigint[], $6::int[], $7::int[])
      ORDER BY 1, 2
     ON CONFLICT (unit_code, item_code) DO UPDATE SET on_hand = u.on_hand + EXCLUDED.on_hand,
       holders = u.holders + EXCLUDED.holders, below = u.below + EXCLUDED.below`,
    [col(0), col(1), col(2), col(3), col(4), col(5), col(6)],
  );
}

/** Adds what a holder issued on a day to the day's row of each unit above it. */
export async function addUnitUsage(
  q: Queryable,
  h: StockChange['holder'],
  item: string,
  day: string,
  issued: number,
): Promise<void> {
  const codes = unitsOf(h).map((u) => u[0]);
  await q.query(
    `INSERT INTO supply_unit_usage_daily AS u (unit_code, day, item_code, issued)
     SELECT code, $2::date, $3, $4 FROM unnest($1::text[]) AS code ORDER BY 1
     ON CONFLICT (unit_code, day, item_code) DO UPDATE SET issued = u.issued + EXCLUDED.issued`,
    [codes, day, item, issued],
  );
}

/**
 * Rebuilds the unit rows from the holders' rows, set-wise (the bulk fills of the benchmark and
 * the check that the maintained rows are exact use it; migration 0026 did the same once).
 */
export async function rebuildUnitStock(q: Queryable): Promise<void> {
  await q.query('TRUNCATE supply_unit_stock, supply_unit_usage_daily');
  await q.query(`UPDATE supply_stock s SET below_minimum = s.on_hand < coalesce(s.minimum, i.default_minimum)
    FROM supply_items i WHERE i.code = s.item_code`);
  await q.query(`INSERT INTO supply_unit_stock (unit_code, item_code, level, parent_code, on_hand, holders, below)
    ${unitStockFromHoldersSql}`);
  const level = (c: string) =>
    `SELECT ${c}, day, item_code, sum(issued) FROM supply_usage_daily WHERE ${c} IS NOT NULL GROUP BY ${c}, day, item_code`;
  await q.query(`INSERT INTO supply_unit_usage_daily (unit_code, day, item_code, issued)
    ${level('province_code')} UNION ALL ${level('district_code')} UNION ALL ${level('commune_code')}`);
}

/** The unit rows as the holders' stock rows add up (rebuild, and the exactness check of the tests). */
export const unitStockFromHoldersSql = (['province_code', 'district_code', 'commune_code'] as const)
  .map(
    (c, i) =>
      `SELECT ${c} AS unit_code, item_code, ${i + 1} AS level, ${i ? `min(${i === 1 ? 'province_code' : 'district_code'})` : 'NULL'} AS parent_code,
         sum(on_hand)::bigint AS on_hand, count(*)::int AS holders, count(*) FILTER (WHERE below_minimum)::int AS below
    FROM supply_stock WHERE ${c} IS NOT NULL GROUP BY ${c}, item_code`,
  )
  .join(' UNION ALL ');
