-- Quarantine and treatment (issue 11): facilities with rooms and beds, admissions placed by a
-- rule set that never mixes cohorts, F0 care by tier with twice-daily readings, alerts, and the
-- maintained figures (per facility on its row, per commune in care_commune_counts) that the
-- capacity board and dashboards read, changed in the same transaction as each record.

-- A facility is a site of kind 'facility' (its managers are placed at that site).
CREATE TABLE care_facilities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL UNIQUE REFERENCES sites (id),
  kind text NOT NULL CHECK (kind IN ('quarantine', 'tier1', 'tier2', 'tier3', 'field_hospital', 'mobile_station')),
  name text NOT NULL,
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL REFERENCES admin_units (code),
  ventilators integer NOT NULL DEFAULT 0 CHECK (ventilators >= 0),
  ventilators_in_use integer NOT NULL DEFAULT 0 CHECK (ventilators_in_use >= 0),
  oxygen_cylinders integer NOT NULL DEFAULT 0 CHECK (oxygen_cylinders >= 0),
  oxygen_concentrators integer NOT NULL DEFAULT 0 CHECK (oxygen_concentrators >= 0),
  oxygen_liquid_litres numeric NOT NULL DEFAULT 0 CHECK (oxygen_liquid_litres >= 0),
  -- gas litres used per day at the current use (for "days left")
  oxygen_use_litres_per_day numeric NOT NULL DEFAULT 0 CHECK (oxygen_use_litres_per_day >= 0),
  staff_on_duty integer NOT NULL DEFAULT 0 CHECK (staff_on_duty >= 0),
  -- maintained with every admission, release and transfer
  beds_total integer NOT NULL DEFAULT 0,
  beds_occupied integer NOT NULL DEFAULT 0 CHECK (beds_occupied >= 0),
  oxygen_beds_total integer NOT NULL DEFAULT 0,
  oxygen_beds_occupied integer NOT NULL DEFAULT 0 CHECK (oxygen_beds_occupied >= 0),
  icu_total integer NOT NULL DEFAULT 0,
  icu_occupied integer NOT NULL DEFAULT 0 CHECK (icu_occupied >= 0),
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (beds_occupied <= beds_total AND oxygen_beds_occupied <= oxygen_beds_total AND icu_occupied <= icu_total)
);
CREATE INDEX care_facilities_province ON care_facilities (province_code, name, id);
CREATE INDEX care_facilities_district ON care_facilities (district_code, name, id);
CREATE INDEX care_facilities_commune ON care_facilities (commune_code, name, id);

-- A room keeps the cohort it holds (null while empty) and its free beds by kind.
CREATE TABLE care_rooms (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  facility_id uuid NOT NULL REFERENCES care_facilities (id),
  name text NOT NULL,
  occupied integer NOT NULL DEFAULT 0 CHECK (occupied >= 0),
  free_ordinary integer NOT NULL DEFAULT 0 CHECK (free_ordinary >= 0),
  free_oxygen integer NOT NULL DEFAULT 0 CHECK (free_oxygen >= 0),
  free_icu integer NOT NULL DEFAULT 0 CHECK (free_icu >= 0),
  cohort_key text,
  is_f0 boolean,
  first_admitted_on date,
  UNIQUE (facility_id, name)
);

CREATE TABLE care_beds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  room_id uuid NOT NULL REFERENCES care_rooms (id),
  facility_id uuid NOT NULL REFERENCES care_facilities (id),
  label text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('ordinary', 'oxygen', 'icu')),
  admission_id uuid,
  UNIQUE (room_id, label)
);
CREATE INDEX care_beds_free ON care_beds (room_id, kind) WHERE admission_id IS NULL;

CREATE TABLE care_admissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid UNIQUE,
  person_id uuid NOT NULL REFERENCES persons (id),
  facility_id uuid NOT NULL REFERENCES care_facilities (id),
  room_id uuid REFERENCES care_rooms (id),
  bed_id uuid REFERENCES care_beds (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  site_id uuid NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('quarantine', 'treatment')),
  source text NOT NULL CHECK (source IN ('order', 'arrival', 'manual', 'transfer')),
  quarantine_order_id uuid,
  follow_up_id uuid,
  case_id uuid,
  is_f0 boolean NOT NULL,
  cohort_key text NOT NULL,
  family_key text,
  status text NOT NULL DEFAULT 'admitted'
    CHECK (status IN ('admitted', 'released', 'transferred', 'escaped', 'positive', 'discharged', 'died')),
  admitted_on date NOT NULL,
  release_on date,
  test_dates date[] NOT NULL DEFAULT '{}',
  negative_on date[] NOT NULL DEFAULT '{}',
  fee_exemption text,
  ruleset_id text NOT NULL,
  rule_id text NOT NULL,
  placement jsonb NOT NULL,
  course jsonb,
  left_on date,
  left_reason text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX care_admissions_one_stay ON care_admissions (person_id) WHERE status = 'admitted';
