-- Testing and labs (xét nghiệm): the test-type catalogue, screening campaigns, lab capacity,
-- orders, specimens with their printed code, pools (gộp mẫu) and their members, results with
-- the F0 decision each positive took, bulk result imports run as background jobs with a
-- row-by-row report, and the column mapping each uploader saved.
--
-- Jurisdiction. Orders, specimens and results carry the residence codes of the person
-- (province_code = the registering province, as persons.registered_province_code), the site
-- that ordered / sampled / reported them (site_id: a school, an enterprise, a checkpoint…) and
-- the lab they were sent to (lab_site_id). A site-level user sees the rows of their site as
-- either (src/server/testing/scope.ts).

CREATE TABLE test_types (
  code text PRIMARY KEY,
  -- 'pcr' and 'rapid' are what the F0 definitions speak of
  kind text NOT NULL CHECK (kind IN ('pcr', 'rapid', 'other')),
  name_vi text NOT NULL,
  name_en text NOT NULL,
  poolable boolean NOT NULL DEFAULT false,
  disabled boolean NOT NULL DEFAULT false
);
INSERT INTO test_types (code, kind, name_vi, name_en, poolable) VALUES
  ('rt_pcr', 'pcr', 'Xét nghiệm RT-PCR', 'RT-PCR', true),
  ('rapid_antigen', 'rapid', 'Test nhanh kháng nguyên', 'Rapid antigen test', false);

-- Screening campaigns (sàng lọc): random sampling at a market, a bus station, a whole village.
CREATE TABLE test_campaigns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('market', 'bus_station', 'village', 'workplace', 'school', 'other')),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL REFERENCES admin_units (code),
  village_id uuid REFERENCES villages (id),
  starts_on date NOT NULL,
  ends_on date,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX test_campaigns_commune ON test_campaigns (commune_code, starts_on DESC, id);
CREATE INDEX test_campaigns_district ON test_campaigns (district_code, starts_on DESC, id);
CREATE INDEX test_campaigns_province ON test_campaigns (province_code, starts_on DESC, id);

