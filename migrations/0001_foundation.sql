-- Foundation: geography, sites, users and sessions, audit log.
-- Every table holding people's data carries the admin-unit codes it belongs to, so that a
-- jurisdiction filter is one indexed predicate.

CREATE TABLE admin_units (
  code text PRIMARY KEY,
  name text NOT NULL,
  short_name text NOT NULL,
  type text NOT NULL,
  level smallint NOT NULL CHECK (level IN (1, 2, 3)),
  parent_code text REFERENCES admin_units (code),
  province_code text NOT NULL,
  district_code text,
  -- 2019 census (0h 1 April 2019), re-aggregated to the 2021 units; null where unknown.
  population integer,
  population_urban integer,
  population_rural integer,
  -- lower-case, without diacritics, for accent-insensitive search
  search_name text NOT NULL
);
CREATE INDEX admin_units_parent ON admin_units (parent_code, code);
CREATE INDEX admin_units_province ON admin_units (province_code, level);

-- Villages (thôn, bản, tổ dân phố) have no official code: each province enters its own.
CREATE TABLE villages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL REFERENCES admin_units (code),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('thon', 'ban', 'to_dan_pho', 'khu_pho', 'ap', 'khac')),
  population integer CHECK (population IS NULL OR population >= 0),
  households integer CHECK (households IS NULL OR households >= 0),
  search_name text NOT NULL,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX villages_commune_name ON villages (commune_code, search_name);
CREATE INDEX villages_district ON villages (district_code);
CREATE INDEX villages_province ON villages (province_code);

-- Sites: checkpoints, airport, border posts, lodging, labs, facilities, vaccination sites…
-- Each sits in a commune; modules add their own tables keyed by site id.
CREATE TABLE sites (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL,
  name text NOT NULL,
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL REFERENCES admin_units (code),
  address text,
  disabled boolean NOT NULL DEFAULT false,
  client_id uuid UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sites_commune ON sites (commune_code);
CREATE INDEX sites_district ON sites (district_code);
CREATE INDEX sites_province ON sites (province_code, kind);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL,
  full_name text NOT NULL,
  -- username and full name folded (lower case, no diacritics) for search
  search_name text NOT NULL,
  phone text,
  password_hash text NOT NULL,
  role text NOT NULL,
  scope_level text NOT NULL CHECK (scope_level IN ('province', 'district', 'commune', 'village', 'site')),
  province_code text NOT NULL REFERENCES admin_units (code),
  district_code text REFERENCES admin_units (code),
  commune_code text REFERENCES admin_units (code),
  village_id uuid REFERENCES villages (id),
  site_id uuid REFERENCES sites (id),
  disabled boolean NOT NULL DEFAULT false,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  client_id uuid UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username ON users (lower(username));
CREATE INDEX users_province ON users (province_code, created_at, id);
CREATE INDEX users_district ON users (district_code);
CREATE INDEX users_commune ON users (commune_code);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ip text,
  user_agent text
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Who did what to which record, allowed or denied. Stamped with the actor's place so that an
-- admin sees the events of their own jurisdiction.
CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  request_id text,
  actor_id uuid,
  actor_username text,
  actor_role text,
  action text NOT NULL,
  resource_type text NOT NULL,
  resource_id text,
  outcome text NOT NULL CHECK (outcome IN ('allowed', 'denied')),
  reason text,
  province_code text,
  district_code text,
  commune_code text,
  ip text,
  detail jsonb
);
CREATE INDEX audit_events_at ON audit_events (at DESC, id DESC);
CREATE INDEX audit_events_province ON audit_events (province_code, id DESC);
CREATE INDEX audit_events_district ON audit_events (district_code, id DESC);
CREATE INDEX audit_events_actor ON audit_events (actor_id, id DESC);
CREATE INDEX audit_events_resource ON audit_events (resource_type, resource_id);

CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
