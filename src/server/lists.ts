/**
 * Lists that order and limit through an index before they join (ARCHITECTURE.md, "Patterns the
 * first province-scale trial taught"). A list is built in two steps:
 *
 *   1. `keysetArms` picks the ids of one page from the base table alone: one arm per scope
 *      predicate an index can serve ("lives in the unit", "registered by the unit"…), each arm
 *      ordered and limited by its own index, glued with UNION ALL — never an OR across columns
 *      or joined tables, which no single index serves. Later arms leave out the rows an earlier
 *      arm already found, so no row comes twice.
 *   2. The caller joins the few rows of that page to what it shows (persons, units…) and orders
 *      them once more (a sort of at most arms × page rows).
 *
 * The builders of each module's lists are exported so the plan tests (test/api/plans.test.ts)
 * EXPLAIN the very SQL the endpoints run.
 */

export interface KeysetSpec {
  /** The base table with its alias: `cases c`. */
  from: string;
  /** The columns the page needs from the base table (at least its id and sort key). */
  columns: string;
  /** Scope predicates, any of which admits a row; each should have an index. */
  branches: string[];
  /** Filters every arm applies (the keyset condition among them). */
  where: string[];
  /** The ORDER BY the index serves: `c.positive_sample_at DESC, c.id DESC`. */
  orderBy: string;
  /** The parameter of the page size plus one: `$7`. */
  limit: string;
}

/** The UNION ALL of one ordered, limited index scan per branch (see the file comment). */
export function keysetArms(spec: KeysetSpec): string {
  const branches = spec.branches.length ? spec.branches : ['true'];
  return branches
    .map((b, i) => {
      const notEarlier = branches.slice(0, i).map((p) => `NOT coalesce(${p}, false)`);
      const where = [b, ...notEarlier, ...spec.where].join(' AND ');
      return `(SELECT ${spec.columns} FROM ${spec.from} WHERE ${where} ORDER BY ${spec.orderBy} LIMIT ${spec.limit})`;
    })
    .join(' UNION ALL ');
}

/** A SQL text with its parameters: what a list builder returns and the endpoint runs. */
export interface ListSql {
  sql: string;
  params: unknown[];
}

/** Appends a parameter and answers its placeholder. */
export function param(params: unknown[], v: unknown): string {
  params.push(v);
  return `$${params.length}`;
}

/**
 * The ids of one page of a task list by due date (follow-ups, quarantine orders): what is due
 * first, tasks without a due date last, through (unit, status, coalesce(next_due), id) — one
 * index scan per status asked for. `after` is the cursor [due date, id].
 */
export function dueDateArms(
  params: unknown[],
  spec: {
    from: string;
    alias: string;
    scope: string;
    statuses: readonly string[];
    where: string[];
    after: unknown[] | null;
    limit: number;
  },
): { arms: string; order: string; limit: string } {
  const a = spec.alias;
  const due = `coalesce(${a}.next_due, '9999-12-31'::date)`;
  const where = [...spec.where];
  if (spec.after)
    where.push(
      `(${due}, ${a}.id) > (${param(params, spec.after[0])}::date, ${param(params, spec.after[1])}::uuid)`,
    );
  const limit = param(params, spec.limit);
  const order = `${due}, ${a}.id`;
  const arms = keysetArms({
    from: spec.from,
    columns: `${a}.id`,
    branches: spec.statuses.map((s) => `${spec.scope} AND ${a}.status = ${param(params, s)}`),
    where,
    orderBy: order,
    limit,
  });
  return { arms, order, limit };
}
