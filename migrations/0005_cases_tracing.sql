-- Cases and contact tracing: F0 cases with their status over time, co-presence ("who was where
-- when"), F1/F2 contacts with their evidence, quarantine orders for confirmed F1 (the commune's
-- tracing tasks), venues with QR check-in (as PC-COVID had it), clusters (ổ dịch), lockdown
-- areas (phong tỏa) and notices to communes.
--
-- Jurisdiction. A case belongs to its responsible commune (the person's address commune unless
-- set otherwise) and is also seen by the commune where the person is now (current_*). A contact
-- is seen by the case's area and by the contact person's area (the commune that reaches them).

CREATE TABLE cases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- short human code, "F0-000123"
  code text NOT NULL UNIQUE,
  person_id uuid NOT NULL REFERENCES persons (id),
  -- responsible commune (jurisdiction)
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL REFERENCES admin_units (code),
  village_id uuid REFERENCES villages (id),
  -- where the person is now (a transfer between communes is recorded in case_events)
  current_province_code text NOT NULL,
  current_district_code text NOT NULL,
  current_commune_code text NOT NULL REFERENCES admin_units (code),
  positive_sample_at timestamptz NOT NULL,
  onset_date date,
  found_by text NOT NULL CHECK (found_by IN ('community', 'quarantine', 'entry', 'imported', 'screening')),
  -- which F0 definition decided it: {ruleSetId, ruleId, explanation: {vi, en}}
  decision jsonb NOT NULL,
  -- {kind: 'test_result', id} | {kind: 'manual'}
  source jsonb NOT NULL,
  status text NOT NULL DEFAULT 'home_isolation'
    CHECK (status IN ('unisolated', 'home_isolation', 'facility', 'hospital', 'recovered', 'died')),
  -- hospital tier (tầng 1/2/3) when status = 'hospital'
  hospital_tier smallint CHECK (hospital_tier BETWEEN 1 AND 3),
  facility_site_id uuid REFERENCES sites (id),
  -- when the person was isolated: the end of the infectious period
  isolated_at timestamptz,
  closed_at timestamptz,
  -- the case this one was infected by (the person was a confirmed F1 of it)
  source_case_id uuid REFERENCES cases (id),
  source_contact_id uuid,
  cluster_id uuid,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'hospital') = (hospital_tier IS NOT NULL)),
  CHECK ((status IN ('recovered', 'died')) = (closed_at IS NOT NULL))
);
CREATE SEQUENCE case_code_seq;
-- one open case per person
CREATE UNIQUE INDEX cases_open_person ON cases (person_id) WHERE closed_at IS NULL;
CREATE INDEX cases_person ON cases (person_id, positive_sample_at DESC);
CREATE INDEX cases_commune ON cases (commune_code, positive_sample_at DESC, id);
CREATE INDEX cases_district ON cases (district_code, positive_sample_at DESC, id);
CREATE INDEX cases_province ON cases (province_code, positive_sample_at DESC, id);
CREATE INDEX cases_village ON cases (village_id, positive_sample_at DESC, id) WHERE village_id IS NOT NULL;
CREATE INDEX cases_current_commune ON cases (current_commune_code, positive_sample_at DESC, id);
CREATE INDEX cases_current_district ON cases (current_district_code, positive_sample_at DESC, id);
CREATE INDEX cases_cluster ON cases (cluster_id, positive_sample_at) WHERE cluster_id IS NOT NULL;
CREATE INDEX cases_source ON cases (source_case_id) WHERE source_case_id IS NOT NULL;

-- Status changes, transfers and notes of a case, in order.
CREATE TABLE case_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid UNIQUE,
  case_id uuid NOT NULL REFERENCES cases (id),
  kind text NOT NULL CHECK (kind IN ('opened', 'status', 'transfer', 'note', 'cluster')),
  at timestamptz NOT NULL,
  data jsonb NOT NULL DEFAULT '{}',
  recorded_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_events_case ON case_events (case_id, at, id);

