-- Issue 17: border gates and the green lane (luồng xanh).
-- A transport company is a site of kind 'transport_company' (its accounts are scoped to it, as a
-- checkpoint's are to the checkpoint); its vehicles, applications and permits carry its site id
-- and the codes of its commune, so "mine" is one indexed predicate. Routes name the sites of the
-- closed loop (first checkpoint, transit yard, border gate). Passages are idempotent by clientId;
-- the gate board reads maintained figures (green_lane_gate_days) and an index of open trips.

CREATE TABLE green_lane_routes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  origin text NOT NULL,
  checkpoint_site_id uuid NOT NULL REFERENCES sites (id),
  yard_site_id uuid NOT NULL REFERENCES sites (id),
  gate_site_id uuid NOT NULL REFERENCES sites (id),
  -- expected minutes of the legs checkpoint → yard and yard → gate
  to_yard_minutes integer NOT NULL CHECK (to_yard_minutes > 0),
  to_gate_minutes integer NOT NULL CHECK (to_gate_minutes > 0),
  province_code text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX green_lane_routes_province ON green_lane_routes (province_code, name, id);

CREATE TABLE green_lane_vehicles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- normalised: upper case, no spaces, dots or dashes
  plate text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('truck', 'container', 'tractor', 'van', 'other')),
  company_site_id uuid NOT NULL REFERENCES sites (id),
  site_id uuid NOT NULL REFERENCES sites (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (site_id = company_site_id)
);
CREATE INDEX green_lane_vehicles_company ON green_lane_vehicles (company_site_id, plate);

CREATE TABLE green_lane_applications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL UNIQUE,
  company_site_id uuid NOT NULL REFERENCES sites (id),
  site_id uuid NOT NULL REFERENCES sites (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  vehicle_id uuid NOT NULL REFERENCES green_lane_vehicles (id),
  route_id uuid NOT NULL REFERENCES green_lane_routes (id),
  cargo text NOT NULL,
  window_from timestamptz NOT NULL,
  window_to timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'granted', 'refused')),
  decision_reason text,
  decided_by uuid,
  decided_at timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (window_to > window_from)
);
CREATE INDEX green_lane_applications_site ON green_lane_applications (site_id, created_at DESC, id DESC);
CREATE INDEX green_lane_applications_province_status
  ON green_lane_applications (province_code, status, created_at, id);

CREATE TABLE green_lane_crew (
  application_id uuid NOT NULL REFERENCES green_lane_applications (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  position smallint NOT NULL,
  role text NOT NULL CHECK (role IN ('driver', 'assistant', 'escort')),
  -- the negative test the grant relied on (null until granted)
  test_result_id uuid REFERENCES test_results (id),
  PRIMARY KEY (application_id, person_id)
);
CREATE INDEX green_lane_crew_person ON green_lane_crew (person_id);

CREATE TABLE green_lane_permits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id uuid NOT NULL UNIQUE REFERENCES green_lane_applications (id),
  vehicle_id uuid NOT NULL REFERENCES green_lane_vehicles (id),
  route_id uuid NOT NULL REFERENCES green_lane_routes (id),
  plate text NOT NULL,
  window_from timestamptz NOT NULL,
  window_to timestamptz NOT NULL,
  order_number text NOT NULL,
  order_ends_at timestamptz,
  -- the sampling instants of the crew's tests, in crew order (what the QR carries)
  crew_sampled_at jsonb NOT NULL,
  test_valid_hours integer NOT NULL,
  lapses_at timestamptz NOT NULL,
  lapse_rule text NOT NULL,
  ruleset_id text NOT NULL,
  -- the signed token (COSE_Sign1, as the certificates are signed) and its signer
  token text NOT NULL,
  signer_kid text NOT NULL,
  site_id uuid NOT NULL REFERENCES sites (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  issued_by uuid,
  issued_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX green_lane_permits_vehicle ON green_lane_permits (vehicle_id, window_to DESC);

-- A vehicle's run through the closed loop: opened at the first checkpoint, cleared at the gate.
CREATE TABLE green_lane_trips (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vehicle_id uuid NOT NULL REFERENCES green_lane_vehicles (id),
  permit_id uuid REFERENCES green_lane_permits (id),
  route_id uuid NOT NULL REFERENCES green_lane_routes (id),
  gate_site_id uuid NOT NULL REFERENCES sites (id),
  started_at timestamptz NOT NULL,
  last_point text NOT NULL,
  last_at timestamptz NOT NULL,
  cleared_at timestamptz,
  out_at timestamptz
);
-- at most one open trip per vehicle
CREATE UNIQUE INDEX green_lane_trips_open_vehicle ON green_lane_trips (vehicle_id) WHERE out_at IS NULL;
-- the gate's queue: vehicles on their way to it, oldest first
CREATE INDEX green_lane_trips_waiting ON green_lane_trips (gate_site_id, started_at, id)
  WHERE cleared_at IS NULL;

CREATE TABLE green_lane_passages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL UNIQUE,
  vehicle_id uuid NOT NULL REFERENCES green_lane_vehicles (id),
  trip_id uuid REFERENCES green_lane_trips (id),
  permit_id uuid REFERENCES green_lane_permits (id),
  point text NOT NULL CHECK (point IN ('first_checkpoint', 'yard', 'gate', 'out')),
  at timestamptz NOT NULL,
  -- how the vehicle was let through: its valid permit, or each person checked
  check_mode text NOT NULL CHECK (check_mode IN ('permit', 'per_person')),
  permit_rule text NOT NULL,
  ruleset_id text NOT NULL,
  reason_vi text NOT NULL,
  reason_en text NOT NULL,
  site_id uuid NOT NULL REFERENCES sites (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  recorded_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX green_lane_passages_site_at ON green_lane_passages (site_id, at DESC, id DESC);
CREATE INDEX green_lane_passages_vehicle ON green_lane_passages (vehicle_id, at);

-- The gate's figures per day (Vietnam date), kept in the transaction that records a passage.
CREATE TABLE green_lane_gate_days (
  gate_site_id uuid NOT NULL REFERENCES sites (id),
  day date NOT NULL,
  arrived integer NOT NULL DEFAULT 0,
  cleared integer NOT NULL DEFAULT 0,
  wait_seconds bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (gate_site_id, day)
);
-- How many vehicles are on their way to each gate now.
CREATE TABLE green_lane_gate_queue (
  gate_site_id uuid PRIMARY KEY REFERENCES sites (id),
  waiting integer NOT NULL DEFAULT 0
);
