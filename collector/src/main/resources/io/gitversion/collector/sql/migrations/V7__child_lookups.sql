-- Migration 7: the partitions and inheritance children recorded of a table, by the parent their definition names:
-- what ALTER TABLE ... DETACH PARTITION and NO INHERIT let go (the statement reports the parent only; capture.sql).
-- By index, so that its cost stays the same however many tables the source has (issue 20: a DETACH at 10,000
-- tables read every recorded object, 50 ms). Partial: only partitions and inheritance children are in them.
CREATE INDEX IF NOT EXISTS objects_by_partition_of ON gitversion.objects ((definition->'extra'->>'partitionOf'))
  WHERE kind = 'table' AND (definition->'extra'->>'partitionOf') IS NOT NULL;
CREATE INDEX IF NOT EXISTS objects_by_parent ON gitversion.objects USING gin ((definition->'extra'->'inherits') jsonb_path_ops)
  WHERE kind = 'table' AND jsonb_typeof(definition->'extra'->'inherits') = 'array';
