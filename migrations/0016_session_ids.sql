-- Issue 10, item 8: a user lists and ends their own sessions, named by an id that is not the
-- token's hash; idle sessions are found by last_seen_at.
ALTER TABLE sessions ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX sessions_id ON sessions (id);
