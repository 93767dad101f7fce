-- gitversion capture, version 1: the DDL log, the event triggers that fill it, and the publication Debezium reads.
-- Idempotent: safe to run again. Runs as a superuser (event triggers need one).

CREATE SCHEMA IF NOT EXISTS gitversion;
REVOKE ALL ON SCHEMA gitversion FROM PUBLIC;

CREATE TABLE IF NOT EXISTS gitversion.ddl_log (
  id              bigserial PRIMARY KEY,                 -- order of capture; orders records within a transaction
  txid            bigint      NOT NULL DEFAULT txid_current(),
  command_tag     text        NOT NULL,
  kind            text        NOT NULL,                  -- object kind: table, index, view, function, ...
  schema_name     text,
  object_name     text        NOT NULL,
  object_identity text        NOT NULL,
  classid         oid,
  objid           oid,
  objsubid        integer     NOT NULL DEFAULT 0,        -- column number for column-level commands
  action          text        NOT NULL,                  -- create, alter, drop, error
  snapshot        jsonb,                                 -- catalog snapshot after the command (snapshot.sql)
  statement       text,
  role_name       text        NOT NULL DEFAULT COALESCE(NULLIF(current_setting('role'), 'none'), session_user),
  application     text        DEFAULT NULLIF(current_setting('application_name'), ''),
  client_addr     text        DEFAULT host(inet_client_addr()),
  captured_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  error           text                                   -- set when capture failed; reconciliation repairs it
);
REVOKE ALL ON gitversion.ddl_log FROM PUBLIC;

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

-- Whether capture skips an object: system, temporary and our own schemas, and our replication objects.
CREATE OR REPLACE FUNCTION gitversion.skips(schema_name text, object_type text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT (schema_name IS NOT NULL AND NOT gitversion.is_tracked_schema(schema_name))
      OR object_type IN ('publication', 'publication relation', 'subscription', 'event trigger')
$fn$;

CREATE OR REPLACE FUNCTION gitversion.capture_ddl_command_end() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  cmd  record;
  kind text;
BEGIN
  IF current_setting('gitversion.capture', true) = 'off' THEN
    RETURN;
  END IF;
  BEGIN
    FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
      CONTINUE WHEN cmd.in_extension OR gitversion.skips(cmd.schema_name, cmd.object_type);
      kind := CASE cmd.object_type WHEN 'table column' THEN 'table' ELSE cmd.object_type END;
      INSERT INTO gitversion.ddl_log (command_tag, kind, schema_name, object_name, object_identity,
                                      classid, objid, objsubid, action, snapshot, statement)
      SELECT cmd.command_tag, kind, cmd.schema_name,
             COALESCE((pg_identify_object(cmd.classid, cmd.objid, 0)).name, cmd.object_identity),
             cmd.object_identity, cmd.classid, cmd.objid, cmd.objsubid,
             CASE WHEN cmd.command_tag LIKE 'CREATE%' AND cmd.objsubid = 0 THEN 'create' ELSE 'alter' END,
             CASE WHEN kind = 'table' THEN gitversion.relation_snapshot(cmd.objid) END,
             current_query();
    END LOOP;
  EXCEPTION WHEN OTHERS THEN
    PERFORM gitversion.log_capture_error(tg_tag, SQLSTATE || ': ' || SQLERRM);
  END;
END
$fn$;

CREATE OR REPLACE FUNCTION gitversion.capture_sql_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  obj record;
BEGIN
  IF current_setting('gitversion.capture', true) = 'off' THEN
    RETURN;
  END IF;
  BEGIN
    FOR obj IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
      CONTINUE WHEN obj.is_temporary OR gitversion.skips(obj.schema_name, obj.object_type);
      -- a dropped column is an ALTER of its table, captured with the table's new snapshot at ddl_command_end
      CONTINUE WHEN obj.object_type = 'table column';
      INSERT INTO gitversion.ddl_log (command_tag, kind, schema_name, object_name, object_identity,
                                      classid, objid, objsubid, action, statement)
      VALUES (tg_tag, obj.object_type, obj.schema_name, COALESCE(obj.object_name, obj.object_identity),
              obj.object_identity, obj.classid, obj.objid, obj.objsubid, 'drop', current_query());
    END LOOP;
  EXCEPTION WHEN OTHERS THEN
    PERFORM gitversion.log_capture_error(tg_tag, SQLSTATE || ': ' || SQLERRM);
  END;
END
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
