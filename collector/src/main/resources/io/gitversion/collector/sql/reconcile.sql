-- Baseline and reconciliation: live hashes against recorded ones. Re-applied on every install: CREATE OR REPLACE
-- only, idempotent.

-- Live objects against recorded ones: what changed without being captured (event triggers disabled, a capture
-- failure, changes before install). change is 'changed', 'new' or 'missing'.
CREATE OR REPLACE FUNCTION gitversion.detect_changes_by_hash()
RETURNS TABLE (kind text, schema_name text, object_name text, identity text, recorded_hash text, live_hash text, change text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  WITH live AS (SELECT r->>'kind' AS kind, (r->>'oid')::oid AS oid, r AS row, gitversion.text_hash(r->>'canonical') AS hash
                  FROM gitversion.live_objects() r),
       recorded AS (SELECT * FROM gitversion.objects WHERE NOT dropped)
  SELECT COALESCE(l.kind, o.kind), COALESCE(l.row->>'schema', o.schema_name), COALESCE(l.row->>'name', o.object_name),
         COALESCE(l.row->>'identity', o.identity), o.hash, l.hash,
         CASE WHEN o.oid IS NULL THEN 'new' WHEN l.oid IS NULL THEN 'missing' ELSE 'changed' END
    FROM live l FULL JOIN recorded o ON o.kind = l.kind AND o.oid = l.oid
   WHERE l.hash IS DISTINCT FROM o.hash
   ORDER BY 1, 2, 4
$fn$;

-- Records every difference detect_changes_by_hash() finds, in this transaction: one commit downstream. With
-- baseline, objects are recorded as their first version ('baseline'), else as drift. Returns how many were recorded.
CREATE OR REPLACE FUNCTION gitversion.reconcile(baseline boolean DEFAULT false) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  live record;
  n integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('gitversion.reconcile'));
  FOR live IN
    SELECT COALESCE(r.row->>'kind', o.kind) AS kind, COALESCE((r.row->>'oid')::oid, o.oid) AS oid, r.row
      FROM (SELECT x || jsonb_build_object('hash', gitversion.text_hash(x->>'canonical')) AS row FROM gitversion.live_objects() x) r
      FULL JOIN (SELECT * FROM gitversion.objects WHERE NOT dropped) o ON o.kind = r.row->>'kind' AND o.oid = (r.row->>'oid')::oid
     WHERE r.row->>'hash' IS DISTINCT FROM o.hash
     ORDER BY CASE COALESCE(r.row->>'kind', o.kind) WHEN 'schema' THEN 0 WHEN 'extension' THEN 1 WHEN 'collation' THEN 2
                   WHEN 'type' THEN 3 WHEN 'function' THEN 4 WHEN 'sequence' THEN 5 WHEN 'table' THEN 6 WHEN 'constraint' THEN 7
                   WHEN 'index' THEN 8 WHEN 'view' THEN 9 ELSE 10 END, 2
  LOOP
    IF gitversion.record_object(live.kind, live.oid, live.row, CASE WHEN baseline THEN 'baseline' ELSE 'drift' END,
                                CASE WHEN baseline THEN 'BASELINE' ELSE 'RECONCILE' END) THEN
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END
$fn$;

-- The first version of every object that exists before capture starts, once: nothing when objects are recorded.
CREATE OR REPLACE FUNCTION gitversion.baseline() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('gitversion.reconcile'));
  IF EXISTS (SELECT 1 FROM gitversion.objects) OR EXISTS (SELECT 1 FROM gitversion.ddl_log WHERE action = 'baseline') THEN
    RETURN 0;
  END IF;
  RETURN gitversion.reconcile(true);
END
$fn$;
