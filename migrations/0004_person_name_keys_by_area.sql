-- Name search for commune and district users. person_name_keys_search leads with the key, so
-- for a commune the scope was a filter inside the key's range: one common word ("nguyen",
-- "thi") in a small commune read tens of thousands of index entries (20-70 ms at 1M persons,
-- bench/RESULTS.md, P4). Leading with the area code makes it one short range (1.6-2.2 ms
-- measured). Village and site scopes are small enough without.
CREATE INDEX person_name_keys_commune ON person_name_keys (commune_code, key, search_name, person_id)
  INCLUDE (birth_year, village_id, registered_site_id);
CREATE INDEX person_name_keys_district ON person_name_keys (district_code, key, search_name, person_id)
  INCLUDE (birth_year, commune_code, village_id, registered_site_id);
