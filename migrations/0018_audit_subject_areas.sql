-- Issue 10, item 9: the trail is visible by the SUBJECT's area too. A district's administrator
-- sees that a user of another district read, listed or exported its residents. Each audit event
-- naming people (detail.subjects of a list or export, a person as the resource, detail.personId)
-- is indexed under every unit those people live in or are managed by: one row per (unit, event),
-- at the commune, district and province level (unit codes are 5, 3 and 2 characters long, so one
-- column holds all three). One row per unit and event, not per person: a page of 50 residents of
-- one commune adds 3 rows, and the list reads the index in event order without duplicates.
-- The rows are written by the INSERT into audit_events itself (a statement trigger over the
-- inserted rows, set-wise), so no code path can write an event and forget its areas.

CREATE TABLE audit_event_areas (
  unit_code text NOT NULL,
  event_id bigint NOT NULL,
  PRIMARY KEY (unit_code, event_id)
);

CREATE FUNCTION audit_event_areas_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_event_areas (unit_code, event_id)
  SELECT DISTINCT u.code, s.event_id
    FROM (SELECT n.id AS event_id, j.v AS pid
            FROM new_events n
            CROSS JOIN LATERAL jsonb_array_elements_text(
              CASE WHEN jsonb_typeof(n.detail -> 'subjects') = 'array' THEN n.detail -> 'subjects'
                   ELSE '[]'::jsonb END) j(v)
          UNION ALL
          SELECT n.id, n.resource_id FROM new_events n WHERE n.resource_type = 'person'
          UNION ALL
          SELECT n.id, n.detail ->> 'personId' FROM new_events n
           WHERE jsonb_typeof(n.detail) = 'object' AND n.detail ? 'personId') s
    JOIN persons p
      ON p.id = CASE WHEN s.pid ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                     THEN s.pid::uuid END
    CROSS JOIN LATERAL (VALUES (p.province_code), (p.district_code), (p.commune_code),
                               (p.current_province_code), (p.current_district_code),
                               (p.current_commune_code)) u(code)
   WHERE u.code IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;

CREATE TRIGGER audit_events_areas AFTER INSERT ON audit_events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_areas_index();

-- Append-only like the events it indexes (0009).
CREATE TRIGGER audit_event_areas_no_change BEFORE UPDATE OR DELETE ON audit_event_areas
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_event_areas_no_truncate BEFORE TRUNCATE ON audit_event_areas
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
