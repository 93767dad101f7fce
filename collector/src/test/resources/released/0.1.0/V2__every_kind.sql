-- gitversion capture, version 2: every object kind captured with its canonical text and hash (objects.sql and
-- snapshot.sql, the catalog module's one canonicalizer, installed in this schema by the installer), the versioned
-- state of every tracked object kept in the source, baseline and reconciliation, and the SQL interface.
-- Idempotent: safe to run again. Runs as a superuser.

-- The state of every tracked object: what was last captured, and its version.
CREATE TABLE IF NOT EXISTS gitversion.objects (
  kind        text        NOT NULL,
  oid         oid         NOT NULL,                      -- identity across renames
  schema_name text,
  object_name text        NOT NULL,
  identity    text        NOT NULL,                      -- unique within kind and schema (functions: with argument types)
  hash        text,
  version     integer     NOT NULL,
  semver      text        NOT NULL,
  dropped     boolean     NOT NULL DEFAULT false,
  definition  jsonb,                                     -- the object's row as objects.sql renders it
  changed_at  timestamptz NOT NULL,
  changed_by  text        NOT NULL,
  PRIMARY KEY (kind, oid)
);
REVOKE ALL ON gitversion.objects FROM PUBLIC;

ALTER TABLE gitversion.ddl_log ADD COLUMN IF NOT EXISTS canonical text;  -- the canonical text (snapshot.sql)
ALTER TABLE gitversion.ddl_log ADD COLUMN IF NOT EXISTS hash text;       -- SHA-256 of canonical
ALTER TABLE gitversion.ddl_log ADD COLUMN IF NOT EXISTS version integer; -- the object's version after this record
ALTER TABLE gitversion.ddl_log ADD COLUMN IF NOT EXISTS semver text;
ALTER TABLE gitversion.ddl_log ADD COLUMN IF NOT EXISTS definition jsonb; -- the object's row (objects.sql), for plans

-- Which modules are enabled, by whom and when (core is always on).
CREATE TABLE IF NOT EXISTS gitversion.modules (
  name       text        PRIMARY KEY CHECK (name IN ('core', 'sync', 'advanced')),
  enabled_by text        NOT NULL DEFAULT session_user,
  enabled_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO gitversion.modules (name) VALUES ('core') ON CONFLICT DO NOTHING;

-- Our kind of a catalog object, or null when the model does not track it (it is then logged under PostgreSQL's name).
-- PL/pgSQL: measured in the capture trigger, a SQL function inlined there costs three times as much per statement.
CREATE OR REPLACE FUNCTION gitversion.kind_of(classid oid, objid oid) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  RETURN CASE classid
    WHEN 'pg_class'::regclass THEN (SELECT CASE relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'i' THEN 'index'
                                                        WHEN 'I' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view'
                                                        WHEN 'm' THEN 'view' END FROM pg_class WHERE oid = objid)
    WHEN 'pg_constraint'::regclass THEN 'constraint'
    WHEN 'pg_proc'::regclass THEN (SELECT CASE WHEN prokind IN ('f', 'p', 'a') THEN 'function' END FROM pg_proc WHERE oid = objid)
    WHEN 'pg_type'::regclass THEN 'type'
    WHEN 'pg_namespace'::regclass THEN 'schema'
    WHEN 'pg_extension'::regclass THEN 'extension'
    WHEN 'pg_trigger'::regclass THEN 'trigger'
    WHEN 'pg_rewrite'::regclass THEN 'rule'
    WHEN 'pg_policy'::regclass THEN 'policy'
    WHEN 'pg_collation'::regclass THEN 'collation'
  END;
END
$fn$;

-- As in V1, without the SET clause: PostgreSQL inlines it into the capture functions' expressions (which pin
-- search_path themselves), instead of planning it at every call.
CREATE OR REPLACE FUNCTION gitversion.skips(schema_name text, object_type text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT (schema_name IS NOT NULL AND NOT gitversion.is_tracked_schema(schema_name))
      OR object_type IN ('publication', 'publication relation', 'subscription', 'event trigger')
$fn$;

-- Semantic version rules (DESIGN.md, "Versions"), the one implementation: the processor takes what this computes.
--   major: drop, rename, a table column dropped or retyped or made NOT NULL, an enum value removed;
--   minor: create (1.0.0), a column added, an enum value added, any other change of definition but a function body;
--   patch: comments, defaults, function bodies (same signature), statistics, anything else.
-- Internal helpers (bump, next_semver, record_object) have no SET clause and are not SECURITY DEFINER: only the
-- capture functions, which are and which pin search_path, call them (the schema is closed to PUBLIC), and a call
-- without SET is cheaper (next_semver is even inlined).
CREATE OR REPLACE FUNCTION gitversion.bump(kind text, before jsonb, after jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  IF before IS NULL THEN RETURN 'create'; END IF;
  IF after IS NULL THEN RETURN 'major'; END IF;
  IF before->>'schema' IS DISTINCT FROM after->>'schema' OR before->>'identity' IS DISTINCT FROM after->>'identity' THEN
    RETURN 'major';
  END IF;
  IF kind = 'table' THEN
    -- a column (by attribute number) gone, retyped, renamed or made NOT NULL
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(before->'snapshot'->'columns') was
                 LEFT JOIN jsonb_array_elements(after->'snapshot'->'columns') now ON now->>'num' = was->>'num'
                WHERE now IS NULL OR now->>'type' <> was->>'type' OR now->>'name' <> was->>'name'
                   OR (now->>'notNull' = 'true' AND was->>'notNull' = 'false')) THEN
      RETURN 'major';
    END IF;
    IF jsonb_array_length(after->'snapshot'->'columns') > jsonb_array_length(before->'snapshot'->'columns') THEN
      RETURN 'minor';
    END IF;
    RETURN 'patch';
  END IF;
  IF kind = 'type' AND before->'extra'->'labels' IS NOT NULL AND jsonb_typeof(before->'extra'->'labels') = 'array' THEN
    IF NOT (after->'extra'->'labels') @> (before->'extra'->'labels') THEN RETURN 'major'; END IF;
    IF before->>'ddl' <> after->>'ddl' THEN RETURN 'minor'; END IF;
  END IF;
  IF before->>'ddl' = after->>'ddl' OR kind = 'function' THEN
    RETURN 'patch';
  END IF;
  RETURN 'minor';
END
$fn$;

CREATE OR REPLACE FUNCTION gitversion.next_semver(semver text, bump text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE bump
    WHEN 'create' THEN '1.0.0'
    WHEN 'major' THEN (split_part(semver, '.', 1)::int + 1) || '.0.0'
    WHEN 'minor' THEN split_part(semver, '.', 1) || '.' || (split_part(semver, '.', 2)::int + 1) || '.0'
    ELSE split_part(semver, '.', 1) || '.' || split_part(semver, '.', 2) || '.' || (split_part(semver, '.', 3)::int + 1)
  END
$fn$;

-- Records one object's new state if it differs from what was last recorded: a ddl_log row (which Debezium streams)
-- and the object's new version. p_row is null when the object is gone. Returns whether anything was recorded.
CREATE OR REPLACE FUNCTION gitversion.record_object(p_kind text, p_oid oid, p_row jsonb, p_action text, p_tag text)
RETURNS boolean LANGUAGE plpgsql AS $fn$
DECLARE
  prior gitversion.objects%ROWTYPE;
  v_action text := p_action;
  v_version integer;
  v_semver text;
  v_who text := COALESCE(NULLIF(current_setting('role'), 'none'), session_user);
BEGIN
  SELECT * INTO prior FROM gitversion.objects o WHERE o.kind = p_kind AND o.oid = p_oid;
  IF p_row IS NULL THEN
    IF NOT FOUND OR prior.dropped THEN RETURN false; END IF;
    v_version := prior.version + 1;
    v_semver := gitversion.next_semver(prior.semver, 'major');
    IF NOT gitversion.quiet() THEN
    INSERT INTO gitversion.ddl_log (command_tag, kind, schema_name, object_name, object_identity, objid,
                                    action, statement, version, semver)
    VALUES (p_tag, p_kind, prior.schema_name, prior.object_name, prior.identity, p_oid,
            'drop', current_query(), v_version, v_semver);
    END IF;
    UPDATE gitversion.objects o SET dropped = true, version = v_version, semver = v_semver, hash = NULL,
           changed_at = clock_timestamp(), changed_by = v_who
     WHERE o.kind = p_kind AND o.oid = p_oid;
    RETURN true;
  END IF;
  IF FOUND AND NOT prior.dropped AND prior.hash = p_row->>'hash' THEN
    RETURN false; -- the statement did not change the object's definition
  END IF;
  IF FOUND AND NOT prior.dropped THEN
    IF v_action IN ('create', 'baseline') THEN v_action := 'alter'; END IF;
    IF v_action = 'alter' AND (prior.schema_name IS DISTINCT FROM p_row->>'schema' OR prior.identity <> p_row->>'identity') THEN
      v_action := 'rename';
    END IF;
    v_version := prior.version + 1;
    v_semver := gitversion.next_semver(prior.semver, gitversion.bump(p_kind, prior.definition, p_row));
  ELSE
    IF v_action = 'alter' THEN v_action := 'create'; END IF;
    v_version := COALESCE(prior.version + 1, 1);
    v_semver := '1.0.0';
  END IF;
  IF NOT gitversion.quiet() THEN
  INSERT INTO gitversion.ddl_log (command_tag, kind, schema_name, object_name, object_identity, objid, objsubid,
                                  action, snapshot, statement, canonical, hash, version, semver, definition)
  VALUES (p_tag, p_kind, p_row->>'schema', p_row->>'name', p_row->>'identity', p_oid, 0,
          v_action, NULLIF(p_row->'snapshot', 'null'::jsonb), current_query(), p_row->>'canonical', p_row->>'hash', v_version, v_semver,
          p_row - 'hash');
  END IF;
  INSERT INTO gitversion.objects AS o (kind, oid, schema_name, object_name, identity, hash, version, semver, dropped,
                                       definition, changed_at, changed_by)
  VALUES (p_kind, p_oid, p_row->>'schema', p_row->>'name', p_row->>'identity', p_row->>'hash', v_version, v_semver, false,
          p_row, clock_timestamp(), v_who)
  ON CONFLICT (kind, oid) DO UPDATE SET schema_name = EXCLUDED.schema_name, object_name = EXCLUDED.object_name,
         identity = EXCLUDED.identity, hash = EXCLUDED.hash, version = EXCLUDED.version, semver = EXCLUDED.semver,
         dropped = false, definition = EXCLUDED.definition, changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by;
  RETURN true;
END
$fn$;

-- A session with gitversion.capture = off (the syncer's, on a remote that is a source too) is not captured: nothing
-- is logged, so nothing is published and nothing loops. The recorded state still follows its changes, so that
-- reconciliation does not report them as drift later.
CREATE OR REPLACE FUNCTION gitversion.quiet() RETURNS boolean
LANGUAGE sql STABLE AS $fn$
  SELECT COALESCE(pg_catalog.current_setting('gitversion.capture', true), '') = 'off'
$fn$;

-- Recorded objects whose privileges (snapshot.sql's acl_delta), or a table's column privileges, now differ from what
-- was recorded: what a GRANT or REVOKE touched. Set-based, and acl_delta runs only for objects with explicit privileges.
CREATE OR REPLACE FUNCTION gitversion.privileges_changed() RETURNS TABLE (kind text, oid oid)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT o.kind, o.oid
    FROM gitversion.objects o
    JOIN LATERAL (
      SELECT c.relacl AS acl, c.relowner AS owner, (CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END)::"char" AS objtype
        FROM pg_class c WHERE c.oid = o.oid AND o.kind IN ('table', 'view', 'sequence')
      UNION ALL SELECT p.proacl, p.proowner, 'f' FROM pg_proc p WHERE p.oid = o.oid AND o.kind = 'function'
      UNION ALL SELECT n.nspacl, n.nspowner, 'n' FROM pg_namespace n WHERE n.oid = o.oid AND o.kind = 'schema'
      UNION ALL SELECT t.typacl, t.typowner, 'T' FROM pg_type t WHERE t.oid = o.oid AND o.kind = 'type'
    ) live ON true
   WHERE NOT o.dropped
     AND CASE WHEN live.acl IS NULL THEN NULL ELSE gitversion.acl_delta(live.acl, live.owner, live.objtype) END
         IS DISTINCT FROM o.definition->'extra'->>'acl'
  UNION
  -- tables whose column privileges differ (objects.sql's columnAcl)
  SELECT o.kind, o.oid
    FROM gitversion.objects o JOIN pg_class c ON c.oid = o.oid
   WHERE NOT o.dropped AND o.kind = 'table'
     AND (SELECT NULLIF(jsonb_strip_nulls(jsonb_object_agg(a.attname, gitversion.acl_delta(a.attacl, c.relowner, 'c'))
                                            FILTER (WHERE a.attacl IS NOT NULL)), '{}')
            FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
         IS DISTINCT FROM NULLIF(o.definition->'extra'->'columnAcl', 'null'::jsonb)
$fn$;

-- One record of a kind the model has no definition for, or of a privilege change: PostgreSQL's names, the statement.
CREATE OR REPLACE FUNCTION gitversion.log_untracked(tag text, object_type text, schema_name text, identity text,
                                                    classid oid, objid oid, objsubid integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  named record;
BEGIN
  IF gitversion.quiet() THEN
    RETURN;
  END IF;
  SELECT NULL::text AS type, NULL::text AS schema, NULL::text AS name, NULL::text AS identity INTO named;
  IF classid IS NOT NULL AND classid <> 0 THEN
    SELECT i.type, i.schema, i.name, i.identity INTO named FROM pg_identify_object(classid, objid, 0) i;
  END IF;
  INSERT INTO gitversion.ddl_log (command_tag, kind, schema_name, object_name, object_identity, classid, objid, objsubid,
                                  action, statement)
  VALUES (tag, CASE WHEN tag IN ('GRANT', 'REVOKE') THEN 'privilege' ELSE COALESCE(object_type, named.type) END,
          COALESCE(schema_name, named.schema), COALESCE(named.name, identity, named.identity, lower(object_type)),
          COALESCE(identity, named.identity, lower(object_type)), classid, objid, COALESCE(objsubid, 0),
          CASE WHEN tag IN ('GRANT', 'REVOKE') THEN lower(tag) WHEN tag LIKE 'CREATE%' THEN 'create' ELSE 'alter' END,
          current_query());
END
$fn$;

-- A table's or an index's partitions and inheritance children, and theirs, as pg_inherits lists them now.
CREATE OR REPLACE FUNCTION gitversion.descendants(parent oid) RETURNS oid[]
LANGUAGE sql STABLE AS $fn$
  WITH RECURSIVE tree(rel) AS (SELECT i.inhrelid FROM pg_catalog.pg_inherits i WHERE i.inhparent = parent
                               UNION SELECT i.inhrelid FROM pg_catalog.pg_inherits i JOIN tree ON i.inhparent = tree.rel)
  SELECT COALESCE(pg_catalog.array_agg(tree.rel), '{}') FROM tree
$fn$;

CREATE OR REPLACE FUNCTION gitversion.capture_ddl_command_end() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  cmd     record;
  v_kind  text;
  kinds   text[] := '{}';
  oids    oid[] := '{}';
  actions text[] := '{}';
  tags    text[] := '{}';                                 -- the command that reported it, null for a dependent
  classes oid[] := '{}';
  v_objid oid;
  v_class oid;
  v_found boolean;
  v_index boolean;
  target  record;
  v_row   jsonb;
  v_rels  oid[];
BEGIN
  BEGIN
    FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
      CONTINUE WHEN cmd.in_extension OR gitversion.skips(cmd.schema_name, cmd.object_type);
      IF cmd.command_tag IN ('GRANT', 'REVOKE') THEN
        -- the command does not say which objects it touched: those whose privileges now differ from the recorded ones
        SELECT kinds || COALESCE(array_agg(g.kind), '{}'), oids || COALESCE(array_agg(g.oid), '{}'),
               actions || COALESCE(array_agg(lower(cmd.command_tag)), '{}'), tags || COALESCE(array_agg(NULL::text), '{}'),
               classes || COALESCE(array_agg(0::oid), '{}'), count(*) > 0
          INTO kinds, oids, actions, tags, classes, v_found
          FROM gitversion.privileges_changed() g;
        IF NOT v_found THEN
          -- column privileges, and objects the model does not track: logged with the statement
          PERFORM gitversion.log_untracked(cmd.command_tag, cmd.object_type, cmd.schema_name, cmd.object_identity,
                                           cmd.classid, cmd.objid, cmd.objsubid);
        END IF;
        CONTINUE;
      END IF;
      v_kind := gitversion.kind_of(cmd.classid, cmd.objid);
      IF v_kind IS NULL THEN
        -- privileges, and kinds the model does not track (yet): logged by PostgreSQL's name, without a definition
        PERFORM gitversion.log_untracked(cmd.command_tag, cmd.object_type, cmd.schema_name, cmd.object_identity,
                                         cmd.classid, cmd.objid, cmd.objsubid);
        CONTINUE;
      END IF;
      v_objid := cmd.objid;
      v_class := cmd.classid;
      v_index := v_kind = 'index';
      IF v_index THEN
        -- an index that backs a key is the key's (objects.sql has no row for it): ALTER INDEX reports the index
        SELECT 'constraint', oid, 'pg_constraint'::regclass INTO v_kind, v_objid, v_class
          FROM pg_constraint WHERE conindid = cmd.objid AND contype IN ('p', 'u', 'x');
        v_kind := COALESCE(v_kind, 'index');
        v_objid := COALESCE(v_objid, cmd.objid);
        v_class := COALESCE(v_class, cmd.classid);
      ELSIF v_kind = 'constraint' THEN
        -- a domain's constraint is part of the domain's definition
        SELECT CASE WHEN contypid <> 0 THEN contypid END INTO v_objid FROM pg_constraint WHERE oid = cmd.objid;
        IF v_objid IS NULL THEN
          v_objid := cmd.objid;
        ELSE
          v_kind := 'type';
          v_class := 'pg_type'::regclass;
        END IF;
      END IF;
      kinds := kinds || v_kind;
      oids := oids || v_objid;
      tags := tags || cmd.command_tag;
      classes := classes || v_class;
      actions := actions || CASE WHEN cmd.command_tag LIKE 'CREATE%' AND cmd.objsubid = 0 THEN 'create'
                                 WHEN cmd.command_tag = 'COMMENT' THEN 'comment' ELSE 'alter' END;
      IF v_kind IN ('table', 'view') AND (cmd.command_tag LIKE 'ALTER%' OR cmd.command_tag = 'CREATE TABLE') THEN
        -- what hangs on a table changes with it (ALTER TABLE ... ADD CONSTRAINT reports only the table)
        SELECT kinds || COALESCE(array_agg(d.kind), '{}'), oids || COALESCE(array_agg(d.objid), '{}'),
               actions || COALESCE(array_agg('alter'::text), '{}'), tags || COALESCE(array_agg(NULL::text), '{}'),
               classes || COALESCE(array_agg(0::oid), '{}')
          INTO kinds, oids, actions, tags, classes
          FROM (SELECT 'constraint' AS kind, oid AS objid FROM pg_constraint WHERE conrelid = cmd.objid
                UNION ALL SELECT 'index', indexrelid FROM pg_index WHERE indrelid = cmd.objid
                            AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid AND contype IN ('p', 'u', 'x'))
                UNION ALL SELECT 'trigger', oid FROM pg_trigger WHERE tgrelid = cmd.objid AND NOT tgisinternal
                UNION ALL SELECT 'rule', oid FROM pg_rewrite WHERE ev_class = cmd.objid
                UNION ALL SELECT 'policy', oid FROM pg_policy WHERE polrelid = cmd.objid
                UNION ALL SELECT 'sequence', dep.objid FROM pg_depend dep
                           WHERE dep.refclassid = 'pg_class'::regclass AND dep.refobjid = cmd.objid
                             AND dep.classid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
                -- views over it print its new name or columns
                UNION ALL SELECT DISTINCT 'view', rw.ev_class FROM pg_depend dep
                           JOIN pg_rewrite rw ON dep.classid = 'pg_rewrite'::regclass AND rw.oid = dep.objid
                           WHERE dep.refclassid = 'pg_class'::regclass AND dep.refobjid = cmd.objid AND rw.ev_class <> cmd.objid) d;
        -- the statement reports the parent only, but changes its partitions and inheritance children too: ALTER TABLE
        -- recurses into them (columns, constraints), ATTACH PARTITION makes one (and attaches or creates its indexes);
        -- DETACH PARTITION and NO INHERIT let one go, found by the parent the recorded definition names
        v_rels := gitversion.descendants(cmd.objid);
        IF current_query() ~* '(DETACH|NO\s+INHERIT)' THEN
          SELECT v_rels || COALESCE(array_agg(o.oid), '{}') INTO v_rels
            FROM gitversion.objects o, pg_class c, pg_namespace n
           WHERE c.oid = cmd.objid AND n.oid = c.relnamespace AND o.kind = 'table' AND NOT o.dropped
             AND (o.definition->'extra'->>'partitionOf' = quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                  OR o.definition->'extra'->'inherits' @> to_jsonb(quote_ident(n.nspname) || '.' || quote_ident(c.relname)));
        END IF;
        IF cardinality(v_rels) > 0 THEN
          SELECT kinds || COALESCE(array_agg(d.kind), '{}'), oids || COALESCE(array_agg(d.objid), '{}'),
                 actions || COALESCE(array_agg('alter'::text), '{}'), tags || COALESCE(array_agg(NULL::text), '{}'),
                 classes || COALESCE(array_agg(0::oid), '{}')
            INTO kinds, oids, actions, tags, classes
            FROM (SELECT 'table' AS kind, r AS objid FROM unnest(v_rels) r
                  UNION ALL SELECT 'constraint', oid FROM pg_constraint WHERE conrelid = ANY (v_rels)
                  UNION ALL SELECT 'index', indexrelid FROM pg_index WHERE indrelid = ANY (v_rels)
                              AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid AND contype IN ('p', 'u', 'x'))) d;
        END IF;
      ELSIF v_index THEN
        -- CREATE INDEX on a partitioned table creates (or attaches) an index on each partition, ALTER INDEX ... ATTACH
        -- PARTITION attaches one: the partitions' indexes and keys, which the statement does not report
        SELECT kinds || COALESCE(array_agg(CASE WHEN co.oid IS NULL THEN 'index' ELSE 'constraint' END), '{}'),
               oids || COALESCE(array_agg(COALESCE(co.oid, t.rel)), '{}'),
               actions || COALESCE(array_agg('alter'::text), '{}'), tags || COALESCE(array_agg(NULL::text), '{}'),
               classes || COALESCE(array_agg(0::oid), '{}')
          INTO kinds, oids, actions, tags, classes
          FROM unnest(gitversion.descendants(cmd.objid)) t(rel)
          LEFT JOIN pg_constraint co ON co.conindid = t.rel AND co.contype IN ('p', 'u', 'x');
      END IF;
    END LOOP;
    -- each object once, in the order first touched, with the action of its first mention
    FOR target IN SELECT t.kind, t.objid, t.action, t.tag, t.classid
                    FROM (SELECT DISTINCT ON (u.kind, u.objid) u.kind, u.objid, u.action, u.tag, u.classid, u.n
                            FROM unnest(kinds, oids, actions, tags, classes) WITH ORDINALITY AS u(kind, objid, action, tag, classid, n)
                           ORDER BY u.kind, u.objid, u.n) t
                   ORDER BY t.n LOOP
      v_row := NULL;
      SELECT r INTO v_row FROM gitversion.object_rows(target.kind, ARRAY[target.objid]) r;
      IF v_row IS NOT NULL THEN
        PERFORM gitversion.record_object(target.kind, target.objid, v_row, target.action, tg_tag);
      ELSIF target.tag IS NOT NULL THEN
        -- a statement's own object that the model has no row for (a domain's constraint, say): never dropped silently
        PERFORM gitversion.log_untracked(target.tag, NULL, NULL, NULL, target.classid, target.objid, 0);
      END IF;
    END LOOP;
  EXCEPTION WHEN OTHERS THEN
    PERFORM gitversion.log_capture_error(tg_tag, SQLSTATE || ': ' || SQLERRM);
  END;
END
$fn$;

CREATE OR REPLACE FUNCTION gitversion.capture_sql_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  obj    record;
  v_kind text;
BEGIN
  BEGIN
    FOR obj IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
      CONTINUE WHEN obj.is_temporary OR gitversion.skips(obj.schema_name, obj.object_type);
      -- a dropped column is an ALTER of its table, captured with the table's new definition at ddl_command_end
      CONTINUE WHEN obj.object_type = 'table column';
      -- the catalog row is gone: the kind comes from what was recorded, or from PostgreSQL's name
      SELECT o.kind INTO v_kind FROM gitversion.objects o WHERE o.oid = obj.objid AND NOT o.dropped
         AND o.kind = CASE obj.object_type WHEN 'table' THEN 'table' WHEN 'index' THEN 'index' WHEN 'sequence' THEN 'sequence'
                                          WHEN 'view' THEN 'view' WHEN 'materialized view' THEN 'view'
                                          WHEN 'table constraint' THEN 'constraint' WHEN 'domain constraint' THEN 'constraint'
                                          WHEN 'function' THEN 'function' WHEN 'procedure' THEN 'function'
                                          WHEN 'type' THEN 'type' WHEN 'schema' THEN 'schema' WHEN 'extension' THEN 'extension'
                                          WHEN 'trigger' THEN 'trigger' WHEN 'rule' THEN 'rule' WHEN 'policy' THEN 'policy'
                                          WHEN 'collation' THEN 'collation' END;
      IF FOUND THEN
        PERFORM gitversion.record_object(v_kind, obj.objid, NULL, 'drop', tg_tag);
      ELSIF NOT gitversion.quiet() AND obj.object_type NOT IN ('table', 'index', 'sequence', 'view', 'materialized view', 'table constraint',
                                    'domain constraint', 'function', 'procedure', 'type', 'schema', 'extension',
                                    'trigger', 'rule', 'policy', 'collation', 'toast table', 'default value')
            AND obj.original THEN
        -- a kind the model does not track (yet): logged by PostgreSQL's name
        INSERT INTO gitversion.ddl_log (command_tag, kind, schema_name, object_name, object_identity,
                                        classid, objid, objsubid, action, statement)
        VALUES (tg_tag, obj.object_type, obj.schema_name, COALESCE(obj.object_name, obj.object_identity),
                obj.object_identity, obj.classid, obj.objid, obj.objsubid, 'drop', current_query());
      END IF;
    END LOOP;
  EXCEPTION WHEN OTHERS THEN
    PERFORM gitversion.log_capture_error(tg_tag, SQLSTATE || ': ' || SQLERRM);
  END;
END
$fn$;

-- ---------------------------------------------------------------- baseline and reconciliation

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

-- ---------------------------------------------------------------- the SQL interface

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
