-- Where a person is now (issue 13, item 1). A person has a home unit (persons.province_code,
-- district_code, commune_code: the address) and, when they are somewhere else in the province,
-- a current unit: the commune managing them (an arrival's destination commune). Cases, test
-- orders, specimens, results, contacts and quarantine orders are filed under the managing
-- unit (current unit, else home), so the province, district and commune where the person is
-- see and manage them; a case keeps the home unit beside it, and the home province gets a
-- notice. Until now an arrival's F0 was filed under their home commune in another province.

ALTER TABLE persons
  ADD COLUMN current_province_code text,
  ADD COLUMN current_district_code text,
  ADD COLUMN current_commune_code text REFERENCES admin_units (code),
  ADD CONSTRAINT persons_current_unit CHECK (
    (current_commune_code IS NULL) = (current_province_code IS NULL)
    AND (current_commune_code IS NULL) = (current_district_code IS NULL));
CREATE INDEX persons_current_commune ON persons (current_commune_code)
  WHERE current_commune_code IS NOT NULL;

-- Existing arrivals: the destination commune of their latest arrival with a follow-up in the
-- province, when it is not their home commune.
UPDATE persons p SET current_province_code = f.province_code, current_district_code = f.district_code,
       current_commune_code = f.commune_code
  FROM (SELECT DISTINCT ON (person_id) person_id, province_code, district_code, commune_code
          FROM follow_ups WHERE NOT out_of_province
         ORDER BY person_id, start_date DESC, created_at DESC) f
 WHERE f.person_id = p.id AND f.commune_code <> p.commune_code;

-- The home unit of the person a case is about, as it was when the case was opened.
ALTER TABLE cases
  ADD COLUMN home_province_code text,
  ADD COLUMN home_district_code text,
  ADD COLUMN home_commune_code text;
UPDATE cases c SET home_province_code = p.province_code, home_district_code = p.district_code,
       home_commune_code = p.commune_code
  FROM persons p WHERE p.id = c.person_id;
ALTER TABLE cases
  ALTER COLUMN home_province_code SET NOT NULL,
  ALTER COLUMN home_district_code SET NOT NULL,
  ALTER COLUMN home_commune_code SET NOT NULL;

-- Cases filed under the home commune in another province while the person is here: refiled to
-- the commune managing them (responsible and current), with a case event saying so.
WITH moved AS (
  UPDATE cases c SET province_code = p.current_province_code, district_code = p.current_district_code,
         commune_code = p.current_commune_code, village_id = NULL,
         current_province_code = CASE WHEN c.current_commune_code = c.commune_code
                                      THEN p.current_province_code ELSE c.current_province_code END,
         current_district_code = CASE WHEN c.current_commune_code = c.commune_code
                                      THEN p.current_district_code ELSE c.current_district_code END,
         current_commune_code = CASE WHEN c.current_commune_code = c.commune_code
                                     THEN p.current_commune_code ELSE c.current_commune_code END,
         updated_at = now()
    FROM persons p
   WHERE p.id = c.person_id AND p.current_commune_code IS NOT NULL
     AND c.commune_code = p.commune_code AND c.province_code <> p.current_province_code
  RETURNING c.id, c.commune_code
)
INSERT INTO case_events (case_id, kind, at, data)
SELECT id, 'transfer', now(), jsonb_build_object('toCommuneCode', commune_code, 'reason', 'managing_unit',
       'note', 'Hồ sơ chuyển về xã đang quản lý người bệnh (nơi người đó đang ở) — issue 13')
  FROM moved;

-- Testing records filed with the registering province but the home commune of another
-- province (an arrival): refiled to the commune managing the person.
UPDATE test_orders o SET province_code = p.current_province_code, district_code = p.current_district_code,
       commune_code = p.current_commune_code
  FROM persons p
 WHERE p.id = o.person_id AND p.current_commune_code IS NOT NULL
   AND o.commune_code = p.commune_code AND o.province_code <> p.province_code;
UPDATE specimens s SET province_code = p.current_province_code, district_code = p.current_district_code,
       commune_code = p.current_commune_code
  FROM persons p
 WHERE p.id = s.person_id AND p.current_commune_code IS NOT NULL
   AND s.commune_code = p.commune_code AND s.province_code <> p.province_code;
UPDATE test_results r SET province_code = p.current_province_code, district_code = p.current_district_code,
       commune_code = p.current_commune_code
  FROM persons p
 WHERE p.id = r.person_id AND p.current_commune_code IS NOT NULL
   AND r.commune_code = p.commune_code AND r.province_code <> p.province_code;

-- Contacts and quarantine orders of people managed elsewhere than their home.
UPDATE contacts k SET person_province_code = p.current_province_code,
       person_district_code = p.current_district_code, person_commune_code = p.current_commune_code,
       person_village_id = NULL
  FROM persons p
 WHERE p.id = k.person_id AND p.current_commune_code IS NOT NULL
   AND k.person_commune_code = p.commune_code AND k.person_province_code <> p.current_province_code;
UPDATE quarantine_orders o SET province_code = p.current_province_code,
       district_code = p.current_district_code, commune_code = p.current_commune_code, village_id = NULL
  FROM persons p
 WHERE p.id = o.person_id AND p.current_commune_code IS NOT NULL
   AND o.commune_code = p.commune_code AND o.province_code <> p.current_province_code;

-- Pooled samples (issue 13, item 5; RULES.md "Pooled RT-PCR samples"): a specimen records
-- whether the person had symptoms (they are tested singly); a pool keeps its declared size
-- (5 or 10) beside the number in it, and the pooling rule set and rule that admitted it.
ALTER TABLE specimens ADD COLUMN symptoms boolean NOT NULL DEFAULT false;
ALTER TABLE pools
  ADD COLUMN declared_size integer CHECK (declared_size BETWEEN 2 AND 20),
  ADD COLUMN decision jsonb;
UPDATE pools SET declared_size = CASE WHEN size <= 5 THEN 5 ELSE 10 END;
