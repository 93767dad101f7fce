-- The syncer's ledger in a remote: one row per applied commit, written in the same transaction as the commit's DDL,
-- so a redelivered commit is recognised and never applied twice. Idempotent.
CREATE SCHEMA IF NOT EXISTS gitversion_sync;
CREATE TABLE IF NOT EXISTS gitversion_sync.applied (
  source      text        NOT NULL,   -- source database name
  commit_id   text        NOT NULL,   -- commit hash
  parent_id   text,
  statements  integer     NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, commit_id)
);