-- Venues (địa điểm) that print a QR for check-in: a market, shop, school, office, factory shift.
CREATE TABLE venues (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('market', 'shop', 'school', 'office', 'factory', 'restaurant', 'worship', 'other')),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL REFERENCES admin_units (code),
  village_id uuid REFERENCES villages (id),
  address text,
  -- unguessable token printed in the venue's QR; the check-in endpoint takes it
  qr_token text NOT NULL UNIQUE,
  disabled boolean NOT NULL DEFAULT false,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX venues_commune_name ON venues (commune_code, lower(name));
CREATE INDEX venues_district ON venues (district_code, id);
CREATE INDEX venues_province ON venues (province_code, id);

CREATE TABLE venue_checkins (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid UNIQUE,
  venue_id uuid NOT NULL REFERENCES venues (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  declaration_id uuid REFERENCES declarations (id),
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  at timestamptz NOT NULL,
  -- class / shift / room inside the venue, when the venue has several
  area text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX venue_checkins_venue ON venue_checkins (venue_id, at);
CREATE INDEX venue_checkins_person ON venue_checkins (person_id, at);

-- Co-presence: one row per person per place per interval. Everything that puts two people in
-- one place at one time, normalised: place_key 'checkpoint:<site>', 'vehicle:<plate>',
-- 'lodging:<site>', 'venue:<id>[:<area>]', 'interview:<id>'. Households are joined live from
-- household_members. An F1 search is one index range read on (place_key, start_at) per
-- presence of the F0. Durations are capped (max 31 days) so the range read has a lower bound.
CREATE TABLE presence (
  id bigserial PRIMARY KEY,
  person_id uuid NOT NULL,
  place_key text COLLATE "C" NOT NULL,
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL,
  source text NOT NULL CHECK (source IN ('checkpoint', 'vehicle', 'lodging', 'venue', 'workplace', 'interview')),
  -- entry id, venue check-in id, interview contact id
  ref_id uuid,
  -- worn a mask (null: not known)
  masked boolean,
  -- physical contact (an interview says so)
  physical boolean NOT NULL DEFAULT false,
  -- an open stay whose end is assumed (no check-out yet)
  end_estimated boolean NOT NULL DEFAULT false,
  -- a human label of the place ("Chợ Mường Thanh", "xe 27B-012.34")
  label text,
  CHECK (end_at >= start_at AND end_at - start_at <= interval '31 days')
);
CREATE INDEX presence_place ON presence (place_key, start_at) INCLUDE (end_at, person_id, masked);
CREATE INDEX presence_person ON presence (person_id, start_at);
CREATE INDEX presence_ref ON presence (ref_id) WHERE ref_id IS NOT NULL;

-- Entries feed presence in the database, so the entry write path keeps its code: a passage at
-- a checkpoint is a point in the queue (and on the vehicle when there is a plate, keyed by its
-- letters and digits only: "27B-012.34" and "27b 01234" are one vehicle); a lodging
-- check-in opens a stay (assumed 3 days until the check-out closes it; a longer stay is stored
-- in pieces of 3 days).
CREATE FUNCTION presence_from_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  k text;
  n text;
  open_id bigint;
  open_start timestamptz;
  c timestamptz;
BEGIN
  SELECT kind, name INTO k, n FROM sites WHERE id = NEW.site_id;
  IF k = 'lodging' THEN
    IF NEW.direction = 'in' THEN
      INSERT INTO presence (person_id, place_key, start_at, end_at, source, ref_id, end_estimated, label)
      VALUES (NEW.person_id, 'lodging:' || NEW.site_id, NEW.at, NEW.at + interval '3 days', 'lodging', NEW.id, true, n);
    ELSE
      SELECT id, start_at INTO open_id, open_start FROM presence
       WHERE person_id = NEW.person_id AND place_key = 'lodging:' || NEW.site_id AND start_at <= NEW.at
         AND start_at > NEW.at - interval '31 days' AND end_estimated
       ORDER BY start_at DESC LIMIT 1;
      IF open_id IS NOT NULL THEN
        -- a stay is kept in pieces of at most 3 days, so that a contact search reads at most
        -- 3 days back in a lodging's index range (maxSpanHours of the rule set)
        UPDATE presence SET end_at = least(NEW.at, open_start + interval '3 days'), end_estimated = false
         WHERE id = open_id;
        c := open_start + interval '3 days';
        WHILE c < NEW.at LOOP
          INSERT INTO presence (person_id, place_key, start_at, end_at, source, ref_id, label)
          VALUES (NEW.person_id, 'lodging:' || NEW.site_id, c, least(NEW.at, c + interval '3 days'), 'lodging', NEW.id, n);
          c := c + interval '3 days';
        END LOOP;
      END IF;
    END IF;
  ELSE
    INSERT INTO presence (person_id, place_key, start_at, end_at, source, ref_id, label)
    VALUES (NEW.person_id, 'checkpoint:' || NEW.site_id, NEW.at, NEW.at, 'checkpoint', NEW.id, n);
    IF NEW.vehicle_plate IS NOT NULL THEN
      INSERT INTO presence (person_id, place_key, start_at, end_at, source, ref_id, label)
      VALUES (NEW.person_id, 'vehicle:' || regexp_replace(upper(NEW.vehicle_plate), '[^0-9A-Z]', '', 'g'), NEW.at, NEW.at,
              'vehicle', NEW.id, NEW.vehicle_plate);
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER entries_presence AFTER INSERT ON entries FOR EACH ROW EXECUTE FUNCTION presence_from_entry();

-- F1 / F2 of a case: candidates found from co-presence (or added by a tracer), then confirmed or
-- rejected with the reason kept.
CREATE TABLE contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  degree smallint NOT NULL CHECK (degree IN (1, 2)),
  -- for an F2: the F1 contact it was found through
  via_contact_id uuid REFERENCES contacts (id),
  status text NOT NULL DEFAULT 'candidate' CHECK (status IN ('candidate', 'confirmed', 'rejected')),
  strength smallint NOT NULL CHECK (strength BETWEEN 0 AND 100),
  sources text[] NOT NULL,
  evidence jsonb NOT NULL,
  first_exposure_at timestamptz NOT NULL,
  last_exposure_at timestamptz NOT NULL,
  decision_reason text,
  decided_by uuid,
  decided_at timestamptz,
  -- the case's area
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  -- the contact person's area (the commune that reaches them)
  person_province_code text NOT NULL,
  person_district_code text NOT NULL,
  person_commune_code text NOT NULL,
  person_village_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, person_id)
);
CREATE INDEX contacts_person ON contacts (person_id, status, last_exposure_at);
CREATE INDEX contacts_person_commune ON contacts (person_commune_code, status);
CREATE INDEX contacts_via ON contacts (via_contact_id) WHERE via_contact_id IS NOT NULL;

