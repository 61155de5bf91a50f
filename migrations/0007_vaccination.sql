-- Vaccination (tiêm chủng vắc xin phòng COVID-19) and certificates: the supply chain from a
-- Ministry allocation to a dose (lots, allocations, shipments received, distributions to
-- districts and sites, wastage), rounds (đợt) and sessions at sites, the screening before each
-- dose with consent, the dose records, reactions after vaccination (AEFI), why someone is not
-- vaccinated, target populations (denominators), each person's vaccination status (kept in
-- step with the doses, read by coverage and due lists), certificates issued and the trust list
-- of signer certificates.
--
-- Jurisdiction. Person-level rows carry the person's residence codes with province_code = the
-- registering province (as persons.registered_province_code) and site_id = the vaccination site
-- where it applies. Supply rows carry the codes of the unit / site that holds the doses.
-- Product codes are those of the 'vaccine_schedule' rule sets (src/domain/vaccination.ts).

CREATE TABLE vaccine_lots (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product text NOT NULL,
  lot_number text NOT NULL,
  expires_on date NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (product, lot_number)
);

CREATE TABLE vaccination_rounds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  province_code text NOT NULL,
  district_code text,
  commune_code text,
  -- đợt 1, 2, … of the province's campaign
  number integer NOT NULL CHECK (number >= 1),
  name text NOT NULL,
  target_group text NOT NULL,
  products text[] NOT NULL,
  starts_on date NOT NULL,
  ends_on date,
  -- people the plan means to vaccinate
  target_persons integer CHECK (target_persons IS NULL OR target_persons >= 0),
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on IS NULL OR ends_on >= starts_on),
  UNIQUE (province_code, number)
);

CREATE TABLE vaccine_allocations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  province_code text NOT NULL,
  decision_number text NOT NULL,
  decision_date date NOT NULL,
  product text NOT NULL,
  doses integer NOT NULL CHECK (doses > 0),
  round_id uuid REFERENCES vaccination_rounds (id),
  note text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (province_code, decision_number, product)
);
CREATE INDEX vaccine_allocations_province ON vaccine_allocations (province_code, decision_date);

CREATE TABLE vaccine_shipments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  province_code text NOT NULL,
  allocation_id uuid REFERENCES vaccine_allocations (id),
  product text NOT NULL,
  lot_id uuid REFERENCES vaccine_lots (id),
  doses integer NOT NULL CHECK (doses > 0),
  received_on date NOT NULL,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vaccine_shipments_province ON vaccine_shipments (province_code, received_on);

-- From the province to a district store, or to a site (then commune_code and site_id are set).
CREATE TABLE vaccine_distributions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text,
  site_id uuid REFERENCES sites (id),
  product text NOT NULL,
  lot_id uuid REFERENCES vaccine_lots (id),
  doses integer NOT NULL CHECK (doses > 0),
  distributed_on date NOT NULL,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((site_id IS NULL) = (commune_code IS NULL))
);
CREATE INDEX vaccine_distributions_site ON vaccine_distributions (site_id, product);
CREATE INDEX vaccine_distributions_district ON vaccine_distributions (district_code, distributed_on);

