/**
 * The SQL of the cases module's lists, exported so the plan tests EXPLAIN what the endpoints run
 * (src/server/lists.ts says how a list limits through an index before it joins).
 */
import type { Scope } from '../../domain/access.ts';
import { isValidIsoDate } from '../../domain/dates.ts';
import { scopePredicate, UUID_RE } from '../context.ts';
import { fieldError } from '../errors.ts';
import { dueDateArms, keysetArms, type ListSql, param } from '../lists.ts';
import { CASE_SELECT, ORDER_SELECT } from './present.ts';
import { CASE_SECOND, dualScopeBranches } from './scope.ts';

export interface CaseListFilters {
  status?: string;
  commune?: string;
  cluster?: string;
  from?: string;
  to?: string;
}

/**
 * Cases newest sample first: one index scan per area the actor may see a case by (responsible,
 * current), or per commune column when a commune is asked for, each ordered by
 * (unit, positive_sample_at DESC, id DESC); then the page joins persons and units.
 */
export function caseListSql(
  scope: Scope,
  f: CaseListFilters,
  after: unknown[] | null,
  limit: number,
): ListSql {
  const params: unknown[] = [];
  const scopeArms = dualScopeBranches(scope, params, 'c', CASE_SECOND);
  const scopeOr = scopeArms.length === 1 ? scopeArms[0]! : `(${scopeArms.join(' OR ')})`;
  const where: string[] = [];
  let branches = scopeArms;
  const commune = f.commune
    ? ((p) => [`c.commune_code = ${p}`, `c.current_commune_code = ${p}`])(param(params, f.commune))
    : null;
  if (f.cluster) {
    // A cluster's few cases: its index first, the areas as filters.
    branches = [`c.cluster_id = ${param(params, f.cluster)}`];
    where.push(scopeOr);
    if (commune) where.push(`(${commune.join(' OR ')})`);
  } else if (commune) {
    // The commune's two columns are the narrower index scans; the scope stays a filter.
    branches = commune;
    where.push(scopeOr);
  }
  if (f.status === 'open') where.push('c.closed_at IS NULL');
  else if (f.status === 'closed') where.push('c.closed_at IS NOT NULL');
  else if (f.status) where.push(`c.status = ${param(params, f.status)}`);
  if (f.from)
    where.push(
      `c.positive_sample_at >= (${param(params, f.from)}::date::timestamp - interval '7 hours') AT TIME ZONE 'UTC'`,
    );
  if (f.to)
    where.push(
      `c.positive_sample_at < (${param(params, f.to)}::date::timestamp + interval '17 hours') AT TIME ZONE 'UTC'`,
    );
  if (after) {
    if (
      typeof after[1] !== 'string' ||
      !UUID_RE.test(after[1]) ||
      Number.isNaN(Date.parse(String(after[0])))
    )
      throw fieldError('cursor', 'Con trỏ phân trang không hợp lệ');
    where.push(
      `(c.positive_sample_at, c.id) < (${param(params, after[0])}::timestamptz, ${param(params, after[1])}::uuid)`,
    );
  }
  const lim = param(params, limit);
  const order = 'c.positive_sample_at DESC, c.id DESC';
  const arms = keysetArms({
    from: 'cases c',
    columns: 'c.id',
    branches,
    where,
    orderBy: order,
    limit: lim,
  });
  return {
    sql: `${CASE_SELECT} JOIN (${arms}) k ON k.id = c.id ORDER BY ${order} LIMIT ${lim}`,
    params,
  };
}

export interface OrderListFilters {
  commune?: string;
  case?: string;
  status?: string;
  assignedTo?: string;
}

const ORDER_STATUSES = ['open', 'completed', 'became_case', 'cancelled'] as const;

/**
 * Quarantine orders by due date through (unit, status, coalesce(next_due), id), one index scan
 * per status asked for; then the page joins persons, cases and users.
 */
export function orderListSql(
  scope: Scope,
  f: OrderListFilters,
  after: unknown[] | null,
  limit: number,
): ListSql {
  const params: unknown[] = [];
  const scopeWhere = scopePredicate(scope, params, 'o');
  const where: string[] = [];
  if (f.case) where.push(`o.case_id = ${param(params, f.case)}`);
  if (f.commune) where.push(`o.commune_code = ${param(params, f.commune)}`);
  if (f.assignedTo) where.push(`o.assigned_user_id = ${param(params, f.assignedTo)}`);
  if (
    after &&
    (!isValidIsoDate(after[0]) || typeof after[1] !== 'string' || !UUID_RE.test(after[1]))
  )
    throw fieldError('cursor', 'Con trỏ phân trang không hợp lệ');
  const {
    arms,
    order,
    limit: lim,
  } = dueDateArms(params, {
    from: 'quarantine_orders o',
    alias: 'o',
    scope: scopeWhere,
    statuses: f.status && f.status !== 'all' ? [f.status] : ORDER_STATUSES,
    where,
    after,
    limit,
  });
  return {
    sql: `${ORDER_SELECT} JOIN (${arms}) k ON k.id = o.id ORDER BY ${order} LIMIT ${lim}`,
    params,
  };
}