-- A tracer's interview: who the F0 met, where, when, how.
CREATE TABLE interview_contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid UNIQUE,
  case_id uuid NOT NULL REFERENCES cases (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  start_at timestamptz NOT NULL,
  minutes integer NOT NULL CHECK (minutes BETWEEN 1 AND 44640),
  masked boolean NOT NULL,
  physical boolean NOT NULL DEFAULT false,
  place text,
  note text,
  recorded_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX interview_contacts_case ON interview_contacts (case_id);

-- The quarantine order of a confirmed F1 under the rule set in force; also the commune's tracing
-- task (reach, quarantine, test days, end), assigned to a tracer or a community team.
CREATE TABLE quarantine_orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contact_id uuid NOT NULL UNIQUE REFERENCES contacts (id),
  case_id uuid NOT NULL REFERENCES cases (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  village_id uuid,
  ruleset_id text NOT NULL,
  rule_id text NOT NULL,
  -- {vi, en}
  explanation jsonb NOT NULL,
  kind text NOT NULL CHECK (kind IN ('centralised', 'home', 'self_monitoring')),
  -- day 1 = the date of the last exposure
  start_date date NOT NULL,
  quarantine_ends date,
  monitoring_ends date NOT NULL,
  test_dates date[] NOT NULL DEFAULT '{}',
  tests_done integer NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'became_case', 'cancelled')),
  reached_at timestamptz,
  quarantined_at timestamptz,
  next_due date,
  assigned_user_id uuid REFERENCES users (id),
  assigned_team text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quarantine_orders_commune ON quarantine_orders (commune_code, status, next_due, id);
