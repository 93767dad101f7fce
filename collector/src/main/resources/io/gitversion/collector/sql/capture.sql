-- Capture: the event triggers that record every DDL change in gitversion.ddl_log (with the object's canonical row,
-- objects/KIND.sql), and the publication Debezium reads. Re-applied on every install: CREATE OR REPLACE only, idempotent.
-- Runs as a superuser (event triggers need one), after the migrations and the catalog functions (snapshot.sql,
-- objects/KIND.sql, installed in this schema by the installer).

-- Logs one failure without ever raising: capture must not abort the user's transaction.
CREATE OR REPLACE FUNCTION gitversion.log_capture_error(tag text, message text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  INSERT INTO gitversion.ddl_log (command_tag, kind, object_name, object_identity, action, statement, error)
  VALUES (COALESCE(tag, '?'), 'unknown', '?', '?', 'error', current_query(), message);
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'gitversion: DDL capture failed and could not be logged: % (%)', message, SQLERRM;
END
$fn$;

-- Our kind of an object, from PostgreSQL's name for its type (the object_type of pg_event_trigger_ddl_commands() and
-- pg_event_trigger_dropped_objects()), or null when the model does not track it: the one map from PostgreSQL's kinds
-- to ours. A kind that maps here but has no row in objects/KIND.sql (a window function, a composite type's relation) is
-- logged by PostgreSQL's name, like one that does not map.
DROP FUNCTION IF EXISTS gitversion.kind_of(oid, oid); -- by catalog and OID, before 0.2
CREATE OR REPLACE FUNCTION gitversion.kind_of(object_type text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE object_type
    WHEN 'table' THEN 'table' WHEN 'table column' THEN 'table'
    WHEN 'index' THEN 'index' WHEN 'sequence' THEN 'sequence'
    WHEN 'view' THEN 'view' WHEN 'materialized view' THEN 'view' WHEN 'view column' THEN 'view' WHEN 'materialized view column' THEN 'view'
    WHEN 'table constraint' THEN 'constraint' WHEN 'domain constraint' THEN 'constraint'
    WHEN 'function' THEN 'function' WHEN 'procedure' THEN 'function' WHEN 'aggregate' THEN 'function'
    WHEN 'type' THEN 'type' WHEN 'composite type' THEN 'type'
    WHEN 'schema' THEN 'schema' WHEN 'extension' THEN 'extension' WHEN 'collation' THEN 'collation'
    WHEN 'trigger' THEN 'trigger' WHEN 'rule' THEN 'rule' WHEN 'policy' THEN 'policy'
    WHEN 'statistics object' THEN 'statistics' WHEN 'cast' THEN 'cast'
    WHEN 'text search dictionary' THEN 'text_search_dictionary' WHEN 'text search configuration' THEN 'text_search_configuration'
    WHEN 'text search configuration mapping' THEN 'text_search_configuration'
  END
$fn$;

-- Whether capture skips an object: system, temporary and our own schemas, and our replication objects. No SET clause: PostgreSQL inlines it into the capture functions' expressions (which pin
-- search_path themselves), instead of planning it at every call.
CREATE OR REPLACE FUNCTION gitversion.skips(schema_name text, object_type text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT (schema_name IS NOT NULL AND NOT gitversion.is_tracked_schema(schema_name))
      OR object_type IN ('publication', 'publication relation', 'subscription', 'event trigger')
$fn$;


-- A session with gitversion.capture = off whose user is a member of role gitversion_syncer (the syncer's, on a
-- remote that is a source too) is not captured: nothing is logged, so nothing is published and nothing loops. The
-- recorded state still follows its changes, so that reconciliation does not report them as drift later. Membership
-- must be granted (GRANT gitversion_syncer TO ...): a superuser is not a member by being one. Any other session that
-- switches capture off is captured all the same, and warned (opted_out_refused).
CREATE OR REPLACE FUNCTION gitversion.quiet() RETURNS boolean
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  -- the setting first, a simple expression: memberships are read only in a session that switched capture off (as
  -- SQL, the query ran for every object every statement touched, about a fifth of capture's cost)
  IF COALESCE(pg_catalog.current_setting('gitversion.capture', true), '') <> 'off' THEN
    RETURN false;
  END IF;
  RETURN EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
                   JOIN pg_catalog.pg_roles g ON g.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member
                  WHERE g.rolname = 'gitversion_syncer' AND u.rolname = session_user);
END
$fn$;

-- The source a quiet session's changes come from (gitversion.origin, set by the syncer applying another source's
-- commit here), or null: a session that is not quiet has no origin but itself.
CREATE OR REPLACE FUNCTION gitversion.origin() RETURNS text
LANGUAGE sql STABLE AS $fn$
  SELECT CASE WHEN gitversion.quiet() THEN NULLIF(pg_catalog.current_setting('gitversion.origin', true), '') END
$fn$;

-- A session that switched capture off without the right to: its DDL is captured, and it is told so.
CREATE OR REPLACE FUNCTION gitversion.opted_out_refused() RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  IF COALESCE(pg_catalog.current_setting('gitversion.capture', true), '') = 'off' AND NOT gitversion.quiet() THEN
    RAISE WARNING 'gitversion: capture stays on for this session: only members of role gitversion_syncer can switch it off; this DDL is recorded';
  END IF;
END
$fn$;

-- Whether a GRANT or REVOKE on objects of type object_type can have written privileges into catalog catalog.
CREATE OR REPLACE FUNCTION gitversion.grant_reads(object_type text, catalog text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE object_type
           WHEN 'TABLE' THEN catalog IN ('pg_class', 'pg_attribute')
           WHEN 'SEQUENCE' THEN catalog = 'pg_class'
           WHEN 'FUNCTION' THEN catalog = 'pg_proc' WHEN 'PROCEDURE' THEN catalog = 'pg_proc' WHEN 'ROUTINE' THEN catalog = 'pg_proc'
           WHEN 'SCHEMA' THEN catalog = 'pg_namespace'
           WHEN 'TYPE' THEN catalog = 'pg_type' WHEN 'DOMAIN' THEN catalog = 'pg_type'
           ELSE true END
$fn$;

-- Recorded objects whose privileges (snapshot.sql's acl_delta), or a table's column privileges, now differ from what
-- was recorded: what a GRANT or REVOKE touched. Only catalog rows this transaction wrote can be such objects: a GRANT
-- writes the object's row (a column's: its pg_attribute row) anew. age(xmin) <= 0 finds them in one pass over each
-- catalog, by transaction ID: the transaction's own ID is the latest age() counts from, and its subtransactions'
-- (a GRANT after a SAVEPOINT) are later still. A row of another transaction that committed meanwhile can pass too;
-- the comparison with what was recorded drops it. Before, every recorded object was compared, with acl_delta for
-- each one with privileges: a GRANT in a database of 10,000 tables cost a second, now tens of milliseconds.
-- The passes are meant (sequential scans, which the trigger turns off for its lookups); the few rows they find are
-- looked up by index (the planner expects a third of each catalog, and would hash all of gitversion.objects). No JIT:
-- for that estimate the server compiled the query (40 ms) to run passes of a few milliseconds.
-- object_type: what the GRANT names (pg_event_trigger_ddl_commands()'s TABLE, SEQUENCE, FUNCTION, SCHEMA, ...): only
-- its catalog is read (TABLE: pg_class and pg_attribute, for column privileges); any other, every catalog.
DROP FUNCTION IF EXISTS gitversion.privileges_changed(); -- before 0.2: compared every recorded object
CREATE OR REPLACE FUNCTION gitversion.privileges_changed(object_type text) RETURNS TABLE (kind text, oid oid)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp SET enable_seqscan = on SET enable_hashjoin = off
  SET enable_mergejoin = off SET jit = off AS $fn$
  WITH written AS (
    SELECT c.oid, c.relacl AS acl, c.relowner AS owner, (CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END)::"char" AS objtype,
           ARRAY['table', 'view', 'sequence'] AS kinds
      FROM pg_class c WHERE gitversion.grant_reads(object_type, 'pg_class') AND pg_catalog.age(c.xmin) <= 0
    UNION ALL SELECT p.oid, p.proacl, p.proowner, 'f', ARRAY['function'] FROM pg_proc p
     WHERE gitversion.grant_reads(object_type, 'pg_proc') AND pg_catalog.age(p.xmin) <= 0
    UNION ALL SELECT n.oid, n.nspacl, n.nspowner, 'n', ARRAY['schema'] FROM pg_namespace n
     WHERE gitversion.grant_reads(object_type, 'pg_namespace') AND pg_catalog.age(n.xmin) <= 0
    UNION ALL SELECT t.oid, t.typacl, t.typowner, 'T', ARRAY['type'] FROM pg_type t
     WHERE gitversion.grant_reads(object_type, 'pg_type') AND pg_catalog.age(t.xmin) <= 0)
  SELECT o.kind, o.oid
    FROM written w JOIN gitversion.objects o ON o.oid = w.oid AND o.kind = ANY (w.kinds)
   WHERE NOT o.dropped
     AND CASE WHEN w.acl IS NULL THEN NULL ELSE gitversion.acl_delta(w.acl, w.owner, w.objtype) END
         IS DISTINCT FROM o.definition->'extra'->>'acl'
  UNION
  -- tables and views with a column privilege written (objects/KIND.sql's columnAcl) whose column privileges differ
  SELECT o.kind, o.oid
    -- (a pass over pg_attribute, the largest catalog, only when the transaction updated a row of it: its statistics
    -- count that, unless they are off)
    FROM (SELECT DISTINCT a.attrelid FROM pg_attribute a
           WHERE gitversion.grant_reads(object_type, 'pg_attribute')
             AND (SELECT pg_catalog.pg_stat_get_xact_tuples_updated('pg_catalog.pg_attribute'::pg_catalog.regclass) > 0
                         OR NOT pg_catalog.current_setting('track_counts')::boolean) -- once (a volatile function)
             AND pg_catalog.age(a.xmin) <= 0 AND a.attnum > 0) w
    JOIN gitversion.objects o ON o.oid = w.attrelid AND o.kind IN ('table', 'view')
    JOIN pg_class c ON c.oid = o.oid
   WHERE NOT o.dropped
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
  named    record;
  v_kind   text;
  v_ident  text;
  v_action text;
  numbered record;
BEGIN
  IF gitversion.quiet() THEN
    RETURN;
  END IF;
  SELECT NULL::text AS type, NULL::text AS schema, NULL::text AS name, NULL::text AS identity INTO named;
  IF classid IS NOT NULL AND classid <> 0 THEN
    SELECT i.type, i.schema, i.name, i.identity INTO named FROM pg_identify_object(classid, objid, 0) i;
  END IF;
  v_kind := CASE WHEN tag IN ('GRANT', 'REVOKE') THEN 'privilege' ELSE COALESCE(object_type, named.type) END;
  v_ident := COALESCE(identity, named.identity, lower(object_type));
  v_action := CASE WHEN tag IN ('GRANT', 'REVOKE') THEN lower(tag) WHEN tag LIKE 'CREATE%' THEN 'create' ELSE 'alter' END;
  SELECT * INTO numbered FROM gitversion.number_untracked(v_kind, CASE WHEN objid > 0 THEN objid::text ELSE v_ident END, v_action);
  IF numbered.version IS NULL THEN
    RETURN; -- nothing to record: the same create again
  END IF;
  INSERT INTO gitversion.ddl_log (command_tag, kind, schema_name, object_name, object_identity, classid, objid, objsubid,
                                  action, statement, version, semver)
  VALUES (tag, v_kind, COALESCE(schema_name, named.schema), COALESCE(named.name, identity, named.identity, lower(object_type)),
          v_ident, classid, objid, COALESCE(objsubid, 0), v_action, current_query(), numbered.version, numbered.semver);
END
$fn$;

-- A table's or an index's partitions and inheritance children, and theirs, as pg_inherits lists them now. PL/pgSQL,
-- so that its plans are made once a session (a SQL function that is not inlined is planned at every call), and most
-- relations have none: one index probe then.
CREATE OR REPLACE FUNCTION gitversion.descendants(parent oid) RETURNS oid[]
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhparent = parent) THEN
    RETURN '{}';
  END IF;
  RETURN (WITH RECURSIVE tree(rel) AS (SELECT i.inhrelid FROM pg_catalog.pg_inherits i WHERE i.inhparent = parent
                                       UNION SELECT i.inhrelid FROM pg_catalog.pg_inherits i JOIN tree ON i.inhparent = tree.rel)
          SELECT COALESCE(pg_catalog.array_agg(tree.rel), '{}') FROM tree);
END
$fn$;

-- Generic plans, each made once a session: a custom plan of the lookups below costs more to make than to run (about
-- 2 ms against 0.1), and PL/pgSQL kept making them. Index scans only: every lookup here has an index on the catalogs
-- or on gitversion.objects (migration 6), and must not turn into a scan of them as the source grows, whatever the
-- statistics of a table that has just grown say (what capture adds is flat in the number of objects). The last SET
-- clauses: definitions are written under fixed settings (DateStyle, TimeZone, ...: Rendering.java), not the session's.
CREATE OR REPLACE FUNCTION gitversion.capture_ddl_command_end() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off @RENDERING@ AS $fn$
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
  v_parent text;
BEGIN
  BEGIN
    PERFORM gitversion.opted_out_refused();
    FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
      CONTINUE WHEN cmd.in_extension OR gitversion.skips(cmd.schema_name, cmd.object_type);
      IF cmd.command_tag IN ('GRANT', 'REVOKE') THEN
        -- the command does not say which objects it touched: those whose privileges now differ from the recorded ones
        SELECT kinds || COALESCE(array_agg(g.kind), '{}'), oids || COALESCE(array_agg(g.oid), '{}'),
               actions || COALESCE(array_agg(lower(cmd.command_tag)), '{}'), tags || COALESCE(array_agg(NULL::text), '{}'),
               classes || COALESCE(array_agg(0::oid), '{}'), count(*) > 0
          INTO kinds, oids, actions, tags, classes, v_found
          FROM gitversion.privileges_changed(cmd.object_type) g;
        IF NOT v_found THEN
          -- column privileges, and objects the model does not track: logged with the statement
          PERFORM gitversion.log_untracked(cmd.command_tag, cmd.object_type, cmd.schema_name, cmd.object_identity,
                                           cmd.classid, cmd.objid, cmd.objsubid);
        END IF;
        CONTINUE;
      END IF;
      v_kind := gitversion.kind_of(cmd.object_type);
      IF v_kind IS NULL THEN
        -- privileges, and kinds the model does not track (yet): logged by PostgreSQL's name, without a definition
        PERFORM gitversion.log_untracked(cmd.command_tag, cmd.object_type, cmd.schema_name, cmd.object_identity,
                                         cmd.classid, cmd.objid, cmd.objsubid);
        CONTINUE;
      END IF;
      v_objid := cmd.objid;
      v_class := cmd.classid;
      IF cmd.object_type = 'composite type' THEN
        -- ALTER TYPE ... ADD/DROP/ALTER ATTRIBUTE reports the type's relation; the model's object is the type
        SELECT reltype, 'pg_type'::regclass INTO v_objid, v_class FROM pg_class WHERE oid = cmd.objid;
      END IF;
      v_index := v_kind = 'index';
      IF v_index THEN
        -- an index that backs a key is the key's (objects/KIND.sql has no row for it): ALTER INDEX reports the index
        SELECT 'constraint', oid, 'pg_constraint'::regclass INTO v_kind, v_objid, v_class
          FROM pg_constraint WHERE conindid = cmd.objid AND contype IN ('p', 'u', 'x')
           AND conrelid = (SELECT indrelid FROM pg_index WHERE indexrelid = cmd.objid); -- by the table's index, not a scan
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
                            AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = indrelid AND conindid = indexrelid
                                               AND contype IN ('p', 'u', 'x'))
                UNION ALL SELECT 'trigger', oid FROM pg_trigger WHERE tgrelid = cmd.objid AND NOT tgisinternal
                UNION ALL SELECT 'rule', oid FROM pg_rewrite WHERE ev_class = cmd.objid AND rulename <> '_RETURN' -- a view's own
                UNION ALL SELECT 'policy', oid FROM pg_policy WHERE polrelid = cmd.objid
                -- its sequences (owned, or of identity columns): its indexes depend on it the same way, and are not
                -- sequences (each would cost a query that finds nothing)
                UNION ALL SELECT 'sequence', dep.objid FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
                           WHERE dep.refclassid = 'pg_class'::regclass AND dep.refobjid = cmd.objid
                             AND dep.classid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
                -- views over it print its new name or columns
                UNION ALL SELECT DISTINCT 'view', rw.ev_class FROM pg_depend dep
                           JOIN pg_rewrite rw ON dep.classid = 'pg_rewrite'::regclass AND rw.oid = dep.objid
                           WHERE dep.refclassid = 'pg_class'::regclass AND dep.refobjid = cmd.objid AND rw.ev_class <> cmd.objid
                -- what was recorded on it: an index that a key took over (ADD CONSTRAINT ... USING INDEX), or an index or
                -- key that ALTER COLUMN TYPE rebuilt under a new OID, is gone without a drop event (recorded dropped below)
                -- (the table's schema and name first, as text of the default collation, the index's: the lookup is
                -- then one probe of objects_on_table, migration 6; a name's collation "C" would make it a scan)
                UNION ALL SELECT o.kind, o.oid FROM gitversion.objects o
                           WHERE NOT o.dropped AND o.kind IN ('index', 'constraint')
                             AND o.schema_name = (SELECT n.nspname::text COLLATE "default" FROM pg_class c
                                                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = cmd.objid)
                             AND o.definition->>'tbl' = (SELECT c.relname::text COLLATE "default" FROM pg_class c
                                                          WHERE c.oid = cmd.objid)) d;
        -- the statement reports the parent only, but changes its partitions and inheritance children too: ALTER TABLE
        -- recurses into them (columns, constraints), ATTACH PARTITION makes one (and attaches or creates its indexes);
        -- DETACH PARTITION and NO INHERIT let one go, found by the parent the recorded definition names
        v_rels := gitversion.descendants(cmd.objid);
        IF current_query() ~* '(DETACH|NO\s+INHERIT)' THEN
          -- (each by its index, migration 7)
          SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) INTO v_parent
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = cmd.objid;
          SELECT v_rels || COALESCE(array_agg(r.oid), '{}') INTO v_rels
            FROM (SELECT o.oid FROM gitversion.objects o
                   WHERE o.kind = 'table' AND o.definition->'extra'->>'partitionOf' = v_parent AND NOT o.dropped
                  UNION
                  SELECT o.oid FROM gitversion.objects o
                   WHERE o.kind = 'table' AND jsonb_typeof(o.definition->'extra'->'inherits') = 'array'
                     AND o.definition->'extra'->'inherits' @> to_jsonb(v_parent) AND NOT o.dropped) r;
        END IF;
        IF cardinality(v_rels) > 0 THEN
          SELECT kinds || COALESCE(array_agg(d.kind), '{}'), oids || COALESCE(array_agg(d.objid), '{}'),
                 actions || COALESCE(array_agg('alter'::text), '{}'), tags || COALESCE(array_agg(NULL::text), '{}'),
                 classes || COALESCE(array_agg(0::oid), '{}')
            INTO kinds, oids, actions, tags, classes
            FROM (SELECT 'table' AS kind, r AS objid FROM unnest(v_rels) r
                  UNION ALL SELECT 'constraint', oid FROM pg_constraint WHERE conrelid = ANY (v_rels)
                  UNION ALL SELECT 'index', indexrelid FROM pg_index WHERE indrelid = ANY (v_rels)
                              AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = indrelid AND conindid = indexrelid
                                                 AND contype IN ('p', 'u', 'x'))) d;
        END IF;
      ELSIF v_kind = 'type' AND cmd.command_tag IN ('ALTER TYPE', 'ALTER DOMAIN') THEN
        -- what prints the type's name or uses its definition: tables and composite types with a column of it (or of its
        -- array), domains over it, views and routines that use it (a renamed enum is printed by its new name there)
        SELECT kinds || COALESCE(array_agg(d.kind), '{}'), oids || COALESCE(array_agg(d.objid), '{}'),
               actions || COALESCE(array_agg('alter'::text), '{}'), tags || COALESCE(array_agg(NULL::text), '{}'),
               classes || COALESCE(array_agg(0::oid), '{}')
          INTO kinds, oids, actions, tags, classes
          -- (found by their dependencies on it, which pg_depend indexes: a column depends on its type, a domain on its
          -- base type; a scan of pg_attribute and pg_type took a third of a second at 10,000 tables)
          FROM (SELECT DISTINCT CASE WHEN c.relkind = 'c' THEN 'type' ELSE 'table' END AS kind,
                                CASE WHEN c.relkind = 'c' THEN c.reltype ELSE c.oid END AS objid
                  FROM pg_depend dep JOIN pg_class c ON c.oid = dep.objid
                 WHERE dep.refclassid = 'pg_type'::regclass AND dep.classid = 'pg_class'::regclass AND dep.objsubid > 0
                   AND dep.refobjid IN (SELECT t.oid FROM pg_type t WHERE t.oid = v_objid
                                        UNION ALL SELECT t.typarray FROM pg_type t WHERE t.oid = v_objid AND t.typarray <> 0)
                   AND c.relkind IN ('r', 'p', 'c')
                UNION SELECT 'type', t.oid FROM pg_depend dep JOIN pg_type t ON t.oid = dep.objid
                       WHERE dep.refclassid = 'pg_type'::regclass AND dep.refobjid = v_objid AND dep.classid = 'pg_type'::regclass
                         AND t.typtype = 'd' AND t.typbasetype = v_objid
                UNION SELECT 'view', rw.ev_class FROM pg_depend dep
                        JOIN pg_rewrite rw ON dep.classid = 'pg_rewrite'::regclass AND rw.oid = dep.objid
                       WHERE dep.refclassid = 'pg_type'::regclass AND dep.refobjid = v_objid
                UNION SELECT 'function', dep.objid FROM pg_depend dep
                       WHERE dep.classid = 'pg_proc'::regclass AND dep.refclassid = 'pg_type'::regclass AND dep.refobjid = v_objid) d;
      ELSIF v_index THEN
        -- CREATE INDEX on a partitioned table creates (or attaches) an index on each partition, ALTER INDEX ... ATTACH
        -- PARTITION attaches one: the partitions' indexes and keys, which the statement does not report
        SELECT kinds || COALESCE(array_agg(CASE WHEN co.oid IS NULL THEN 'index' ELSE 'constraint' END), '{}'),
               oids || COALESCE(array_agg(COALESCE(co.oid, t.rel)), '{}'),
               actions || COALESCE(array_agg('alter'::text), '{}'), tags || COALESCE(array_agg(NULL::text), '{}'),
               classes || COALESCE(array_agg(0::oid), '{}')
          INTO kinds, oids, actions, tags, classes
          FROM unnest(gitversion.descendants(cmd.objid)) t(rel)
          LEFT JOIN pg_index pi ON pi.indexrelid = t.rel
          LEFT JOIN pg_constraint co ON co.conrelid = pi.indrelid AND co.conindid = t.rel AND co.contype IN ('p', 'u', 'x');
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
      ELSE
        -- a recorded object on the table that is no longer there as that kind: gone with the statement
        PERFORM gitversion.record_object(target.kind, target.objid, NULL, 'drop', tg_tag);
      END IF;
    END LOOP;
  EXCEPTION WHEN OTHERS THEN
    PERFORM gitversion.log_capture_error(tg_tag, SQLSTATE || ': ' || SQLERRM);
  END;
