-- Issue 16 item 8: `epiguard demo` loads a small province scenario through the product's own
-- endpoints; every row that load inserted is named here (table and primary key as text), so
-- `epiguard demo --remove` deletes exactly those rows and nothing else. A row that existed before
-- and that the load changed (a facility's room taking a cohort, a counter) keeps its earlier
-- content in `restore`, and `--remove` puts it back. The audit trail is
-- append-only and is never marked: the demo's audit events stay, as every audit event does.
CREATE TABLE demo_rows (
  table_name text NOT NULL,
  row_key text NOT NULL,
  -- NULL: the load inserted the row (remove deletes it); else the row as it was (remove restores it)
  restore jsonb,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (table_name, row_key)
);
