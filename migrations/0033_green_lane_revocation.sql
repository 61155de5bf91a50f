-- Issue 17: the transport authority can revoke a granted green-lane permit (a crew member is
-- found positive, the company breaks the loop, the permit was granted in error). The QR stays
-- signed; the revocation is a fact beside it that the verifier, the passages and the
-- checkpoints' offline list (GET /api/v1/public/green-lane/revocations) read.
ALTER TABLE green_lane_permits
  ADD COLUMN revoked_at timestamptz,
  ADD COLUMN revoked_reason text,
  ADD COLUMN revoked_by uuid;
-- The revocation list: revoked permits that have not lapsed by themselves yet.
CREATE INDEX green_lane_permits_revoked ON green_lane_permits (lapses_at)
  WHERE revoked_at IS NOT NULL;
