-- Issue 11 item 4: an F1 quarantine order that says "home" becomes the village/commune team's
-- daily checklist, the same follow-up list arrivals at home use. A follow-up now comes from an
-- entry OR a quarantine order (exactly one), created in the order's transaction.
ALTER TABLE follow_ups ALTER COLUMN entry_id DROP NOT NULL;
ALTER TABLE follow_ups ADD COLUMN quarantine_order_id uuid UNIQUE REFERENCES quarantine_orders (id);
ALTER TABLE follow_ups ADD CONSTRAINT follow_ups_one_source
  CHECK (num_nonnulls(entry_id, quarantine_order_id) = 1);
-- The first day a daily check is due (null: the start date). An F1 order reaches the team days
-- after day 1 (the last exposure); the days before are not missed checks.
ALTER TABLE follow_ups ADD COLUMN checks_from date;

-- The open home orders of before: a follow-up each, due (as src/domain/care-home.ts says) on the
-- first day of checks — the later of day 1 and the day the order was made — unless a test or the
-- end of monitoring comes first.
INSERT INTO follow_ups (quarantine_order_id, person_id, province_code, district_code, commune_code, village_id,
  action, start_date, quarantine_ends, monitoring_ends, test_dates, tests_done, status, contacted_at, next_due,
  checks_from, created_at)
SELECT o.id, o.person_id, o.province_code, o.district_code, o.commune_code, o.village_id, 'home_quarantine',
       o.start_date, o.quarantine_ends, o.monitoring_ends, o.test_dates, o.tests_done, 'open', o.reached_at,
       CASE WHEN o.quarantine_ends >= s.checks_from
            THEN least(s.checks_from, coalesce(o.test_dates[o.tests_done + 1], o.monitoring_ends))
            ELSE coalesce(o.test_dates[o.tests_done + 1], o.monitoring_ends) END,
       s.checks_from, o.created_at
  FROM quarantine_orders o
  CROSS JOIN LATERAL (SELECT greatest(o.start_date, ((o.created_at AT TIME ZONE 'UTC') + interval '7 hours')::date)
                             AS checks_from) s
 WHERE o.kind = 'home' AND o.status = 'open';