CREATE TABLE vaccine_wastage (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  site_id uuid NOT NULL REFERENCES sites (id),
  product text NOT NULL,
  lot_id uuid REFERENCES vaccine_lots (id),
  doses integer NOT NULL CHECK (doses > 0),
  reason text NOT NULL CHECK (reason IN ('expired', 'opened_vial', 'cold_chain', 'broken', 'other')),
  recorded_on date NOT NULL,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vaccine_wastage_site ON vaccine_wastage (site_id, product);

CREATE TABLE vaccination_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  round_id uuid REFERENCES vaccination_rounds (id),
  site_id uuid NOT NULL REFERENCES sites (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  session_date date NOT NULL,
  products text[] NOT NULL,
  planned_persons integer CHECK (planned_persons IS NULL OR planned_persons >= 0),
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vaccination_sessions_commune ON vaccination_sessions (commune_code, session_date);
CREATE INDEX vaccination_sessions_site ON vaccination_sessions (site_id, session_date);

-- Khám sàng lọc before a dose: eligible (đủ điều kiện), postpone (hoãn), contraindicated
-- (chống chỉ định), with the consent (đồng ý tiêm) of the person or guardian.
CREATE TABLE vaccination_screenings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES persons (id),
  session_id uuid REFERENCES vaccination_sessions (id),
  site_id uuid REFERENCES sites (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  village_id uuid,
  screened_on date NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('eligible', 'postpone', 'contraindicated')),
  findings text[] NOT NULL DEFAULT '{}',
  comorbidity boolean NOT NULL DEFAULT false,
  consent boolean NOT NULL,
  consent_by text,
  note text,
  client_id uuid UNIQUE,
  screened_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vaccination_screenings_person ON vaccination_screenings (person_id, screened_on DESC);
CREATE INDEX vaccination_screenings_commune ON vaccination_screenings (commune_code, screened_on);

CREATE TABLE vaccination_doses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES persons (id),
  product text NOT NULL,
  lot_id uuid REFERENCES vaccine_lots (id),
  lot_number text,
  dose_number integer NOT NULL CHECK (dose_number >= 1),
  kind text NOT NULL CHECK (kind IN ('primary', 'booster')),
  given_on date NOT NULL,
  site_id uuid REFERENCES sites (id),
  round_id uuid REFERENCES vaccination_rounds (id),
  session_id uuid REFERENCES vaccination_sessions (id),
  screening_id uuid REFERENCES vaccination_screenings (id),
  vaccinator text,
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  village_id uuid,
  rule_set_id text NOT NULL,
  rule_id text NOT NULL,
  explanation jsonb NOT NULL,
  client_id uuid UNIQUE,
  recorded_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (person_id, dose_number)
);
CREATE INDEX vaccination_doses_person ON vaccination_doses (person_id, given_on);
CREATE INDEX vaccination_doses_site ON vaccination_doses (site_id, product, given_on);
CREATE INDEX vaccination_doses_commune ON vaccination_doses (commune_code, given_on);
CREATE INDEX vaccination_doses_district ON vaccination_doses (district_code, given_on);
CREATE INDEX vaccination_doses_province ON vaccination_doses (province_code, given_on);

-- One row per vaccinated person, recomputed from the doses in the same transaction. Coverage
-- reads only this table (index-only by residence commune and birth year); due lists read it by
-- commune and due date.
CREATE TABLE vaccination_status (
  person_id uuid PRIMARY KEY REFERENCES persons (id),
  province_code text NOT NULL,
  res_province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  village_id uuid,
  birth_year integer NOT NULL,
  doses integer NOT NULL,
  first_dose_on date NOT NULL,
  last_dose_on date NOT NULL,
  primary_complete_on date,
  booster_doses integer NOT NULL DEFAULT 0,
  next_kind text CHECK (next_kind IN ('primary', 'booster')),
  next_dose_number integer,
  next_earliest date,
  next_due date,
  next_latest date,
  rule_set_id text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vaccination_status_coverage ON vaccination_status
  (res_province_code, commune_code, birth_year) INCLUDE (primary_complete_on, booster_doses);
CREATE INDEX vaccination_status_due ON vaccination_status (commune_code, next_due)
  WHERE next_kind IS NOT NULL;

CREATE TABLE vaccination_reactions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dose_id uuid NOT NULL REFERENCES vaccination_doses (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  site_id uuid,
  onset_on date NOT NULL,
  severity text NOT NULL CHECK (severity IN ('common', 'serious')),
  symptoms text[] NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('recovered', 'recovering', 'hospitalised', 'died', 'unknown')),
  note text,
  client_id uuid UNIQUE,
  reported_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vaccination_reactions_commune ON vaccination_reactions (commune_code, onset_on);
CREATE INDEX vaccination_reactions_dose ON vaccination_reactions (dose_id);

-- Why a person is not vaccinated (the latest row counts) and their priority flags.
CREATE TABLE vaccination_exemptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES persons (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  village_id uuid,
  reason text NOT NULL CHECK (reason IN ('contraindicated', 'postponed', 'refused', 'not_reached', 'moved_away')),
  comorbidity boolean NOT NULL DEFAULT false,
  note text,
  recorded_on date NOT NULL,
  client_id uuid UNIQUE,
  recorded_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vaccination_exemptions_person ON vaccination_exemptions (person_id, created_at DESC);
CREATE INDEX vaccination_exemptions_district ON vaccination_exemptions (district_code) WHERE comorbidity;

-- Target populations (denominators) entered by health staff, per unit and age group.
CREATE TABLE vaccination_targets (
  unit_code text NOT NULL REFERENCES admin_units (code),
  age_group text NOT NULL CHECK (age_group IN ('12-17', '18+', '50+', '65+')),
  population integer NOT NULL CHECK (population >= 0),
  source text,
  updated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (unit_code, age_group)
);

CREATE TABLE vaccination_certificates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES persons (id),
  kind text NOT NULL CHECK (kind IN ('vaccination', 'test', 'recovery')),
  uvci text NOT NULL UNIQUE,
  dose_id uuid REFERENCES vaccination_doses (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  signer_kid text NOT NULL,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  qr text NOT NULL,
  client_id uuid UNIQUE,
  issued_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vaccination_certificates_person ON vaccination_certificates (person_id, issued_at DESC);

-- Document signer certificates the verifier trusts: ours (loaded from the environment at
-- start) and imported ones (other provinces, other countries).
CREATE TABLE dcc_trusted_signers (
  kid text PRIMARY KEY,
  certificate_pem text NOT NULL,
  source text NOT NULL CHECK (source IN ('own', 'imported')),
  subject text NOT NULL,
  not_before timestamptz NOT NULL,
  not_after timestamptz NOT NULL,
  note text,
  added_by uuid,
  added_at timestamptz NOT NULL DEFAULT now()
);
