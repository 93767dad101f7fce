-- Migration 5: the sync module's tables in the source (the design note's SQL interface, sync.sql). Tables only.

-- The remotes of the pipeline's registry (gitversion.remotes), written here by the pipeline: never a password.
CREATE TABLE IF NOT EXISTS gitversion.remote_databases (
  name          text        PRIMARY KEY,
  url           text        NOT NULL,                   -- postgresql://user@host:port/database, no password
  password_from text,                                   -- env:VAR or file:PATH, read by the syncer; null: its .pgpass
  sources       text[]      NOT NULL DEFAULT '{}',      -- empty: all
  takes         text        NOT NULL DEFAULT 'everything',
  strategy      text,
  paused        boolean     NOT NULL DEFAULT false,
  changed_by    text,
  changed_at    timestamptz,
  last_status   text,                                   -- the last sync result: applied, conflict, ...
  last_commit   text,
  last_result_at timestamptz
);

-- Requests to the pipeline (what needs the planner or a remote's connection), carried out by the collector's
-- request runner, which writes the outcome here.
CREATE TABLE IF NOT EXISTS gitversion.sync_requests (
  id           bigserial   PRIMARY KEY,
  request      text        NOT NULL,                    -- add_remote, test, read_hashes, migration, apply, sync, resolve
  remote       text,
  args         jsonb       NOT NULL DEFAULT '{}',
  requested_by text        NOT NULL DEFAULT session_user,
  requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  status       text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
  result       text,                                    -- the answer: a line, or the migration's SQL
  details      jsonb,                                   -- each statement's outcome, mismatches, ...
  finished_at  timestamptz,
  duration_ms  double precision
);
CREATE INDEX IF NOT EXISTS sync_requests_pending ON gitversion.sync_requests (id) WHERE status = 'pending';

-- The hashes of each remote's objects as last read (sync_refresh_remote), for remote_objects() and
-- sync_compare_schemas().
CREATE TABLE IF NOT EXISTS gitversion.remote_hashes (
  remote      text        NOT NULL,
  kind        text        NOT NULL,
  schema_name text,
  object_name text,
  identity    text        NOT NULL,
  full_name   text        NOT NULL,
  ddl_hash    text        NOT NULL,
  read_at     timestamptz NOT NULL,
  PRIMARY KEY (remote, kind, full_name)
);

-- Every recorded object's name and hash as remote_objects() spells them, to join the two.
ALTER TABLE gitversion.objects ADD COLUMN IF NOT EXISTS full_name text
  GENERATED ALWAYS AS (CASE WHEN schema_name IS NULL THEN identity ELSE schema_name || '.' || identity END) STORED;
ALTER TABLE gitversion.objects ADD COLUMN IF NOT EXISTS ddl_hash text GENERATED ALWAYS AS (hash) STORED;

REVOKE ALL ON gitversion.remote_databases, gitversion.sync_requests, gitversion.remote_hashes FROM PUBLIC;
