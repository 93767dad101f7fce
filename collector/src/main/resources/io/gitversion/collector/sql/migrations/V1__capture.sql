-- Migration 1: the DDL log that the capture triggers fill and Debezium streams. Tables and data only: the functions
-- are in the files of their concern (capture.sql, versioning.sql, reconcile.sql, api.sql), applied on every install.
-- Applied once (recorded in gitversion.migrations); never edited after release but to move functions out of it.

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
