-- Run first by every install, in its transaction: the schema, the table of applied migrations, and a lock on it, so
-- that two installs at once run one after the other. Capture is off for the install's own statements.
SET LOCAL gitversion.capture = 'off';
-- capture is written in PL/pgSQL: a user's DROP EXTENSION plpgsql CASCADE takes the triggers and functions with it,
-- and installing again puts everything back (the log, the versions, the slot and the publication stay)
CREATE EXTENSION IF NOT EXISTS plpgsql;
CREATE SCHEMA IF NOT EXISTS gitversion;
CREATE TABLE IF NOT EXISTS gitversion.migrations (
  version    integer     PRIMARY KEY,
  name       text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
LOCK TABLE gitversion.migrations IN EXCLUSIVE MODE;
