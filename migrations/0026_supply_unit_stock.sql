-- Issue 18 (supplies): stock per unit, maintained in the same transaction as each movement, so
-- the province's stock reads ~11 rows per level instead of summing every holder's stock row.
--
-- Whether a holder's stock is under its minimum (its own, or the item's default), kept on the
-- stock row so the alerts of a unit (fewest first) are one ordered scan of a partial index.
ALTER TABLE supply_stock ADD COLUMN below_minimum boolean NOT NULL DEFAULT false;
UPDATE supply_stock s SET below_minimum = s.on_hand < coalesce(s.minimum, i.default_minimum)
  FROM supply_items i WHERE i.code = s.item_code;
CREATE INDEX supply_stock_province_below ON supply_stock (province_code, on_hand, holder_id, item_code)
  WHERE below_minimum;
CREATE INDEX supply_stock_district_below ON supply_stock (district_code, on_hand, holder_id, item_code)
  WHERE below_minimum;
CREATE INDEX supply_stock_commune_below ON supply_stock (commune_code, on_hand, holder_id, item_code)
  WHERE below_minimum;

-- Per unit (province level 1, district 2, commune 3) and item: the sum of its holders' stock,
-- how many holders keep the item and how many are under their minimum. parent_code is the unit
-- above (NULL for the province), so a unit's sub-units are one index scan. No CHECK (>= 0) here:
-- movements add signed changes through INSERT … ON CONFLICT, whose proposed row is checked before
-- the conflict; the holders' rows (supply_stock) carry the check that keeps stock above zero.
CREATE TABLE supply_unit_stock (
  unit_code text NOT NULL,
  item_code text NOT NULL REFERENCES supply_items (code),
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
  parent_code text,
  on_hand bigint NOT NULL DEFAULT 0,
  holders integer NOT NULL DEFAULT 0,
  below integer NOT NULL DEFAULT 0,
  PRIMARY KEY (unit_code, item_code)
);
CREATE INDEX supply_unit_stock_parent ON supply_unit_stock (parent_code, unit_code);

-- Issued per unit, day and item (the per-holder supply_usage_daily summed up each level).
CREATE TABLE supply_unit_usage_daily (
  unit_code text NOT NULL,
  day date NOT NULL,
  item_code text NOT NULL,
  issued bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (unit_code, day, item_code)
);

-- Backfill from the maintained per-holder rows.
INSERT INTO supply_unit_stock (unit_code, item_code, level, parent_code, on_hand, holders, below)
SELECT province_code, item_code, 1, NULL, sum(on_hand), count(*), count(*) FILTER (WHERE below_minimum)
  FROM supply_stock GROUP BY province_code, item_code
UNION ALL
SELECT district_code, item_code, 2, min(province_code), sum(on_hand), count(*), count(*) FILTER (WHERE below_minimum)
  FROM supply_stock WHERE district_code IS NOT NULL GROUP BY district_code, item_code
UNION ALL
SELECT commune_code, item_code, 3, min(district_code), sum(on_hand), count(*), count(*) FILTER (WHERE below_minimum)
  FROM supply_stock WHERE commune_code IS NOT NULL GROUP BY commune_code, item_code;

INSERT INTO supply_unit_usage_daily (unit_code, day, item_code, issued)
SELECT province_code, day, item_code, sum(issued) FROM supply_usage_daily GROUP BY province_code, day, item_code
UNION ALL
SELECT district_code, day, item_code, sum(issued) FROM supply_usage_daily
 WHERE district_code IS NOT NULL GROUP BY district_code, day, item_code
UNION ALL
SELECT commune_code, day, item_code, sum(issued) FROM supply_usage_daily
 WHERE commune_code IS NOT NULL GROUP BY commune_code, day, item_code;
