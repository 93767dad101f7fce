-- Migration 2: the versioned state of every tracked object, the log's columns for canonical texts, hashes and
-- versions, and the enabled modules. Tables and data only (see V1).

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
