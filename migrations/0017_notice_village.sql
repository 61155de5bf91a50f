-- Issue 10 item 10: notices name people (a new F0, an F1 to reach), so a village team reads only
-- the notices about its own village. A notice is stamped with the village of the person it names
-- (when that person lives in the commune told); a village user's list is one indexed predicate.
-- Notices written before this carry no village and are not shown to village teams (the safe side).
ALTER TABLE notices ADD COLUMN village_id uuid;
CREATE INDEX notices_village ON notices (village_id, created_at DESC, id DESC)
  WHERE village_id IS NOT NULL;
