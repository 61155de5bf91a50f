-- Trust, public half (issue 10: items 1, 2, 6, 8): secrets only the person holds, declarations
-- matched by an officer, login throttling per (username, client), password and session rules.

-- 1. The citizen's result lookup: a random code of 80 bits (20 hex digits) drawn for each
-- specimen and handed to the person at sampling. It is the only thing that reads a result from
-- the public page (the specimen code on the tube and the lab's code follow patterns). Staff who
-- may read the specimen may read its lookup code, to print the slip again.
ALTER TABLE specimens ADD COLUMN lookup_code text NOT NULL
  DEFAULT upper(substr(md5(gen_random_uuid()::text || gen_random_uuid()::text), 1, 20));
CREATE UNIQUE INDEX specimens_lookup_code ON specimens (lookup_code);

-- 2. A declaration made without login stands for a record of its own ('pending') until an
-- officer at the checkpoint, who sees the declared and the registry data side by side, confirms
-- it is a registered person ('confirmed') or a new one ('new'). Older declarations were linked
-- by the ID number they carried ('linked'); a declaration entered by an officer is 'linked' too.
ALTER TABLE declarations ADD COLUMN registry_match text NOT NULL DEFAULT 'linked'
  CHECK (registry_match IN ('linked', 'pending', 'confirmed', 'new'));
ALTER TABLE declarations ADD COLUMN matched_by uuid REFERENCES users (id);
ALTER TABLE declarations ADD COLUMN matched_at timestamptz;

-- 1 and 6. Failed attempts by (kind, subject, client): a login by (hash of the username, client
-- address), a result lookup by client and by code hash. Growing delays, reset on success; no
-- account is locked for everyone. Subjects are hashes: no typed username or code is stored.
CREATE TABLE throttles (
  kind text NOT NULL,
  subject text NOT NULL,
  client text NOT NULL,
  failures integer NOT NULL DEFAULT 0,
  blocked_until timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, subject, client)
);
CREATE INDEX throttles_updated ON throttles (updated_at);

-- 8. A password set by an administrator must be changed by its user at the next login.
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