END
$fn$;

CREATE OR REPLACE FUNCTION gitversion.capture_sql_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp @RENDERING@ AS $fn$
DECLARE
  obj      record;
  v_row    jsonb;
  v_kind   text;
  numbered record;
BEGIN
  BEGIN
    FOR obj IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
      CONTINUE WHEN obj.is_temporary OR gitversion.skips(obj.schema_name, obj.object_type);
      -- a dropped column is an ALTER of its table, captured with the table's new definition at ddl_command_end; one
      -- dropped along with something else (DROP TYPE ... CASCADE, DROP EXTENSION ... CASCADE) is captured here, as
      -- ddl_command_end reports only the statement's own object
      IF obj.object_type = 'table column' THEN
        IF NOT obj.original AND NOT gitversion.skips(obj.schema_name, 'table') THEN
          v_row := NULL;
          SELECT r INTO v_row FROM gitversion.object_rows('table', ARRAY[obj.objid]) r;
          IF v_row IS NOT NULL THEN
            PERFORM gitversion.record_object('table', obj.objid, v_row, 'alter', tg_tag);
          END IF;
        END IF;
        CONTINUE;
      END IF;
      -- the catalog row is gone: the kind comes from what was recorded, or from PostgreSQL's name
      v_kind := gitversion.kind_of(obj.object_type);
      PERFORM 1 FROM gitversion.objects o WHERE o.oid = obj.objid AND o.kind = v_kind AND NOT o.dropped;
      IF FOUND THEN
        PERFORM gitversion.record_object(v_kind, obj.objid, NULL, 'drop', tg_tag);
      ELSIF NOT gitversion.quiet() AND v_kind IS NULL AND obj.object_type NOT IN ('toast table', 'default value') AND obj.original THEN
        -- a kind the model does not track (yet): logged by PostgreSQL's name, when a version of it was recorded
        SELECT * INTO numbered FROM gitversion.number_untracked(obj.object_type, obj.objid::text, 'drop');
        IF numbered.version IS NOT NULL THEN
          INSERT INTO gitversion.ddl_log (command_tag, kind, schema_name, object_name, object_identity,
                                          classid, objid, objsubid, action, statement, version, semver)
          VALUES (tg_tag, obj.object_type, obj.schema_name, COALESCE(obj.object_name, obj.object_identity),
                  obj.object_identity, obj.classid, obj.objid, obj.objsubid, 'drop', current_query(), numbered.version, numbered.semver);
        END IF;
      END IF;
    END LOOP;
  EXCEPTION WHEN OTHERS THEN
    PERFORM gitversion.log_capture_error(tg_tag, SQLSTATE || ': ' || SQLERRM);
  END;
