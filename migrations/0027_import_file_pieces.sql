-- Issue 14.2: an uploaded results file is kept in pieces of 1 MiB written one statement at a
-- time, not as one bytea parameter: on the embedded database a 9 MiB parameter held the event
-- loop (and so every other request) for half a minute, a piece for a fraction of a second.
-- Written before the job row, keyed like it (uploader and file hash): a retry of the same file
-- writes the same pieces again (ON CONFLICT DO NOTHING); pieces whose job never came, or whose
-- job has ended, are removed by the import sweeper.
CREATE TABLE result_import_pieces (
  uploader_key text NOT NULL,
  file_sha256 text NOT NULL,
  seq integer NOT NULL CHECK (seq >= 0),
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (uploader_key, file_sha256, seq)
);
CREATE INDEX result_import_pieces_created ON result_import_pieces (created_at);
