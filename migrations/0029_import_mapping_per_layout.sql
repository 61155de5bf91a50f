-- Issue 16.4: a lab with two file layouts keeps one saved column mapping per layout, so the
-- second layout's mapping no longer overwrites the first. A layout is the file's header keys,
-- sorted and without repeats (src/domain/testing.ts layoutOf); '' is a mapping saved before
-- layouts were told apart (still the fallback for a layout never mapped).
ALTER TABLE result_import_mappings ADD COLUMN layout text NOT NULL DEFAULT '';
ALTER TABLE result_import_mappings DROP CONSTRAINT result_import_mappings_pkey;
ALTER TABLE result_import_mappings ADD PRIMARY KEY (uploader_key, layout);
