-- Entry control (DienBien Guard): rule sets as data, epidemic areas, declarations, entries at
-- checkpoints / the airport / lodging, their classification, and follow-up by the destination
-- commune.

-- Versioned rule sets with their legal basis. The definition is the rule set's data (rules,
-- conditions, outcomes, explanation templates) as src/domain/rulesets.ts describes it.
CREATE TABLE rule_sets (
  id text PRIMARY KEY,
  kind text NOT NULL,
  name text NOT NULL,
  legal_basis jsonb NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  confidence text NOT NULL CHECK (confidence IN ('sure', 'reconstructed')),
  definition jsonb NOT NULL,
  builtin boolean NOT NULL DEFAULT false,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX rule_sets_kind ON rule_sets (kind, valid_from);

-- Areas with an epidemic level over a period, kept by province staff (later fed by the levels
-- module). The most specific area covering an origin on a date decides its level.
CREATE TABLE epidemic_areas (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  province_code text NOT NULL REFERENCES admin_units (code),
  district_code text REFERENCES admin_units (code),
  commune_code text REFERENCES admin_units (code),
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  valid_from date NOT NULL,
  valid_to date,
  note text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX epidemic_areas_where ON epidemic_areas (province_code, valid_from);

-- Health declarations (khai báo y tế), public. The person is found or created from the
-- personal block; the destination decides which commune sees the declaration.
CREATE TABLE declarations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE,
  person_id uuid NOT NULL REFERENCES persons (id),
  -- the personal block as declared (the person record is not overwritten by a public form)
  person_snapshot jsonb NOT NULL,
  on_behalf boolean NOT NULL DEFAULT false,
  declarant jsonb,
  travel_mode text NOT NULL,
  vehicle_number text,
  seat text,
  from_province_code text NOT NULL REFERENCES admin_units (code),
  from_district_code text REFERENCES admin_units (code),
  from_commune_code text REFERENCES admin_units (code),
  from_place text,
  -- destination: the jurisdiction of the declaration
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL REFERENCES admin_units (code),
  to_address text,
  travel_date date NOT NULL,
  visited_provinces text[] NOT NULL DEFAULT '{}',
  symptoms text[] NOT NULL DEFAULT '{}',
  exposure jsonb NOT NULL,
  vaccination jsonb,
  last_test jsonb,
  valid_until date NOT NULL,
  -- taken by a checkpoint officer for someone without a phone
  taken_at_site_id uuid REFERENCES sites (id),
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX declarations_person ON declarations (person_id, created_at DESC);
CREATE INDEX declarations_commune ON declarations (commune_code, travel_date);

-- One passage of a person through a checkpoint, the airport, a border post, or a stay at a
-- lodging (in = arrival / check-in, out = departure / check-out), with its classification.
CREATE TABLE entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL UNIQUE,
  site_id uuid NOT NULL REFERENCES sites (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  person_id uuid NOT NULL REFERENCES persons (id),
  declaration_id uuid REFERENCES declarations (id),
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  at timestamptz NOT NULL,
  entry_date date NOT NULL,
  vehicle_plate text,
  vehicle_type text,
  companions integer NOT NULL DEFAULT 0 CHECK (companions BETWEEN 0 AND 100),
  from_province_code text,
  from_district_code text,
  from_commune_code text,
  dest_province_code text,
  dest_district_code text,
  dest_commune_code text,
  dest_address text,
  from_epidemic_area boolean NOT NULL DEFAULT false,
  origin_level smallint,
  rapid_test_result text CHECK (rapid_test_result IN ('negative', 'positive')),
  -- the automated decision: which rule set and rule, and its words
  action text,
  ruleset_id text,
  rule_id text,
  decision jsonb,
  -- an officer's override, with the reason
  override jsonb,
  recorded_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entries_site_at ON entries (site_id, at DESC);
CREATE INDEX entries_commune_at ON entries (commune_code, at DESC);
CREATE INDEX entries_district_at ON entries (district_code, at DESC);
CREATE INDEX entries_province_at ON entries (province_code, at DESC);
CREATE INDEX entries_person ON entries (person_id, at DESC);
CREATE INDEX entries_vehicle ON entries (vehicle_plate, at) WHERE vehicle_plate IS NOT NULL;

-- The destination commune's task for a classified arrival: test days and end of monitoring.
CREATE TABLE follow_ups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  entry_id uuid NOT NULL UNIQUE REFERENCES entries (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  village_id uuid REFERENCES villages (id),
  -- destination outside the home province: handed to no one, but counted
  out_of_province boolean NOT NULL DEFAULT false,
  action text NOT NULL,
  start_date date NOT NULL,
  quarantine_ends date,
  monitoring_ends date NOT NULL,
  test_dates date[] NOT NULL DEFAULT '{}',
  tests_done integer NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'moved_away')),
  contacted_at timestamptz,
  last_check_at timestamptz,
  -- the next date something is due (a test or the end of monitoring); null when closed
  next_due date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_ups_commune_due ON follow_ups (commune_code, status, next_due);
CREATE INDEX follow_ups_district_due ON follow_ups (district_code, status, next_due);
CREATE INDEX follow_ups_province_due ON follow_ups (province_code, status, next_due);
CREATE INDEX follow_ups_village ON follow_ups (village_id, status, next_due) WHERE village_id IS NOT NULL;
CREATE INDEX follow_ups_person ON follow_ups (person_id);

CREATE TABLE follow_up_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid UNIQUE,
  follow_up_id uuid NOT NULL REFERENCES follow_ups (id),
  kind text NOT NULL CHECK (kind IN ('contact', 'daily_check', 'test', 'moved_away', 'completed', 'note')),
  at timestamptz NOT NULL,
  data jsonb NOT NULL DEFAULT '{}',
  recorded_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_up_events_follow_up ON follow_up_events (follow_up_id, at);

-- Counts per site per day, maintained in the same transaction as each entry, so that the
-- checkpoint figures never count millions of rows per request.
CREATE TABLE entry_daily_counts (
  site_id uuid NOT NULL REFERENCES sites (id),
  day date NOT NULL,
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  people_in integer NOT NULL DEFAULT 0,
  people_out integer NOT NULL DEFAULT 0,
  vehicles integer NOT NULL DEFAULT 0,
  from_epidemic_area integer NOT NULL DEFAULT 0,
  rapid_tests integer NOT NULL DEFAULT 0,
  rapid_positive integer NOT NULL DEFAULT 0,
  centralised integer NOT NULL DEFAULT 0,
  home_quarantine integer NOT NULL DEFAULT 0,
  self_monitoring integer NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, day)
);
CREATE INDEX entry_daily_counts_day ON entry_daily_counts (province_code, day);

CREATE UNIQUE INDEX sites_commune_name ON sites (commune_code, lower(name));
