import type { Queryable } from '../../src/server/db/index.ts';

/**
 * Plan tests: a list must order and limit through an index before it joins. On PostgreSQL,
 * over a table filled big enough for the planner to care (fill it with `generate_series` in
 * SQL, then ANALYZE), `planProblems` names every sequential scan of a big table and every sort
 * of more than a page of rows in the plan of a list's own SQL. A test asserts the list is empty,
 * so dropping the index a list relies on turns it red.
 */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Plan Rows'?: number;
  'Index Name'?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

export async function explain(
  q: Queryable,
  sql: string,
  params: unknown[] = [],
): Promise<PlanNode> {
  const rows = await q.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `EXPLAIN (FORMAT JSON) ${sql}`,
    params,
  );
  const plan = rows[0]!['QUERY PLAN'];
  // pg returns the JSON parsed; PGlite too. Either way, one element with the root Plan.
  return (typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan;
}

export function* nodes(plan: PlanNode): Generator<PlanNode> {
  yield plan;
  for (const p of plan.Plans ?? []) yield* nodes(p);
}

export interface PlanRules {
  /** Tables that must never be read whole (a list of persons, cases, entries…). */
  bigTables: string[];
  /** A sort of more rows than this (the planner's estimate) means the list sorts before its LIMIT. */
  maxSortRows?: number;
}

/** What is wrong with a list's plan, in words; empty when it limits through an index. */
export function planProblems(plan: PlanNode, rules: PlanRules): string[] {
  const problems: string[] = [];
  const maxSort = rules.maxSortRows ?? 1000;
  for (const n of nodes(plan)) {
    if (n['Node Type'] === 'Seq Scan' && rules.bigTables.includes(n['Relation Name'] ?? '')) {
      problems.push(`sequential scan of ${n['Relation Name']} (~${n['Plan Rows']} rows)`);
    }
    if (
      (n['Node Type'] === 'Sort' || n['Node Type'] === 'Incremental Sort') &&
      (n['Plan Rows'] ?? 0) > maxSort
    ) {
      problems.push(`sort of ~${n['Plan Rows']} rows before the limit`);
    }
  }
  return problems;
}

/** `explain` and `planProblems` in one call, with the plan text for the failure message. */
export async function checkPlan(
  q: Queryable,
  sql: string,
  params: unknown[],
  rules: PlanRules,
): Promise<{ problems: string[]; plan: string }> {
  const plan = await explain(q, sql, params);
  return { problems: planProblems(plan, rules), plan: JSON.stringify(plan, null, 1) };
}
