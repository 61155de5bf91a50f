/**
 * The SQL of the entry module's lists, exported so the plan tests EXPLAIN what the endpoints run
 * (src/server/lists.ts says how a list limits through an index before it joins).
 */
import type { Scope } from '../../domain/access.ts';
import { scopePredicate } from '../context.ts';
import { dueDateArms, keysetArms, type ListSql, param } from '../lists.ts';
import { ENTRY_COLUMNS } from './entries.ts';

/** From a VN calendar date to the instants it spans (UTC+7, no daylight saving). */
export const vnDayStart = (p: string) =>
  `(${p}::date::timestamp - interval '7 hours') AT TIME ZONE 'UTC'`;
export const vnDayEnd = (p: string) =>
  `(${p}::date::timestamp + interval '17 hours') AT TIME ZONE 'UTC'`;

/**
 * Entries newest first through (unit, at DESC, id DESC); a day is a range of `at` on the same
 * index (entry_date is the VN date of `at`). The page then joins persons.
 */
export function entryListSql(
  scope: Scope,
  f: { date?: string },
  after: unknown[] | null,
  limit: number,
): ListSql {
  const params: unknown[] = [];
  const where: string[] = [];
  const branch = scopePredicate(scope, params, 'e');
  if (f.date) {
    const d = param(params, f.date);
    where.push(`e.entry_date = ${d}`, `e.at >= ${vnDayStart(d)}`, `e.at < ${vnDayEnd(d)}`);
  }
  if (after)
    where.push(
      `(e.at, e.id) < (${param(params, after[0])}::timestamptz, ${param(params, after[1])}::uuid)`,
    );
  const lim = param(params, limit);
  const order = 'e.at DESC, e.id DESC';
  const arms = keysetArms({
    from: 'entries e',
    columns: 'e.id',
    branches: [branch],
    where,
    orderBy: order,
    limit: lim,
  });
  return {
    sql: `SELECT ${ENTRY_COLUMNS}, p.full_name, p.birth_year FROM (${arms}) k
            JOIN entries e ON e.id = k.id JOIN persons p ON p.id = e.person_id
           ORDER BY ${order} LIMIT ${lim}`,
    params,
  };
}

/** The order of follow-ups: what is due first; closed ones (no due date) last. */
export const FU_DUE = `coalesce(f.next_due, '9999-12-31'::date)`;

export interface FollowUpFilters {
  commune?: string;
  due: 'today' | 'overdue' | 'open' | 'all';
  today: string;
}

/**
 * Follow-ups by due date through (unit, status, due, id): one index scan per status asked for
 * (open only, or each status for "all"), then the page joins persons, entries and villages.
 */
export function followUpListSql(
  scope: Scope,
  f: FollowUpFilters,
  after: unknown[] | null,
  limit: number,
  select: { columns: string; joins: string },
): ListSql {
  const params: unknown[] = [];
  const scopeWhere = scopePredicate(scope, params, 'f');
  const where: string[] = [];
  // The province also counts those who went on elsewhere; the others see their own arrivals.
  if (scope.level !== 'province') where.push('NOT f.out_of_province');
  if (f.commune) where.push(`f.commune_code = ${param(params, f.commune)}`);
  if (f.due === 'today') where.push(`${FU_DUE} = ${param(params, f.today)}`);
  else if (f.due === 'overdue') where.push(`${FU_DUE} < ${param(params, f.today)}`);
  const {
    arms,
    order,
    limit: lim,
  } = dueDateArms(params, {
    from: 'follow_ups f',
    alias: 'f',
    scope: scopeWhere,
    statuses: f.due === 'all' ? ['open', 'completed', 'moved_away'] : ['open'],
    where,
    after,
    limit,
  });
  return {
    sql: `SELECT ${select.columns} FROM (${arms}) k JOIN follow_ups f ON f.id = k.id ${select.joins}
           ORDER BY ${order} LIMIT ${lim}`,
    params,
  };
}
