-- The province's picture: maintained aggregates of cases (the dashboards and levels read them,
-- never count(*) over the cases table), epidemic levels per unit and week with the rule that
-- decided them, and the treatment-capacity answer each unit's health authority enters.

-- New cases per commune, Vietnamese calendar day and place of detection (found_by).
CREATE TABLE case_daily (
  commune_code text NOT NULL,
  district_code text NOT NULL,
  province_code text NOT NULL,
  day date NOT NULL,
  found_by text NOT NULL,
  n integer NOT NULL DEFAULT 0,
  PRIMARY KEY (commune_code, day, found_by)
);
CREATE INDEX case_daily_district ON case_daily (district_code, day);
CREATE INDEX case_daily_province ON case_daily (province_code, day);

-- Open cases per commune by status and hospital tier (F0 under treatment).
CREATE TABLE case_status_counts (
  commune_code text NOT NULL,
  district_code text NOT NULL,
  province_code text NOT NULL,
  status text NOT NULL,
  tier smallint NOT NULL DEFAULT 0,
  n integer NOT NULL DEFAULT 0,
  PRIMARY KEY (commune_code, status, tier)
);
CREATE INDEX case_status_counts_province ON case_status_counts (province_code);
CREATE INDEX case_status_counts_district ON case_status_counts (district_code);

-- Kept in the same transaction as the case: +1 for the new row, −1 for the old one.
CREATE FUNCTION case_aggregates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE case_daily SET n = n - 1
     WHERE commune_code = OLD.commune_code
       AND day = ((OLD.positive_sample_at AT TIME ZONE 'UTC') + interval '7 hours')::date
       AND found_by = OLD.found_by;
    UPDATE case_status_counts SET n = n - 1
     WHERE commune_code = OLD.commune_code AND status = OLD.status
       AND tier = coalesce(OLD.hospital_tier, 0);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO case_daily (commune_code, district_code, province_code, day, found_by, n)
    VALUES (NEW.commune_code, NEW.district_code, NEW.province_code,
            ((NEW.positive_sample_at AT TIME ZONE 'UTC') + interval '7 hours')::date, NEW.found_by, 1)
    ON CONFLICT (commune_code, day, found_by) DO UPDATE SET n = case_daily.n + 1;
    INSERT INTO case_status_counts (commune_code, district_code, province_code, status, tier, n)
    VALUES (NEW.commune_code, NEW.district_code, NEW.province_code, NEW.status,
            coalesce(NEW.hospital_tier, 0), 1)
    ON CONFLICT (commune_code, status, tier) DO UPDATE SET n = case_status_counts.n + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER cases_aggregates_insert AFTER INSERT OR DELETE ON cases
  FOR EACH ROW EXECUTE FUNCTION case_aggregates();
CREATE TRIGGER cases_aggregates_update
  AFTER UPDATE OF commune_code, positive_sample_at, found_by, status, hospital_tier ON cases
  FOR EACH ROW EXECUTE FUNCTION case_aggregates();

INSERT INTO case_daily (commune_code, district_code, province_code, day, found_by, n)
SELECT commune_code, min(district_code), min(province_code),
       ((positive_sample_at AT TIME ZONE 'UTC') + interval '7 hours')::date, found_by, count(*)
  FROM cases GROUP BY 1, 4, 5;
INSERT INTO case_status_counts (commune_code, district_code, province_code, status, tier, n)
SELECT commune_code, min(district_code), min(province_code), status, coalesce(hospital_tier, 0), count(*)
  FROM cases GROUP BY 1, 4, 5;

-- Treatment capacity "meets / does not meet" per unit (criterion 3 of 4800/QĐ-BYT), entered
-- by the health authority.
CREATE TABLE unit_capacity_status (
  unit_code text PRIMARY KEY REFERENCES admin_units (code),
  province_code text NOT NULL,
  met boolean NOT NULL,
  note text,
  updated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One level per unit and week (ending on week_end): computed as a draft, then published by
-- the province (with an override and its reason when it differs from the computed level).
CREATE TABLE level_assessments (
  unit_code text NOT NULL REFERENCES admin_units (code),
  unit_level smallint NOT NULL,
  province_code text NOT NULL,
  district_code text,
  week_end date NOT NULL,
  computed_level smallint NOT NULL CHECK (computed_level BETWEEN 1 AND 4),
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  inputs jsonb NOT NULL,
  rate numeric NOT NULL,
  rule_set_id text NOT NULL,
  rule_id text NOT NULL,
  steps jsonb NOT NULL,
  explanation jsonb NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  override_reason text,
  computed_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  published_by uuid,
  PRIMARY KEY (unit_code, week_end),
  CHECK ((level = computed_level) OR override_reason IS NOT NULL)
);
CREATE INDEX level_assessments_province ON level_assessments (province_code, week_end, unit_code);
CREATE INDEX level_assessments_history ON level_assessments (unit_code, week_end DESC);
CREATE INDEX level_assessments_published ON level_assessments (province_code, week_end DESC)
  WHERE status = 'published';
