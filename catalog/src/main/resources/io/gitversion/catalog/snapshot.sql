-- Catalog snapshots: the one SQL that reads an object's definition out of PostgreSQL's catalogs.
-- The capture trigger installs it into schema gitversion and calls it inside the user's transaction; the inspector
-- creates the same functions in pg_temp of its own session. Both hand the JSON to the Java canonicalizer, so the
-- hash captured at the source equals the hash inspected anywhere. @SCHEMA@ is replaced by the target schema.
-- search_path is pinned so that names are qualified the same way in every session.

CREATE OR REPLACE FUNCTION @SCHEMA@.is_tracked_schema(nsp name) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $fn$
  -- event triggers name a session's temporary schema 'pg_temp', the catalogs 'pg_temp_N'
  SELECT nsp NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'pg_temp', 'gitversion', 'gitversion_sync')
     AND nsp !~ '^pg_temp_' AND nsp !~ '^pg_toast_temp_'
$fn$;

-- Set-based, so that inspecting thousands of tables is one pass over the catalogs. json, not jsonb: built as text,
-- a third cheaper, and read by the Java side as text anyway.
CREATE OR REPLACE FUNCTION @SCHEMA@.relation_snapshots(rels oid[]) RETURNS TABLE (rel oid, snapshot json)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  WITH cols AS (
    SELECT a.attrelid,
           json_agg(json_build_object(
               'num', a.attnum,
               'name', a.attname,
               'type', format_type(a.atttypid, a.atttypmod),
               'notNull', a.attnotnull,
               -- a default cannot reference columns: deparsed without opening the table (an order of magnitude faster)
               'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, 0) END,
               'generated', CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,
               'identity', NULLIF(a.attidentity::text, ''),
               'statistics', NULLIF(a.attstattarget, -1),
               'identityOptions', CASE WHEN a.attidentity <> '' THEN
                   (SELECT 'START WITH ' || sq.seqstart || ' INCREMENT BY ' || sq.seqincrement || ' MINVALUE ' || sq.seqmin
                           || ' MAXVALUE ' || sq.seqmax || ' CACHE ' || sq.seqcache || CASE WHEN sq.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END
                      FROM pg_depend dep JOIN pg_sequence sq ON sq.seqrelid = dep.objid
                     WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
                       AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i' LIMIT 1) END,
               'collation', CASE WHEN a.attcollation <> t.typcollation
                                 THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END)
             ORDER BY a.attnum) AS columns
      FROM pg_attribute a
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      LEFT JOIN pg_collation co ON co.oid = a.attcollation
      LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
     WHERE a.attrelid = ANY (rels) AND a.attnum > 0 AND NOT a.attisdropped
     GROUP BY a.attrelid)
  SELECT c.oid,
         json_build_object('kind', 'table', 'schema', n.nspname, 'name', c.relname, 'persistence', c.relpersistence::text,
                            'columns', COALESCE(cols.columns, '[]'::json))
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN cols ON cols.attrelid = c.oid
   WHERE c.oid = ANY (rels) AND c.relkind IN ('r', 'p')
$fn$;

-- One table's snapshot, as the capture trigger takes it.
CREATE OR REPLACE FUNCTION @SCHEMA@.relation_snapshot(rel oid) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT s.snapshot::jsonb FROM @SCHEMA@.relation_snapshots(ARRAY[rel]) s
$fn$;

-- A routine's identity: name and input argument types (argument names are not part of it in PostgreSQL).
CREATE OR REPLACE FUNCTION @SCHEMA@.routine_identity(routine oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT p.proname || '(' || COALESCE((SELECT string_agg(format_type(t.oid, NULL), ', ' ORDER BY a.ord)
                                         FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(typ, ord)
                                         JOIN pg_type t ON t.oid = a.typ), '') || ')'
    FROM pg_proc p WHERE p.oid = routine
$fn$;
