-- Issue 10 (trust and privacy), item 9: the audit trail is append-only, and it answers "who saw
-- this person": list reads and exports record the person ids they returned in detail.subjects.

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
END;
$$;

CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- "Whose data was seen": events naming a person among their subjects.
CREATE INDEX audit_events_subjects ON audit_events USING gin ((detail -> 'subjects') jsonb_path_ops);