CREATE INDEX quarantine_orders_district ON quarantine_orders (district_code, status, next_due, id);
CREATE INDEX quarantine_orders_province ON quarantine_orders (province_code, status, next_due, id);
CREATE INDEX quarantine_orders_village ON quarantine_orders (village_id, status, next_due) WHERE village_id IS NOT NULL;
CREATE INDEX quarantine_orders_person ON quarantine_orders (person_id);

CREATE TABLE quarantine_order_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid UNIQUE,
  order_id uuid NOT NULL REFERENCES quarantine_orders (id),
  kind text NOT NULL CHECK (kind IN ('reached', 'quarantined', 'test', 'completed', 'assigned', 'note')),
  at timestamptz NOT NULL,
  data jsonb NOT NULL DEFAULT '{}',
  recorded_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quarantine_order_events_order ON quarantine_order_events (order_id, at);

-- Clusters (ổ dịch): a name, a place and dates; cases join a cluster.
CREATE TABLE clusters (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  place text,
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL REFERENCES admin_units (code),
  start_date date NOT NULL,
  end_date date,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX clusters_commune ON clusters (commune_code, start_date DESC, id);
CREATE INDEX clusters_district ON clusters (district_code, start_date DESC, id);
CREATE INDEX clusters_province ON clusters (province_code, start_date DESC, id);
ALTER TABLE cases ADD CONSTRAINT cases_cluster_fk FOREIGN KEY (cluster_id) REFERENCES clusters (id);

-- Lockdown areas (phong tỏa): admin units (communes / districts), villages, or a named place
-- inside a commune, with start and end. Who lives there: persons whose address is in it.
CREATE TABLE lockdowns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  place text,
  unit_codes text[] NOT NULL DEFAULT '{}',
  village_ids uuid[] NOT NULL DEFAULT '{}',
  -- the smallest area that holds it (jurisdiction)
  province_code text NOT NULL,
  district_code text,
  commune_code text,
  start_date date NOT NULL,
  end_date date,
  cluster_id uuid REFERENCES clusters (id),
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX lockdowns_province ON lockdowns (province_code, start_date DESC);
CREATE INDEX lockdowns_units ON lockdowns USING gin (unit_codes);

-- Notices to a commune (new case, new F1, a result…), read by its staff.
CREATE TABLE notices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  province_code text NOT NULL,
  district_code text,
  commune_code text,
  -- a notice to one site (a lab, a facility); null: to the commune's staff
  site_id uuid REFERENCES sites (id),
  kind text NOT NULL,
  -- {vi, en}
  title jsonb NOT NULL,
  ref_type text NOT NULL,
  ref_id text NOT NULL,
  read_at timestamptz,
  read_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notices_commune ON notices (commune_code, created_at DESC, id DESC);
CREATE INDEX notices_district ON notices (district_code, created_at DESC, id DESC);
CREATE INDEX notices_province ON notices (province_code, created_at DESC, id DESC);
CREATE INDEX notices_site ON notices (site_id, created_at DESC, id DESC) WHERE site_id IS NOT NULL;
