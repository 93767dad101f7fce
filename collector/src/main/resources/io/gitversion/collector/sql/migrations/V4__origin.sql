-- Migration 4: the source a change came from, when the syncer applied it here (this source is a remote of another):
-- logged, so that this source's history holds it, and marked, so that no syncer takes it back where it came from.
ALTER TABLE gitversion.ddl_log ADD COLUMN IF NOT EXISTS origin text;
