-- Lists that order and limit through an index before they join (issue 15.1). Each index matches
-- a list's scope predicate and ORDER BY (src/server/*/lists.ts); test/api/plans.test.ts proves it.

-- Cases newest first: (area, positive_sample_at DESC, id DESC) for each area column a case is
-- seen by (responsible, current — the province where the person is now was missing). The id
-- goes DESC like the list's ORDER BY and cursor, so no sort runs between the index and the LIMIT.
DROP INDEX cases_commune;
DROP INDEX cases_district;
DROP INDEX cases_province;
DROP INDEX cases_village;
DROP INDEX cases_current_commune;
DROP INDEX cases_current_district;
CREATE INDEX cases_commune ON cases (commune_code, positive_sample_at DESC, id DESC);
CREATE INDEX cases_district ON cases (district_code, positive_sample_at DESC, id DESC);
CREATE INDEX cases_province ON cases (province_code, positive_sample_at DESC, id DESC);
CREATE INDEX cases_village ON cases (village_id, positive_sample_at DESC, id DESC) WHERE village_id IS NOT NULL;
CREATE INDEX cases_current_commune ON cases (current_commune_code, positive_sample_at DESC, id DESC);
CREATE INDEX cases_current_district ON cases (current_district_code, positive_sample_at DESC, id DESC);
CREATE INDEX cases_current_province ON cases (current_province_code, positive_sample_at DESC, id DESC);
DROP INDEX cases_cluster;
CREATE INDEX cases_cluster ON cases (cluster_id, positive_sample_at DESC, id DESC) WHERE cluster_id IS NOT NULL;

-- Entries newest first, the same way (they replace (unit, at DESC): no more indexes to write).
DROP INDEX entries_site_at;
DROP INDEX entries_commune_at;
DROP INDEX entries_district_at;
DROP INDEX entries_province_at;
CREATE INDEX entries_site_at ON entries (site_id, at DESC, id DESC);
CREATE INDEX entries_commune_at ON entries (commune_code, at DESC, id DESC);
CREATE INDEX entries_district_at ON entries (district_code, at DESC, id DESC);
CREATE INDEX entries_province_at ON entries (province_code, at DESC, id DESC);

-- Follow-ups are listed by due date with the closed ones (no due date) last, per status.
-- They replace the (unit, status, next_due) indexes, whose order the list could not use.
DROP INDEX follow_ups_commune_due;
DROP INDEX follow_ups_district_due;
DROP INDEX follow_ups_province_due;
DROP INDEX follow_ups_village;
CREATE INDEX follow_ups_commune_due ON follow_ups (commune_code, status, (coalesce(next_due, '9999-12-31'::date)), id);
CREATE INDEX follow_ups_district_due ON follow_ups (district_code, status, (coalesce(next_due, '9999-12-31'::date)), id);
CREATE INDEX follow_ups_province_due ON follow_ups (province_code, status, (coalesce(next_due, '9999-12-31'::date)), id);
CREATE INDEX follow_ups_village_due ON follow_ups (village_id, status, (coalesce(next_due, '9999-12-31'::date)), id)
  WHERE village_id IS NOT NULL;

-- A commune admin reads the audit events of the commune.
CREATE INDEX audit_events_commune ON audit_events (commune_code, id DESC);

-- Quarantine orders, the same way as follow-ups.
DROP INDEX quarantine_orders_commune;
DROP INDEX quarantine_orders_district;
DROP INDEX quarantine_orders_province;
DROP INDEX quarantine_orders_village;
CREATE INDEX quarantine_orders_commune ON quarantine_orders (commune_code, status, (coalesce(next_due, '9999-12-31'::date)), id);
CREATE INDEX quarantine_orders_district ON quarantine_orders (district_code, status, (coalesce(next_due, '9999-12-31'::date)), id);
CREATE INDEX quarantine_orders_province ON quarantine_orders (province_code, status, (coalesce(next_due, '9999-12-31'::date)), id);
CREATE INDEX quarantine_orders_village ON quarantine_orders (village_id, status, (coalesce(next_due, '9999-12-31'::date)), id)
  WHERE village_id IS NOT NULL;
