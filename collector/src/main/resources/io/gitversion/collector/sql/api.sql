-- The SQL interface in the source (the design note's functions). Re-applied on every install: CREATE OR REPLACE only,
-- idempotent.

-- Every tracked object as last recorded.
CREATE OR REPLACE VIEW gitversion.tracked_objects AS
  SELECT kind, schema_name, object_name, identity, version, semver, hash, changed_at, changed_by
    FROM gitversion.objects WHERE NOT dropped;

-- The recorded objects a name means: 'schema.name', 'name' (any schema), or a kind-qualified 'kind schema.name'.
CREATE OR REPLACE FUNCTION gitversion.resolve(name text) RETURNS SETOF gitversion.objects
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT o.* FROM gitversion.objects o
   WHERE NOT o.dropped
     AND (o.schema_name || '.' || o.identity = name OR o.schema_name || '.' || o.object_name = name
          OR o.identity = name OR o.object_name = name OR o.kind || ' ' || o.schema_name || '.' || o.identity = name)
   ORDER BY CASE o.kind WHEN 'table' THEN 0 WHEN 'view' THEN 1 WHEN 'function' THEN 2 WHEN 'type' THEN 3 ELSE 4 END,
            o.schema_name = 'public' DESC, o.schema_name, o.identity
$fn$;

CREATE OR REPLACE FUNCTION gitversion.get_version(name text)
RETURNS TABLE (kind text, object text, version integer, semver text, hash text, changed_at timestamptz, changed_by text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT o.kind, o.schema_name || '.' || o.identity, o.version, o.semver, o.hash, o.changed_at, o.changed_by
    FROM gitversion.resolve(name) o LIMIT 1
$fn$;

CREATE OR REPLACE FUNCTION gitversion.get_history(name text, max_rows integer DEFAULT 100)
RETURNS TABLE (version integer, semver text, action text, hash text, changed_at timestamptz, changed_by text,
               statement text, canonical text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT l.version, l.semver, l.action, l.hash, l.captured_at, l.role_name, l.statement, l.canonical
    FROM gitversion.ddl_log l
    JOIN (SELECT * FROM gitversion.resolve(name) LIMIT 1) o ON o.kind = l.kind AND o.oid = l.objid
   WHERE l.version IS NOT NULL
   ORDER BY l.id DESC
   LIMIT max_rows
$fn$;

-- The live hash of an object now (whatever was recorded): the same hash `gitversion hash URL NAME` prints.
CREATE OR REPLACE FUNCTION gitversion.compute_ddl_hash(name text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT COALESCE(
    (SELECT r->>'hash' FROM (SELECT * FROM gitversion.resolve(name) LIMIT 1) o, gitversion.object_rows(o.kind, ARRAY[o.oid]) r),
    (SELECT gitversion.text_hash(r->>'canonical') FROM gitversion.live_objects() r
      WHERE r->>'schema' || '.' || (r->>'identity') = name OR r->>'identity' = name
      ORDER BY r->>'kind' = 'table' DESC LIMIT 1))
$fn$;

CREATE OR REPLACE VIEW gitversion.enabled_modules AS
  SELECT name, enabled_by, enabled_at FROM gitversion.modules;

CREATE OR REPLACE FUNCTION gitversion.enable_module(module text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  INSERT INTO gitversion.modules (name, enabled_by) VALUES (module, session_user) ON CONFLICT (name) DO NOTHING
$fn$;
