-- Issue 12: vaccination coverage as a maintained aggregate, per residence commune and birth year,
-- so that levels for a whole country and the coverage of a province read a few thousand rows
-- instead of counting one row per vaccinated person. Kept in the same transaction as
-- vaccination_status (−1 for the old row, +1 for the new one), like case_daily.
CREATE TABLE vaccination_commune_year (
  res_province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  birth_year integer NOT NULL,
  one integer NOT NULL DEFAULT 0,
  full_primary integer NOT NULL DEFAULT 0,
  booster integer NOT NULL DEFAULT 0,
  PRIMARY KEY (res_province_code, commune_code, birth_year)
);

CREATE FUNCTION vaccination_commune_year_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE vaccination_commune_year
       SET one = one - 1,
           full_primary = full_primary - (OLD.primary_complete_on IS NOT NULL)::int,
           booster = booster - (OLD.booster_doses > 0)::int
     WHERE res_province_code = OLD.res_province_code AND commune_code = OLD.commune_code
       AND birth_year = OLD.birth_year;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO vaccination_commune_year
           (res_province_code, district_code, commune_code, birth_year, one, full_primary, booster)
    VALUES (NEW.res_province_code, NEW.district_code, NEW.commune_code, NEW.birth_year, 1,
            (NEW.primary_complete_on IS NOT NULL)::int, (NEW.booster_doses > 0)::int)
    ON CONFLICT (res_province_code, commune_code, birth_year) DO UPDATE SET
      one = vaccination_commune_year.one + 1,
      full_primary = vaccination_commune_year.full_primary + EXCLUDED.full_primary,
      booster = vaccination_commune_year.booster + EXCLUDED.booster;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER vaccination_commune_year_insert AFTER INSERT OR DELETE ON vaccination_status
  FOR EACH ROW EXECUTE FUNCTION vaccination_commune_year_keep();
CREATE TRIGGER vaccination_commune_year_update
  AFTER UPDATE OF res_province_code, commune_code, birth_year, primary_complete_on, booster_doses
  ON vaccination_status FOR EACH ROW EXECUTE FUNCTION vaccination_commune_year_keep();

INSERT INTO vaccination_commune_year
       (res_province_code, district_code, commune_code, birth_year, one, full_primary, booster)
SELECT res_province_code, min(district_code), commune_code, birth_year, count(*),
       count(primary_complete_on), count(*) FILTER (WHERE booster_doses > 0)
  FROM vaccination_status GROUP BY res_province_code, commune_code, birth_year;

-- The country-wide levels read a week of case_daily for every province at once.
CREATE INDEX case_daily_day ON case_daily (day) WHERE found_by = 'community';

-- A level computed in bulk stores its inputs, rule set version and deciding rule; its steps and
-- words are derived from them on reading (they were 2 KB a unit, most of a country-wide run).
ALTER TABLE level_assessments ALTER COLUMN steps DROP NOT NULL, ALTER COLUMN explanation DROP NOT NULL;