-- How many samples a lab can run a day, single and pooled (seed 000: 1,000–1,500 single or
-- 5,000–10,000 pooled a day per PCR machine).
CREATE TABLE lab_capacity (
  site_id uuid PRIMARY KEY REFERENCES sites (id),
  single_per_day integer NOT NULL CHECK (single_per_day >= 0),
  pooled_per_day integer NOT NULL CHECK (pooled_per_day >= 0),
  updated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE test_orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES persons (id),
  test_type text NOT NULL REFERENCES test_types (code),
  reason text NOT NULL CHECK (reason IN ('follow_up', 'contact', 'screening', 'workplace', 'request',
    'pool_retest', 'confirmation', 'import')),
  campaign_id uuid REFERENCES test_campaigns (id),
  -- a retest ordered because this pool was positive
  pool_id uuid,
  -- the result whose F0 decision asked for this confirmation test
  confirms_result_id uuid,
  status text NOT NULL DEFAULT 'ordered' CHECK (status IN ('ordered', 'sampled', 'resulted', 'cancelled')),
  note text,
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  site_id uuid REFERENCES sites (id),
  lab_site_id uuid REFERENCES sites (id),
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX test_orders_person ON test_orders (person_id, created_at DESC);
CREATE INDEX test_orders_commune ON test_orders (commune_code, created_at DESC, id);
CREATE INDEX test_orders_district ON test_orders (district_code, created_at DESC, id);
CREATE INDEX test_orders_province ON test_orders (province_code, created_at DESC, id);
CREATE INDEX test_orders_site ON test_orders (site_id, created_at DESC, id) WHERE site_id IS NOT NULL;
CREATE INDEX test_orders_lab ON test_orders (lab_site_id, created_at DESC, id) WHERE lab_site_id IS NOT NULL;
CREATE INDEX test_orders_campaign ON test_orders (campaign_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX test_orders_pool ON test_orders (pool_id) WHERE pool_id IS NOT NULL;

-- A sample taken: who, where, when; its code is printed on the tube as a barcode / QR label and
-- is what a citizen types to look up the result.
CREATE TABLE specimens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE,
  order_id uuid NOT NULL REFERENCES test_orders (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  test_type text NOT NULL REFERENCES test_types (code),
  sampled_at timestamptz NOT NULL,
  sampled_by text,
  sample_place text,
  status text NOT NULL DEFAULT 'collected'
    CHECK (status IN ('collected', 'in_pool', 'awaiting_retest', 'resulted', 'rejected')),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  site_id uuid REFERENCES sites (id),
  lab_site_id uuid REFERENCES sites (id),
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX specimens_order ON specimens (order_id);
CREATE INDEX specimens_person ON specimens (person_id);
CREATE INDEX specimens_commune ON specimens (commune_code, sampled_at DESC, id);
CREATE INDEX specimens_district ON specimens (district_code, sampled_at DESC, id);
CREATE INDEX specimens_province ON specimens (province_code, sampled_at DESC, id);
CREATE INDEX specimens_site ON specimens (site_id, sampled_at DESC, id) WHERE site_id IS NOT NULL;
CREATE INDEX specimens_lab ON specimens (lab_site_id, status, sampled_at DESC, id) WHERE lab_site_id IS NOT NULL;

-- A pool of specimens run as one (gộp mẫu 5 or 10). A member is in at most one open pool.
CREATE TABLE pools (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE,
  lab_site_id uuid NOT NULL REFERENCES sites (id),
  test_type text NOT NULL REFERENCES test_types (code),
  size integer NOT NULL CHECK (size BETWEEN 2 AND 20),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'negative', 'awaiting_retests', 'resolved')),
  result text CHECK (result IN ('negative', 'positive')),
  retest_mode text CHECK (retest_mode IN ('same_specimen', 'new_sample')),
  resulted_at timestamptz,
  -- the lab's codes (a pool holds people of several communes)
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pools_lab ON pools (lab_site_id, created_at DESC, id);

CREATE TABLE pool_members (
  pool_id uuid NOT NULL REFERENCES pools (id),
  specimen_id uuid NOT NULL REFERENCES specimens (id),
  position integer NOT NULL,
  -- true while the pool waits for its result
  open boolean NOT NULL DEFAULT true,
  retest_order_id uuid REFERENCES test_orders (id),
  -- the member's final outcome: from a negative pool or from its retest
  outcome text CHECK (outcome IN ('negative', 'positive', 'invalid')),
  PRIMARY KEY (pool_id, specimen_id)
);
CREATE UNIQUE INDEX pool_members_one_open_pool ON pool_members (specimen_id) WHERE open;
CREATE INDEX pool_members_specimen ON pool_members (specimen_id);
CREATE INDEX pool_members_retest ON pool_members (retest_order_id) WHERE retest_order_id IS NOT NULL;
ALTER TABLE test_orders ADD CONSTRAINT test_orders_pool_fk FOREIGN KEY (pool_id) REFERENCES pools (id);

-- Bulk result imports: the uploaded file, then a background job that reads it in chunks.
CREATE TABLE result_imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- who uploaded: their site, or 'area:<code>' for an area account (mapping and file hash key)
  uploader_key text NOT NULL,
  site_id uuid REFERENCES sites (id),
  province_code text NOT NULL,
  district_code text,
  commune_code text,
  file_name text NOT NULL,
  file_sha256 text NOT NULL,
  file bytea,
  mapping jsonb NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  total_rows integer,
  processed_rows integer NOT NULL DEFAULT 0,
  accepted integer NOT NULL DEFAULT 0,
  matched integer NOT NULL DEFAULT 0,
  created_persons integer NOT NULL DEFAULT 0,
  duplicates integer NOT NULL DEFAULT 0,
  rejected integer NOT NULL DEFAULT 0,
  positives integer NOT NULL DEFAULT 0,
  error text,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  UNIQUE (uploader_key, file_sha256)
);
CREATE INDEX result_imports_status ON result_imports (status, created_at) WHERE status IN ('queued', 'running');
CREATE INDEX result_imports_uploader ON result_imports (uploader_key, created_at DESC, id);

CREATE TABLE result_import_rows (
  import_id uuid NOT NULL REFERENCES result_imports (id) ON DELETE CASCADE,
  row_no integer NOT NULL,
  status text NOT NULL CHECK (status IN ('accepted', 'duplicate', 'rejected')),
  -- how the person was found: id_number, phone, name_birth_year, created
  matched_by text,
  person_id uuid,
  result_id uuid,
  full_name text,
  message text,
  PRIMARY KEY (import_id, row_no)
);

-- Which column of an uploader's files holds which field, saved once per uploader.
CREATE TABLE result_import_mappings (
  uploader_key text PRIMARY KEY,
  mapping jsonb NOT NULL,
  updated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE test_results (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES persons (id),
  order_id uuid REFERENCES test_orders (id),
  specimen_id uuid REFERENCES specimens (id),
  -- the code on the specimen label or the uploader's own sample code, for the citizen lookup
  specimen_code text,
  test_type text NOT NULL REFERENCES test_types (code),
  result text NOT NULL CHECK (result IN ('negative', 'positive', 'invalid')),
  ct_value numeric,
  sampled_at timestamptz NOT NULL,
  resulted_at timestamptz NOT NULL,
  sample_date date NOT NULL,
  source text NOT NULL CHECK (source IN ('manual', 'import', 'pool', 'fhir')),
  import_id uuid REFERENCES result_imports (id),
  -- one result per natural key: a replayed request, a re-uploaded file or a re-sent FHIR
  -- Bundle finds the result it already wrote
  natural_key text NOT NULL UNIQUE,
  client_id uuid UNIQUE,
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  site_id uuid REFERENCES sites (id),
  lab_site_id uuid REFERENCES sites (id),
  -- the F0 decision (rule set kind 'f0_definition') a positive took
  f0_outcome text CHECK (f0_outcome IN ('open_case', 'order_confirmation', 'none')),
  f0_ruleset_id text,
  f0_rule_id text,
  f0_explanation jsonb,
  case_id uuid,
  confirmation_order_id uuid REFERENCES test_orders (id),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX test_results_person ON test_results (person_id, sampled_at DESC);
CREATE INDEX test_results_specimen ON test_results (specimen_id) WHERE specimen_id IS NOT NULL;
CREATE INDEX test_results_code ON test_results (specimen_code) WHERE specimen_code IS NOT NULL;
CREATE INDEX test_results_commune ON test_results (commune_code, sample_date, id);
CREATE INDEX test_results_district ON test_results (district_code, sample_date, id);
CREATE INDEX test_results_province ON test_results (province_code, sample_date, id);
CREATE INDEX test_results_site ON test_results (site_id, sample_date, id) WHERE site_id IS NOT NULL;
CREATE INDEX test_results_lab ON test_results (lab_site_id, sample_date, id) WHERE lab_site_id IS NOT NULL;
CREATE INDEX test_results_import ON test_results (import_id) WHERE import_id IS NOT NULL;
