/**
 * Which rows are demo data (issue 16 item 8). The demo scenario is written through the product's
 * own endpoints, so it inserts rows into many tables (people, entries, cases, aggregates,
 * notices…) and changes a few that were there (a facility's rooms, counters). Rather than teach
 * every command about a demo flag, the loader reads every table before the scenario and after
 * it: each new row is named in `demo_rows`, each changed row with its earlier content.
 * `removeDemo` puts the changed rows back and deletes the new ones, and touches nothing else.
 * The audit trail is append-only (migration 0009) and is never marked. Accounts, their sessions
 * and settings are never put back (a password changed since is kept).
 */
import type { Db, Queryable } from '../server/db/index.ts';

/** Tables never marked: the append-only audit trail, the marker table itself, migrations. */
const NEVER = new Set(['audit_events', 'audit_event_areas', 'demo_rows', 'schema_migrations']);
/** Tables whose changed rows are not put back (a new row in them is still removed). */
const KEEP_CHANGES = new Set(['users', 'sessions', 'settings', 'throttles']);
/** The demo is for a new installation: a table this big means real data, and no snapshot. */
export const MAX_ROWS = 200_000;

interface TableKey {
  table: string;
  /** SQL giving one row's key as text: ROW(primary key columns), or the whole row without one. */
  key: string;
  /** The columns a restore writes (not generated ones). */
  cols: string[];
}

/** Every ordinary table of the schema with the expression naming one of its rows. */
export async function tableKeys(q: Queryable): Promise<TableKey[]> {
  const rows = await q.query<{ table: string; pk: string[] | null; cols: string[] }>(
    `SELECT c.relname AS table,
            (SELECT array_agg(quote_ident(a.attname) ORDER BY k.ord)
               FROM pg_index i
               CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              WHERE i.indrelid = c.oid AND i.indisprimary) AS pk,
            (SELECT array_agg(quote_ident(a.attname) ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                AND a.attgenerated = '') AS cols
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname`,
  );
  return rows
    .filter((r) => !NEVER.has(r.table))
    .map((r) => ({
      table: r.table,
      key: r.pk?.length ? `ROW(${r.pk.join(', ')})::text` : `ROW(t.*)::text`,
      cols: r.cols,
    }));
}

/** Per table: each row's key and its content as JSON text. */
export type Snapshot = Map<string, Map<string, string>>;

async function read(q: Queryable, t: TableKey): Promise<Map<string, string>> {
  const rows = await q.query<{ k: string; r: string }>(
    `SELECT ${t.key} AS k, to_jsonb(t.*)::text AS r FROM "${t.table}" t`,
  );
  return new Map(rows.map((x) => [x.k, x.r]));
}

/** Every table's rows now; refuses a database holding real data (over MAX_ROWS in a table). */
export async function snapshot(q: Queryable): Promise<Snapshot> {
  const s: Snapshot = new Map();
  for (const t of await tableKeys(q)) {
    const n = (
      await q.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM "${t.table}" LIMIT ${MAX_ROWS + 1}) x`,
      )
    )[0]!.n;
    if (n > MAX_ROWS)
      throw new Error(
        `the demo scenario is for a new installation: ${t.table} already holds over ${MAX_ROWS} rows`,
      );
    s.set(t.table, await read(q, t));
  }
  return s;
}

/** Names every row inserted or changed since `before`; returns how many per table. */
export async function markSince(q: Queryable, before: Snapshot): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of await tableKeys(q)) {
    const old = before.get(t.table) ?? new Map<string, string>();
    const fresh: string[] = [];
    const changedKeys: string[] = [];
    const changedRows: string[] = [];
    for (const [k, r] of await read(q, t)) {
      const was = old.get(k);
      if (was === undefined) fresh.push(k);
      else if (was !== r && !KEEP_CHANGES.has(t.table)) {
        changedKeys.push(k);
        changedRows.push(was);
      }
    }
    if (!fresh.length && !changedKeys.length) continue;
    counts[t.table] = fresh.length;
    await q.query(
      `INSERT INTO demo_rows (table_name, row_key, restore)
       SELECT $1, k, NULL FROM unnest($2::text[]) k
       UNION ALL SELECT $1, k, r::jsonb FROM unnest($3::text[], $4::text[]) x(k, r)
       ON CONFLICT DO NOTHING`,
      [t.table, fresh, changedKeys, changedRows],
    );
  }
  return counts;
}

/** How many rows are marked as demo data. */
export async function demoRowCount(q: Queryable): Promise<number> {
  return (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM demo_rows'))[0]!.n;
}

/**
 * Puts back the changed rows and deletes exactly the inserted ones, in one transaction. Tables
 * are tried in turn; a table whose rows are still referenced by another table's demo rows is
 * retried after those go (a savepoint undoes the failed try). A demo row that something else
 * (real work) now refers to stops the removal with that table's name, and nothing is deleted.
 */
export async function removeDemo(db: Db): Promise<Record<string, number>> {
  return db.tx(async (q) => {
    const keys = new Map((await tableKeys(q)).map((t) => [t.table, t]));
    const marked = await q.query<{ table_name: string }>(
      'SELECT DISTINCT table_name FROM demo_rows ORDER BY table_name',
    );
    let pending = marked.map((m) => m.table_name).filter((t) => keys.has(t));
    // The maintained aggregates (case_daily, vaccination_commune_year…) that the demo's rows
    // fed are demo rows themselves and go (or are put back) with them; their triggers would
    // count the removal a second time, so the tables' own triggers rest for this transaction
    // (foreign keys, system triggers, still hold). ALTER TABLE is transactional.
    const triggered = await q.query<{ t: string }>(
      `SELECT DISTINCT c.relname AS t FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
        WHERE NOT g.tgisinternal AND c.relname = ANY($1::text[])`,
      [pending],
    );
    for (const { t } of triggered) await q.query(`ALTER TABLE "${t}" DISABLE TRIGGER USER`);
    // First the changed rows go back to what they were (a room's cohort, a counter).
    for (const table of pending) {
      const t = keys.get(table)!;
      const cols = t.cols.join(', ');
      await q.query(
        `UPDATE "${table}" t SET (${cols}) = (SELECT ${cols} FROM jsonb_populate_record(NULL::"${table}", d.restore))
           FROM demo_rows d
          WHERE d.table_name = $1 AND d.restore IS NOT NULL AND d.row_key = ${t.key}`,
        [table],
      );
    }
    const deleted: Record<string, number> = {};
    while (pending.length) {
      const blocked: string[] = [];
      let lastError = '';
      for (const table of pending) {
        await q.query('SAVEPOINT demo_remove');
        try {
          const r = await q.query<{ n: number }>(
            `WITH d AS (DELETE FROM "${table}" t WHERE ${keys.get(table)!.key} IN
               (SELECT row_key FROM demo_rows WHERE table_name = $1 AND restore IS NULL) RETURNING 1)
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
