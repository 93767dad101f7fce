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

CREATE OR REPLACE FUNCTION @SCHEMA@.relation_snapshot(rel oid) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT jsonb_build_object(
    'kind', 'table',
    'schema', n.nspname,
    'name', c.relname,
    'persistence', c.relpersistence::text,
    'columns', COALESCE((
      SELECT jsonb_agg(jsonb_build_object(
               'num', a.attnum,
               'name', a.attname,
               'type', format_type(a.atttypid, a.atttypmod),
               'notNull', a.attnotnull,
               'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
               'generated', CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,
               'identity', NULLIF(a.attidentity::text, ''),
               'statistics', NULLIF(a.attstattarget, -1),
               'collation', CASE WHEN a.attcollation <> t.typcollation
                                 THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END)
             ORDER BY a.attnum)
        FROM pg_attribute a
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation
        LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]'::jsonb))
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = rel AND c.relkind IN ('r', 'p')
$fn$;

-- A routine's identity: name and input argument types (argument names are not part of it in PostgreSQL).
CREATE OR REPLACE FUNCTION @SCHEMA@.routine_identity(routine oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT p.proname || '(' || COALESCE((SELECT string_agg(format_type(t.oid, NULL), ', ' ORDER BY a.ord)
                                         FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(typ, ord)
                                         JOIN pg_type t ON t.oid = a.typ), '') || ')'
    FROM pg_proc p WHERE p.oid = routine
$fn$;
