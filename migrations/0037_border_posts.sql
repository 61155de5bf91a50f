-- Issue 17 item 5: border posts (and, at the end, item 3: a crew member stepping out).
-- A border officer reports a patrol, a group caught crossing illegally, or a group the other
-- side handed back (people, place, time). The people of the last two are registered as persons
-- and admitted to centralised quarantine through the care module in the same transaction
-- (border_report_people keeps each one's stay).
CREATE TABLE border_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid UNIQUE,
  kind text NOT NULL CHECK (kind IN ('illegal_entry', 'handed_over', 'patrol')),
  -- the post that reported (null when a district's border command reports)
  site_id uuid REFERENCES sites (id),
  -- where it happened
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL REFERENCES admin_units (code),
  place text NOT NULL,
  occurred_at timestamptz NOT NULL,
  ended_at timestamptz,
  occurred_on date NOT NULL,
  people_count integer NOT NULL DEFAULT 0 CHECK (people_count >= 0),
  facility_id uuid REFERENCES care_facilities (id),
  note text,
  reported_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- the lists: newest first, keyset on (occurred_at, id), one index per scope level
CREATE INDEX border_reports_site ON border_reports (site_id, occurred_at DESC, id DESC);
CREATE INDEX border_reports_district ON border_reports (district_code, occurred_at DESC, id DESC);
CREATE INDEX border_reports_province ON border_reports (province_code, occurred_at DESC, id DESC);

CREATE TABLE border_report_people (
  report_id uuid NOT NULL REFERENCES border_reports (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  admission_id uuid NOT NULL REFERENCES care_admissions (id),
  nationality text NOT NULL,
  PRIMARY KEY (report_id, person_id)
);
CREATE INDEX border_report_people_person ON border_report_people (person_id);

-- the counts of the report ("31 vụ/107 trường hợp"), kept in the same transaction as each report
CREATE TABLE border_daily_counts (
  province_code text NOT NULL,
  district_code text NOT NULL,
  day date NOT NULL,
  kind text NOT NULL,
  reports integer NOT NULL DEFAULT 0,
  people integer NOT NULL DEFAULT 0,
  foreigners integer NOT NULL DEFAULT 0,
  PRIMARY KEY (district_code, day, kind)
);
CREATE INDEX border_daily_counts_province ON border_daily_counts (province_code, day);

-- Issue 17 item 3, a crew member stepping out: the officer counts the people on board at a point
-- of the loop; fewer than the permit binds raises a closed-loop alert ('crew_missing').
ALTER TABLE green_lane_passages ADD COLUMN people_on_board smallint CHECK (people_on_board >= 0);
ALTER TABLE green_lane_alerts DROP CONSTRAINT green_lane_alerts_rule_id_check;
ALTER TABLE green_lane_alerts ADD CONSTRAINT green_lane_alerts_rule_id_check
  CHECK (rule_id IN ('leg_overdue', 'off_route', 'crew_missing'));

-- Issue 17 item 4: transit yards with capacity. Occupancy changes in each passage's transaction
-- (a trip entering its yard, and leaving it for the gate or out); a vehicle entering a full yard
-- is flagged on its passage.
CREATE TABLE green_lane_yards (
  site_id uuid PRIMARY KEY REFERENCES sites (id),
  capacity integer CHECK (capacity >= 0),
  occupied integer NOT NULL DEFAULT 0 CHECK (occupied >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE green_lane_trips ADD COLUMN yard_site_id uuid REFERENCES sites (id);
ALTER TABLE green_lane_passages ADD COLUMN yard_full boolean NOT NULL DEFAULT false;
