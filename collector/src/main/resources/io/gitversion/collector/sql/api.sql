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
  SELECT l.version, l.semver, l.action, l.hash, l.captured_at, l.role_name, l.statement,
         COALESCE(l.canonical, l.definition->>'canonical')
    FROM gitversion.ddl_log l
    JOIN (SELECT * FROM gitversion.resolve(name) LIMIT 1) o ON o.kind = l.kind AND o.oid = l.objid
   WHERE l.version IS NOT NULL
   ORDER BY l.id DESC
   LIMIT max_rows
$fn$;

-- The live hash of an object now (whatever was recorded): the same hash `gitversion hash URL NAME` prints.
CREATE OR REPLACE FUNCTION gitversion.compute_ddl_hash(name text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp @RENDERING@ AS $fn$
  SELECT COALESCE(
    (SELECT r->>'hash' FROM (SELECT * FROM gitversion.resolve(name) LIMIT 1) o, gitversion.object_rows(o.kind, ARRAY[o.oid]) r),
    (SELECT gitversion.text_hash(r->>'canonical') FROM gitversion.live_objects() r
      WHERE r->>'schema' || '.' || (r->>'identity') = name OR r->>'identity' = name
      ORDER BY r->>'kind' = 'table' DESC LIMIT 1))
$fn$;

CREATE OR REPLACE VIEW gitversion.enabled_modules AS
  SELECT name, enabled_by, enabled_at FROM gitversion.modules;

-- Enables or disables an optional module (sync, advanced) for the whole pipeline: recorded here at once, and through
-- the DDL log (with the transaction) on gitversion.modules, which the CLI, the API and every other source follow. The
-- collector writes what is changed elsewhere into this table (follow_module).
CREATE OR REPLACE FUNCTION gitversion.set_module(module text, enabled boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  IF module IS NULL OR module NOT IN ('sync', 'advanced') THEN
    RAISE EXCEPTION 'Unknown module: %', module USING HINT = 'the modules are sync and advanced (core is always on)';
  END IF;
  IF enabled THEN
    INSERT INTO gitversion.modules (name, enabled_by) VALUES (module, session_user)
    ON CONFLICT (name) DO UPDATE SET enabled_by = EXCLUDED.enabled_by, enabled_at = now();
  ELSE
    DELETE FROM gitversion.modules WHERE name = module;
  END IF;
  INSERT INTO gitversion.ddl_log (command_tag, kind, object_name, object_identity, action)
  VALUES ('MODULE', 'module', module, module, CASE WHEN enabled THEN 'enable' ELSE 'disable' END);
END
$fn$;

CREATE OR REPLACE FUNCTION gitversion.enable_module(module text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT gitversion.set_module(module, true)
$fn$;

CREATE OR REPLACE FUNCTION gitversion.disable_module(module text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT gitversion.set_module(module, false)
$fn$;

-- Names the state the source is in when this transaction commits (`gitversion tag` in SQL). The tag is a row of the
-- DDL log, so it travels through the capture stream with its transaction: it names the commit of the DDL before it
-- (this transaction's, else the last one before), never one after. The processor records it on gitversion.tags with
-- the state hash at that commit. A name tagged before from SQL is refused here; one tagged on another commit from the
-- CLI or the API is refused by the processor (its log says so), as tags do not move.
CREATE OR REPLACE FUNCTION gitversion.tag(name text, message text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  IF name IS NULL OR name !~ '^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$' THEN
    RAISE EXCEPTION 'gitversion: a tag name is letters, digits and . _ + - (at most 200, starting with a letter or digit), not %',
      COALESCE(quote_literal(name), 'NULL');
  END IF;
  IF EXISTS (SELECT 1 FROM gitversion.ddl_log l WHERE l.kind = 'tag' AND l.object_name = name) THEN
    RAISE EXCEPTION 'gitversion: tag % exists already: tags do not move', name;
  END IF;
  INSERT INTO gitversion.ddl_log (command_tag, kind, object_name, object_identity, action, statement)
  VALUES ('TAG', 'tag', name, name, 'tag', message);
  RETURN name;
END
$fn$;

-- What the pipeline's gitversion.modules says a module is, written here by the collector (so that this source's
-- gitversion.enabled_modules answers as the CLI and the API do). No log row: the change came from the pipeline.
CREATE OR REPLACE FUNCTION gitversion.follow_module(module text, enabled boolean, changed_by text, changed_at timestamptz)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  DELETE FROM gitversion.modules WHERE name = module AND NOT enabled;
  INSERT INTO gitversion.modules (name, enabled_by, enabled_at) SELECT module, changed_by, changed_at WHERE enabled
  ON CONFLICT (name) DO UPDATE SET enabled_by = EXCLUDED.enabled_by, enabled_at = EXCLUDED.enabled_at;
$fn$;
