-- A unit's level history (newest first) is served by the primary key (unit_code, week_end) read
-- backwards; the second index on the same columns only cost a write per level, 11,367 of them
-- each time the whole country is computed.
DROP INDEX level_assessments_history;
