-- Issue 18 items 1 and 3: supplies (catalogue, holders, a ledger of movements with a maintained
-- stock row per holder and item, daily use) and enforcement (violations and their counts).

-- The items a holder may count: seeded from the catalogue rule set (kind 'supply_catalogue'),
-- and added by the province (catalogue_id NULL: added through the API).
CREATE TABLE supply_items (
  code text PRIMARY KEY,
  name_vi text NOT NULL,
  name_en text NOT NULL,
  unit_vi text NOT NULL,
  unit_en text NOT NULL,
  category text NOT NULL,
  daily_capacity integer CHECK (daily_capacity IS NULL OR daily_capacity > 0),
  default_minimum integer NOT NULL DEFAULT 0 CHECK (default_minimum >= 0),
  catalogue_id text,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A holder of stock: a unit's warehouse (province, district or commune) or a facility (a site).
CREATE TABLE supply_holders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid UNIQUE,
  kind text NOT NULL CHECK (kind IN ('unit', 'facility')),
  name text NOT NULL,
  unit_code text NOT NULL REFERENCES admin_units (code),
  site_id uuid REFERENCES sites (id),
  province_code text NOT NULL,
  district_code text,
  commune_code text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supply_holders_province ON supply_holders (province_code, name, id);
CREATE INDEX supply_holders_district ON supply_holders (district_code, name, id);
CREATE INDEX supply_holders_commune ON supply_holders (commune_code, name, id);
CREATE INDEX supply_holders_site ON supply_holders (site_id);

-- Stock on hand, maintained in the same transaction as each movement: a movement out is a
-- conditional UPDATE … WHERE on_hand >= qty, so two concurrent issues of the last units cannot
-- both pass and the CHECK is the last guard. Roll-ups per unit read these rows, not the ledger.
CREATE TABLE supply_stock (
  holder_id uuid NOT NULL REFERENCES supply_holders (id),
  item_code text NOT NULL REFERENCES supply_items (code),
  on_hand bigint NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  -- the holder's own minimum; NULL: the item's default
  minimum integer CHECK (minimum IS NULL OR minimum >= 0),
  province_code text NOT NULL,
  district_code text,
  commune_code text,
  site_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (holder_id, item_code)
);
CREATE INDEX supply_stock_province ON supply_stock (province_code, item_code);
CREATE INDEX supply_stock_district ON supply_stock (district_code, item_code);
CREATE INDEX supply_stock_commune ON supply_stock (commune_code, item_code);

-- The ledger. A transfer is one row (holder → to_holder). Idempotent by client_id.
CREATE TABLE supply_movements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('receipt', 'issue', 'transfer', 'count')),
  item_code text NOT NULL REFERENCES supply_items (code),
  holder_id uuid NOT NULL REFERENCES supply_holders (id),
  to_holder_id uuid REFERENCES supply_holders (id),
  quantity bigint NOT NULL CHECK (quantity >= 0),
  -- the change to holder_id's stock and what it left
  delta bigint NOT NULL,
  on_hand_after bigint NOT NULL,
  occurred_on date NOT NULL,
  note text,
  province_code text NOT NULL,
  district_code text,
  commune_code text,
  recorded_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'transfer') = (to_holder_id IS NOT NULL))
);
CREATE INDEX supply_movements_holder ON supply_movements (holder_id, created_at DESC, id DESC);
CREATE INDEX supply_movements_to_holder ON supply_movements (to_holder_id, created_at DESC, id DESC)
  WHERE to_holder_id IS NOT NULL;

-- Quantities issued (used) per holder, item and day, for days of stock at the current use.
CREATE TABLE supply_usage_daily (
  holder_id uuid NOT NULL REFERENCES supply_holders (id),
  item_code text NOT NULL,
  day date NOT NULL,
  issued bigint NOT NULL DEFAULT 0,
  province_code text NOT NULL,
  district_code text,
  commune_code text,
  site_id uuid,
  PRIMARY KEY (holder_id, item_code, day)
);
CREATE INDEX supply_usage_province ON supply_usage_daily (province_code, day);
CREATE INDEX supply_usage_district ON supply_usage_daily (district_code, day);
CREATE INDEX supply_usage_commune ON supply_usage_daily (commune_code, day);

-- Violations: a person, the type (from the rule set in force on the day), the record that shows
-- it, the decision and fine. Filed at the commune where it happened.
CREATE TABLE violations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL UNIQUE,
  person_id uuid NOT NULL REFERENCES persons (id),
  type_code text NOT NULL,
  ruleset_id text NOT NULL,
  article text NOT NULL,
  occurred_on date NOT NULL,
  place text,
  evidence_kind text CHECK (evidence_kind IN ('entry', 'quarantine_order', 'declaration')),
  evidence_id uuid,
  decision text NOT NULL CHECK (decision IN ('pending', 'warning', 'fine', 'criminal_referral')),
  fine_amount bigint CHECK (fine_amount IS NULL OR fine_amount > 0),
  paid boolean NOT NULL DEFAULT false,
  paid_on date,
  -- {vi, en}
  explanation jsonb NOT NULL,
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL REFERENCES admin_units (code),
  recorded_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((evidence_kind IS NULL) = (evidence_id IS NULL))
);
CREATE INDEX violations_province ON violations (province_code, occurred_on DESC, id DESC);
CREATE INDEX violations_district ON violations (district_code, occurred_on DESC, id DESC);
CREATE INDEX violations_commune ON violations (commune_code, occurred_on DESC, id DESC);
CREATE INDEX violations_person ON violations (person_id);

-- Counts by commune and type, maintained with each violation (the report reads these).
CREATE TABLE violation_counts (
  commune_code text NOT NULL,
  type_code text NOT NULL,
  province_code text NOT NULL,
  district_code text NOT NULL,
  n integer NOT NULL DEFAULT 0,
  fined integer NOT NULL DEFAULT 0,
  fine_total bigint NOT NULL DEFAULT 0,
  paid_n integer NOT NULL DEFAULT 0,
  paid_total bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (commune_code, type_code)
);
CREATE INDEX violation_counts_district ON violation_counts (district_code);
CREATE INDEX violation_counts_province ON violation_counts (province_code);
