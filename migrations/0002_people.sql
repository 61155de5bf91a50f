-- People and households: one person record whatever role the person takes over time.
--
-- Jurisdiction. A person carries the codes of their residence address (for people who live
-- outside the province, their home codes), so district, commune and village users see the
-- people who live there. Two more columns decide who else sees the record:
--   registered_province_code  the province whose staff registered the person. Province-level
--                             users are held to this column, so the province sees the
--                             travellers from elsewhere it registered at its checkpoints.
--   registered_site_id        the checkpoint, lodging… whose staff registered the person. A
--                             site-level user sees the people their site registered, and no one
--                             else: a guest's home address is rarely in the hotel's commune.
--
-- Search (built for 1,000,000 people and more). A document number or a phone is an exact
-- btree lookup. A name is searched in person_name_keys: one row per word of the folded name,
-- holding the name from that word on ("nguyen van an", "van an", "an"), in the "C" collation,
-- so a query ("van an", "nguyen van a") is one btree range read in (key, search_name, id) order
-- and stopped after a page; the jurisdiction columns and the birth year ride in the index
-- (INCLUDE) so that the scope and year filters need no heap visit. Lists without a query read
-- one btree per scope level, each leading with that level's column, in (search_name, id) order.
-- Merged-away records are left out of every search index.

CREATE TABLE persons (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  full_name text NOT NULL,
  -- the folded name: "nguyen van an"
  search_name text COLLATE "C" NOT NULL,
  birth_date date,
  -- always set: from the date when there is one, else as declared
  birth_year integer NOT NULL CHECK (birth_year BETWEEN 1900 AND 2100),
  sex text NOT NULL CHECK (sex IN ('male', 'female', 'other')),
  id_type text CHECK (id_type IN ('cccd', 'cmnd', 'passport', 'other')),
  -- upper case, without spaces, dots or dashes
  id_number text,
  -- Vietnamese numbers 0xxxxxxxxx(x); foreign numbers +<country><number>
  phone text,
  -- ISO 3166-1 alpha-2
  nationality text NOT NULL DEFAULT 'VN' CHECK (nationality ~ '^[A-Z]{2}$'),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL REFERENCES admin_units (code),
  village_id uuid REFERENCES villages (id),
  street text,
  workplace text,
  registered_province_code text NOT NULL,
  registered_site_id uuid REFERENCES sites (id),
  -- a merged-away record points to the record that survived; it keeps its id for history
  merged_into uuid REFERENCES persons (id),
  merged_at timestamptz,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((id_type IS NULL) = (id_number IS NULL)),
  CHECK (birth_date IS NULL OR EXTRACT(YEAR FROM birth_date) = birth_year),
  CHECK (merged_into IS NULL OR merged_into <> id)
);
CREATE INDEX persons_id_number ON persons (id_number);
CREATE INDEX persons_phone ON persons (phone);
CREATE INDEX persons_name_province ON persons (registered_province_code, search_name, id)
  WHERE merged_into IS NULL;
CREATE INDEX persons_name_district ON persons (district_code, search_name, id)
  WHERE merged_into IS NULL;
CREATE INDEX persons_name_commune ON persons (commune_code, search_name, id)
  WHERE merged_into IS NULL;
CREATE INDEX persons_name_village ON persons (village_id, search_name, id)
  WHERE merged_into IS NULL AND village_id IS NOT NULL;
CREATE INDEX persons_name_site ON persons (registered_site_id, search_name, id)
  WHERE merged_into IS NULL AND registered_site_id IS NOT NULL;
CREATE INDEX persons_merged_into ON persons (merged_into) WHERE merged_into IS NOT NULL;

-- Maintained by the people store with every write to a person's name, birth year or codes;
-- holds no rows for merged-away records.
CREATE TABLE person_name_keys (
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  key text COLLATE "C" NOT NULL,
  search_name text COLLATE "C" NOT NULL,
  birth_year integer NOT NULL,
  registered_province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  village_id uuid,
  registered_site_id uuid
);
CREATE INDEX person_name_keys_person ON person_name_keys (person_id);
CREATE INDEX person_name_keys_search ON person_name_keys (key, search_name, person_id)
  INCLUDE (registered_province_code, district_code, commune_code, village_id, registered_site_id,
    birth_year);

-- One row per merge: who merged which record into which, the choices, and both records as they
-- were, so that the merge can be reviewed (and undone by hand) later.
CREATE TABLE person_merges (
  id bigserial PRIMARY KEY,
  survivor_id uuid NOT NULL REFERENCES persons (id),
  merged_id uuid NOT NULL REFERENCES persons (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  reasons text[] NOT NULL,
  kept jsonb NOT NULL,
  survivor_before jsonb NOT NULL,
  merged_snapshot jsonb NOT NULL,
  merged_by uuid NOT NULL,
  merged_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_merges_survivor ON person_merges (survivor_id, id);
CREATE INDEX person_merges_merged ON person_merges (merged_id);

-- A household (hộ gia đình) lives in a village of a commune.
CREATE TABLE households (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL REFERENCES admin_units (code),
  village_id uuid NOT NULL REFERENCES villages (id),
  address text,
  head_person_id uuid REFERENCES persons (id),
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX households_village ON households (village_id, id);
CREATE INDEX households_commune ON households (commune_code, id);
CREATE INDEX households_district ON households (district_code, id);
CREATE INDEX households_province ON households (province_code, id);
CREATE INDEX households_head ON households (head_person_id);

CREATE TABLE household_members (
  household_id uuid NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id),
  relation text NOT NULL CHECK (relation IN ('head', 'spouse', 'child', 'parent', 'other')),
  added_by uuid,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (household_id, person_id)
);
CREATE UNIQUE INDEX household_members_one_head ON household_members (household_id)
  WHERE relation = 'head';
CREATE INDEX household_members_person ON household_members (person_id);
