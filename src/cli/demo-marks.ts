/**
 * Which rows are demo data (issue 16 item 8). The demo scenario is written through the product's
 * own endpoints, so it inserts rows into many tables (people, entries, cases, aggregates,
 * notices…). Rather than teach every command about a demo flag, the loader takes the primary
 * keys of every table before the scenario and after it, and names each new row in `demo_rows`;
 * `removeDemo` deletes exactly those rows, children before parents, and nothing else.
 * The audit trail is append-only (migration 0009) and is never marked.
 */
import type { Db, Queryable } from '../server/db/index.ts';

/** Tables never marked: the append-only audit trail, the marker table itself, migrations. */
const NEVER = new Set(['audit_events', 'audit_event_areas', 'demo_rows', 'schema_migrations']);

interface TableKey {
  table: string;
  /** SQL giving one row's key as text: ROW(primary key columns), or the whole row without one. */
  key: string;
}

/** Every ordinary table of the schema with the expression naming one of its rows. */
export async function tableKeys(q: Queryable): Promise<TableKey[]> {
  const rows = await q.query<{ table: string; cols: string[] | null }>(
    `SELECT c.relname AS table,
            (SELECT array_agg(quote_ident(a.attname) ORDER BY k.ord)
               FROM pg_index i
               CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              WHERE i.indrelid = c.oid AND i.indisprimary) AS cols
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname`,
  );
  return rows
    .filter((r) => !NEVER.has(r.table))
    .map((r) => ({
      table: r.table,
      key: r.cols?.length ? `ROW(${r.cols.join(', ')})::text` : `ROW(t.*)::text`,
    }));
}

export type Snapshot = Map<string, Set<string>>;

/** The keys of every table's rows now. */
export async function snapshot(q: Queryable): Promise<Snapshot> {
  const s: Snapshot = new Map();
  for (const t of await tableKeys(q)) {
    const rows = await q.query<{ k: string }>(`SELECT ${t.key} AS k FROM "${t.table}" t`);
    s.set(t.table, new Set(rows.map((r) => r.k)));
  }
  return s;
}

/** Names every row inserted since `before` as demo data; returns how many per table. */
export async function markSince(q: Queryable, before: Snapshot): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of await tableKeys(q)) {
    const old = before.get(t.table) ?? new Set<string>();
    const rows = await q.query<{ k: string }>(`SELECT ${t.key} AS k FROM "${t.table}" t`);
    const fresh = rows.map((r) => r.k).filter((k) => !old.has(k));
    if (!fresh.length) continue;
    counts[t.table] = fresh.length;
    await q.query(
      `INSERT INTO demo_rows (table_name, row_key) SELECT $1, unnest($2::text[])
       ON CONFLICT DO NOTHING`,
      [t.table, fresh],
    );
  }
  return counts;
}

/** How many rows are marked as demo data. */
export async function demoRowCount(q: Queryable): Promise<number> {
  return (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM demo_rows'))[0]!.n;
}

/**
 * Deletes exactly the marked rows, in one transaction. Tables are tried in turn; a table whose
 * rows are still referenced by another table's demo rows is retried after those go (a savepoint
 * undoes the failed try). A demo row that something else (real work) now refers to stops the
 * removal with that table's name, and nothing is deleted.
 */
export async function removeDemo(db: Db): Promise<Record<string, number>> {
  return db.tx(async (q) => {
    const keys = new Map((await tableKeys(q)).map((t) => [t.table, t.key]));
    const marked = await q.query<{ table_name: string }>(
      'SELECT DISTINCT table_name FROM demo_rows ORDER BY table_name',
    );
    let pending = marked.map((m) => m.table_name).filter((t) => keys.has(t));
    // The maintained aggregates (case_daily, vaccination_commune_year…) that the demo's rows
    // fed are demo rows themselves and go with them; their triggers would re-create them with
    // negative counts, so the tables' own triggers rest for this transaction (foreign keys,
    // system triggers, still hold). ALTER TABLE is transactional: a failure restores them.
    const triggered = await q.query<{ t: string }>(
      `SELECT DISTINCT c.relname AS t FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
        WHERE NOT g.tgisinternal AND c.relname = ANY($1::text[])`,
      [pending],
    );
    for (const { t } of triggered) await q.query(`ALTER TABLE "${t}" DISABLE TRIGGER USER`);
    const deleted: Record<string, number> = {};
    while (pending.length) {
      const blocked: string[] = [];
      let lastError = '';
      for (const table of pending) {
        await q.query('SAVEPOINT demo_remove');
        try {
          const r = await q.query<{ n: number }>(
            `WITH d AS (DELETE FROM "${table}" t WHERE ${keys.get(table)} IN
               (SELECT row_key FROM demo_rows WHERE table_name = $1) RETURNING 1)
             SELECT count(*)::int AS n FROM d`,
            [table],
          );
          await q.query('RELEASE SAVEPOINT demo_remove');
          deleted[table] = r[0]!.n;
        } catch (err) {
          await q.query('ROLLBACK TO SAVEPOINT demo_remove');
          blocked.push(table);
          lastError = `${table}: ${(err as Error).message}`;
        }
      }
      if (blocked.length === pending.length)
        throw new Error(`demo rows are still referenced by other data (${lastError})`);
      pending = blocked;
    }
    for (const { t } of triggered) await q.query(`ALTER TABLE "${t}" ENABLE TRIGGER USER`);
    await q.query('DELETE FROM demo_rows');
    return deleted;
  });
}
