import { z } from 'zod';
import { badRequest } from './errors.ts';

/** Keyset pagination: the cursor is the sort key of the last row seen, opaque to clients. */
export const pageQuery = {
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
};

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): unknown[] | null {
  if (!cursor) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((k) => ['string', 'number'].includes(typeof k))
    )
      return key;
  } catch {
    /* fall through */
  }
  throw badRequest('cursor: không hợp lệ', [
    { path: 'cursor', message: 'Con trỏ phân trang không hợp lệ' },
  ]);
}

/** Takes `limit + 1` rows and returns the page with the cursor of the next one. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => unknown[]) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? encodeCursor(keyOf(items[items.length - 1]!)) : null };
}

/** Totals of long lists are counted up to a cap: "more than 10,000" instead of count(*) over millions. */
export const COUNT_CAP = 10_000;

/**
 * Counts the rows of `fromWhere` (a `FROM … WHERE …` clause with its parameters) up to `cap`.
 * The answer is `{ total, capped }`: `capped` says there are more than `total`.
 */
export async function cappedCount(
  q: { query<T>(sql: string, params?: unknown[]): Promise<T[]> },
  fromWhere: string,
  params: unknown[],
  cap = COUNT_CAP,
): Promise<{ total: number; capped: boolean }> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 ${fromWhere} LIMIT ${cap + 1}) s`,
    params,
  );
  const n = rows[0]?.n ?? 0;
  return n > cap ? { total: cap, capped: true } : { total: n, capped: false };
}