END
$fn$;

-- Retention of the log: the collector deletes the rows it has published (Kafka acknowledged them) once they are older
-- than its retention (collector.log.retention.ms). Nothing downstream is lost: the slot streams the rows' inserts from
-- the WAL, not from the table, and the history is on Kafka. Tags stay (a tag's name is never taken again), so do the
-- rows of the last `keep` seconds; gitversion.get_history in the source then covers the retention.
CREATE OR REPLACE FUNCTION gitversion.prune_log(published_up_to bigint, keep_seconds double precision) RETURNS bigint
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $fn$
  WITH gone AS (
    DELETE FROM gitversion.ddl_log
     WHERE id <= published_up_to AND kind <> 'tag' AND captured_at < clock_timestamp() - make_interval(secs => keep_seconds)
    RETURNING 1)
  SELECT count(*) FROM gone
$fn$;

DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'gitversion') THEN
    CREATE PUBLICATION gitversion FOR TABLE gitversion.ddl_log WITH (publish = 'insert');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'gitversion_ddl_command_end') THEN
    CREATE EVENT TRIGGER gitversion_ddl_command_end ON ddl_command_end
      EXECUTE FUNCTION gitversion.capture_ddl_command_end();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'gitversion_sql_drop') THEN
    CREATE EVENT TRIGGER gitversion_sql_drop ON sql_drop
      EXECUTE FUNCTION gitversion.capture_sql_drop();
  END IF;
END
$do$;
