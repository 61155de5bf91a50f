-- Result imports that survive a crash (issue 14.3). A job carries a heartbeat that its worker
-- renews while it runs; a job still 'running' whose heartbeat is stale was left by a process
-- that died: the sweeper (at start-up and periodically) queues it again — it resumes after its
-- last committed chunk, so no row is imported twice — or, after too many attempts, fails it
-- with a message saying how far it got.
ALTER TABLE result_imports ADD COLUMN heartbeat_at timestamptz;
ALTER TABLE result_imports ADD COLUMN attempts integer NOT NULL DEFAULT 0;
