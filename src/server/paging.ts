import { z } from 'zod';
import { isValidIsoDate } from '../domain/dates.ts';
import { badRequest } from './errors.ts';

/** Keyset pagination: the cursor is the sort key of the last row seen, opaque to clients. */
export const pageQuery = {
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
};

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * What each member of a cursor must be, checked before the database sees it: a crafted cursor
 * answers 400 naming `cursor`, never a cast error from the database (issue 14.4).
 */
export type CursorKind = 'uuid' | 'date' | 'timestamp' | 'text' | 'int';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const CURSOR_KINDS: Record<CursorKind, (v: unknown) => boolean> = {
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  date: (v) => isValidIsoDate(v),
  timestamp: (v) => {
    const m = typeof v === 'string' ? INSTANT.exec(v) : null;
    return !!m && isValidIsoDate(m[1]) && Number.isFinite(Date.parse(v as string));
  },
  text: (v) => typeof v === 'string',
  int: (v) => Number.isSafeInteger(v) || (typeof v === 'string' && /^-?\d{1,18}$/.test(v)),
};

/** The cursor's sort key; `shape` is its length, or better, the kind of each member. */
export function decodeCursor(
  cursor: string | undefined,
  shape: number | CursorKind[],
): unknown[] | null {
  if (!cursor) return null;
  const arity = typeof shape === 'number' ? shape : shape.length;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((k) => ['string', 'number'].includes(typeof k)) &&
      (typeof shape === 'number' || key.every((k, i) => CURSOR_KINDS[shape[i]!](k)))
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
