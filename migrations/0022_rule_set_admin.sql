-- Issue 18, item 5: rule sets an administrator versions without a code change.
-- A new version posted again (retry, double click) is the same version: client_id is unique.
-- Who closed an open-ended version (its validTo set the day before the next one starts) and when.
ALTER TABLE rule_sets ADD COLUMN client_id uuid UNIQUE;
ALTER TABLE rule_sets ADD COLUMN closed_by uuid;
ALTER TABLE rule_sets ADD COLUMN closed_at timestamptz;