CREATE INDEX care_admissions_site ON care_admissions (site_id, status, release_on, id);
CREATE INDEX care_admissions_commune ON care_admissions (commune_code, status, release_on, id);
CREATE INDEX care_admissions_district ON care_admissions (district_code, status, release_on, id);
CREATE INDEX care_admissions_province ON care_admissions (province_code, status, release_on, id);
CREATE INDEX care_admissions_room ON care_admissions (room_id) WHERE status = 'admitted';

CREATE TABLE care_admission_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  admission_id uuid NOT NULL REFERENCES care_admissions (id),
  kind text NOT NULL CHECK (kind IN ('admitted', 'test', 'released', 'early_release', 'extended',
    'escaped', 'positive', 'roommate_positive', 'transferred', 'discharged')),
  at timestamptz NOT NULL DEFAULT now(),
  data jsonb NOT NULL DEFAULT '{}',
  recorded_by uuid
);
CREATE INDEX care_admission_events_admission ON care_admission_events (admission_id, at);

-- An F0 under care: home or a facility tier; readings twice a day.
CREATE TABLE care_treatments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid UNIQUE,
  case_id uuid NOT NULL REFERENCES cases (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  village_id uuid,
  tier text NOT NULL CHECK (tier IN ('home', 'tier1', 'tier2', 'tier3')),
  facility_id uuid REFERENCES care_facilities (id),
  admission_id uuid REFERENCES care_admissions (id),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'discharged', 'died')),
  started_on date NOT NULL,
  age_years integer NOT NULL,
  ruleset_id text NOT NULL,
  rule_id text NOT NULL,
  explanation jsonb NOT NULL,
  next_reading_due timestamptz,
  last_reading_at timestamptz,
  open_alerts integer NOT NULL DEFAULT 0 CHECK (open_alerts >= 0),
  ended_on date,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX care_treatments_one_active ON care_treatments (case_id) WHERE status = 'active';
CREATE INDEX care_treatments_commune ON care_treatments (commune_code, status, next_reading_due, id);
CREATE INDEX care_treatments_district ON care_treatments (district_code, status, next_reading_due, id);
CREATE INDEX care_treatments_province ON care_treatments (province_code, status, next_reading_due, id);
CREATE INDEX care_treatments_village ON care_treatments (village_id, status, next_reading_due, id) WHERE village_id IS NOT NULL;
CREATE INDEX care_treatments_due ON care_treatments (next_reading_due) WHERE status = 'active';

CREATE TABLE care_readings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid UNIQUE,
  treatment_id uuid NOT NULL REFERENCES care_treatments (id),
  at timestamptz NOT NULL,
  spo2 numeric,
  respiratory_rate integer,
  pulse integer,
  temperature numeric,
  systolic integer,
  diastolic integer,
  symptoms text[] NOT NULL DEFAULT '{}',
  signs jsonb NOT NULL DEFAULT '[]',
  ruleset_id text NOT NULL,
  recorded_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX care_readings_treatment ON care_readings (treatment_id, at);

-- Alerts for the commune and the district: warning signs, missed monitoring, symptoms at a home check.
CREATE TABLE care_alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('warning_sign', 'missed_monitoring', 'home_check_symptoms')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  person_id uuid NOT NULL REFERENCES persons (id),
  treatment_id uuid REFERENCES care_treatments (id),
  follow_up_id uuid,
  reading_id uuid,
  test_order_id uuid,
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  village_id uuid,
  age_years integer,
  ruleset_id text NOT NULL,
  rule_id text NOT NULL,
  explanation jsonb NOT NULL,
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  closed_by uuid,
  resolution text CHECK (resolution IN ('transferred', 'no_bed', 'closed')),
  close_reason text,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX care_alerts_commune ON care_alerts (commune_code, status, opened_at DESC, id DESC);
CREATE INDEX care_alerts_district ON care_alerts (district_code, status, opened_at DESC, id DESC);
CREATE INDEX care_alerts_province ON care_alerts (province_code, status, opened_at DESC, id DESC);
CREATE INDEX care_alerts_treatment ON care_alerts (treatment_id) WHERE status = 'open';
CREATE UNIQUE INDEX care_alerts_one_missed ON care_alerts (treatment_id)
  WHERE status = 'open' AND kind = 'missed_monitoring';

-- Patients by tier and open alerts per commune (the district and province sum a few rows).
CREATE TABLE care_commune_counts (
  commune_code text PRIMARY KEY,
  district_code text NOT NULL,
  province_code text NOT NULL,
  home integer NOT NULL DEFAULT 0,
  tier1 integer NOT NULL DEFAULT 0,
  tier2 integer NOT NULL DEFAULT 0,
  tier3 integer NOT NULL DEFAULT 0,
  open_alerts integer NOT NULL DEFAULT 0,
  open_alerts_child integer NOT NULL DEFAULT 0,
  open_alerts_elderly integer NOT NULL DEFAULT 0
);
CREATE INDEX care_commune_counts_district ON care_commune_counts (district_code);
CREATE INDEX care_commune_counts_province ON care_commune_counts (province_code);
