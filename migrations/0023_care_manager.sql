-- Issue 11 (quarantine and treatment), the facility manager's pages: a facility's rooms are
-- listed by name, keyset on (name, id), through this index.
CREATE INDEX care_rooms_facility_name ON care_rooms (facility_id, name, id);

-- F1 ordered into centralised quarantine and not yet admitted: the list a facility manager of
-- the district admits from, oldest order first, keyset on (created_at, id).
CREATE INDEX quarantine_orders_centralised_open ON quarantine_orders (district_code, created_at, id)
  WHERE kind = 'centralised' AND status = 'open';

-- A facility manager's F0 under care (those in their facility), the most overdue reading first.
CREATE INDEX care_treatments_facility ON care_treatments (facility_id, status, next_reading_due, id)
  WHERE facility_id IS NOT NULL;
