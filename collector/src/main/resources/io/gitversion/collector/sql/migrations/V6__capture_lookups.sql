-- Migration 6: what capture looks up in the recorded state for every ALTER TABLE (the indexes and keys recorded on the
-- table, capture.sql), by index: its cost stays the same however many objects the source has (issue 20). Indexes only.
CREATE INDEX IF NOT EXISTS objects_on_table ON gitversion.objects (schema_name, (definition->>'tbl'))
  WHERE NOT dropped AND kind IN ('index', 'constraint');
