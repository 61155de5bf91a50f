-- Issue 16, item 4: the results import's row report in the reader's language. Each row's reason
-- is kept in Vietnamese (message) and in English (message_en), naming the field by its official
-- name rather than the file's folded header key. Rows reported before this migration have no
-- English text; the page shows their Vietnamese one.
ALTER TABLE result_import_rows ADD COLUMN message_en text;
