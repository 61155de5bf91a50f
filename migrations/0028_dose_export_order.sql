-- The FHIR export of vaccinations pages by (given_on, id) within the user's unit: the unit
-- indexes gain the id, so the page is read in order from the index with no sort of a day's doses.
CREATE INDEX vaccination_doses_commune_day ON vaccination_doses (commune_code, given_on, id);
CREATE INDEX vaccination_doses_district_day ON vaccination_doses (district_code, given_on, id);
CREATE INDEX vaccination_doses_province_day ON vaccination_doses (province_code, given_on, id);
DROP INDEX vaccination_doses_commune;
DROP INDEX vaccination_doses_district;
DROP INDEX vaccination_doses_province;
