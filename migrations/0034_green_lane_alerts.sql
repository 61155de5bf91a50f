-- Issue 17 item 3: a vehicle that leaves the closed loop raises an alert to the district it is
-- in, and the alert stays until someone closes it with a reason. Raised by a passage (a leg
-- arrived late, a site off the route) in the passage's transaction, or by the sweep for a leg
-- whose next point has not been reached in time. One alert per trip, rule and subject (the leg
-- "from>to", or the off-route passage's id).
CREATE TABLE green_lane_alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trip_id uuid REFERENCES green_lane_trips (id),
  vehicle_id uuid NOT NULL REFERENCES green_lane_vehicles (id),
  plate text NOT NULL,
  rule_id text NOT NULL CHECK (rule_id IN ('leg_overdue', 'off_route')),
  subject text NOT NULL,
  reason_vi text NOT NULL,
  reason_en text NOT NULL,
  -- where the vehicle was last seen: the alert goes to that site's district
  site_id uuid NOT NULL REFERENCES sites (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  raised_by text NOT NULL CHECK (raised_by IN ('passage', 'sweep')),
  raised_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  closed_by uuid,
  close_reason text,
  UNIQUE (trip_id, rule_id, subject)
);
CREATE INDEX green_lane_alerts_district ON green_lane_alerts (district_code, raised_at DESC, id DESC)
  WHERE closed_at IS NULL;
CREATE INDEX green_lane_alerts_province ON green_lane_alerts (province_code, raised_at DESC, id DESC)
  WHERE closed_at IS NULL;
-- the sweep: trips still on their way, by when they were last seen
CREATE INDEX green_lane_trips_on_the_way ON green_lane_trips (last_at)
  WHERE cleared_at IS NULL AND out_at IS NULL;
