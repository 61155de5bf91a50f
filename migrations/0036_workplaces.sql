-- Workplaces and schools (issue 18 item 4). A workplace is a site (kind 'enterprise' or
-- 'school', where the test_reporter role works) with what the risk view needs kept beside it:
-- its kind and workforce, its latest self-assessment (rule set kind 'workplace_safety'), when
-- its next assessment and screening are due, and the outbreak flag its screening raised with the
-- rule that decided it. Screening results are the testing module's own results: test_results
-- rows whose site_id is the workplace's site (what its reporters upload through results/import).
-- These columns are maintained in the transaction that writes the assessment or the results, so
-- the province's risk list and overdue list read one indexed table.
CREATE TABLE workplaces (
  site_id uuid PRIMARY KEY REFERENCES sites (id),
  kind text NOT NULL CHECK (kind IN ('factory', 'industrial_zone', 'mine', 'dormitory', 'school', 'other')),
  workforce integer NOT NULL CHECK (workforce BETWEEN 1 AND 500000),
  latitude double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision CHECK (longitude BETWEEN -180 AND 180),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  registered_on date NOT NULL,
  -- the latest self-assessment
  assessment_id uuid,
  assessed_on date,
  risk_level text CHECK (risk_level IN ('low', 'medium', 'high', 'very_high')),
  score numeric(4, 1),
  -- the latest screening upload (its newest sample date) and the positives it counted
  screened_on date,
  screened_total integer NOT NULL DEFAULT 0,
  positives_total integer NOT NULL DEFAULT 0,
  assessment_due_on date NOT NULL,
  screening_due_on date NOT NULL,
  due_on date GENERATED ALWAYS AS (LEAST(assessment_due_on, screening_due_on)) STORED,
  -- outbreak first (5), then very high (4) … low (1), not assessed (0)
  risk_rank smallint NOT NULL DEFAULT 0,
  outbreak boolean NOT NULL DEFAULT false,
  outbreak_since date,
  outbreak_positives integer,
  outbreak_ruleset_id text,
  outbreak_rule_id text,
  outbreak_explanation jsonb,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- the risk list (worst first: scanned backwards) and the overdue list (most overdue first), per unit
CREATE INDEX workplaces_risk_province ON workplaces (province_code, risk_rank, site_id);
CREATE INDEX workplaces_risk_district ON workplaces (district_code, risk_rank, site_id);
CREATE INDEX workplaces_risk_commune ON workplaces (commune_code, risk_rank, site_id);
CREATE INDEX workplaces_due_province ON workplaces (province_code, due_on, site_id);
CREATE INDEX workplaces_due_district ON workplaces (district_code, due_on, site_id);
CREATE INDEX workplaces_due_commune ON workplaces (commune_code, due_on, site_id);

-- A self-assessment: the answers, the score and level reached, the rule set and rule that
-- decided, and the words (vi, en). One per client id (a phone that re-sends it).
CREATE TABLE workplace_assessments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES workplaces (site_id),
  assessed_on date NOT NULL,
  answers jsonb NOT NULL,
  score numeric(4, 1) NOT NULL,
  met integer NOT NULL,
  applicable integer NOT NULL,
  risk_level text NOT NULL CHECK (risk_level IN ('low', 'medium', 'high', 'very_high')),
  failed text[] NOT NULL,
  ruleset_id text NOT NULL,
  rule_id text NOT NULL,
  explanation jsonb NOT NULL,
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  client_id uuid NOT NULL UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workplace_assessments_site ON workplace_assessments (site_id, assessed_on DESC, id);
