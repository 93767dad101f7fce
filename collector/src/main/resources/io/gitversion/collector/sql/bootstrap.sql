-- Run first by every install, in its transaction: the schema, the table of applied migrations, and a lock on it, so
-- that two installs at once run one after the other. Capture is off for the install's own statements.
SET LOCAL gitversion.capture = 'off';
-- capture is written in PL/pgSQL: a user's DROP EXTENSION plpgsql CASCADE takes the triggers and functions with it,
-- and installing again puts everything back (the log, the versions, the slot and the publication stay)
CREATE EXTENSION IF NOT EXISTS plpgsql;
-- the role whose members' sessions may switch capture off (the syncer's user on a remote that is a source too); a
-- role belongs to the server: uninstall leaves it
DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'gitversion_syncer') THEN
    CREATE ROLE gitversion_syncer NOLOGIN;
  END IF;
END
$do$;
CREATE SCHEMA IF NOT EXISTS gitversion;
CREATE TABLE IF NOT EXISTS gitversion.migrations (
  version    integer     PRIMARY KEY,
  name       text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
LOCK TABLE gitversion.migrations IN EXCLUSIVE MODE;
