-- Migration 8: where each of capture's replication slots began (SourceInstaller makes them). The transactions
-- committed before a slot was made are not in its stream: for a slot made again after it was dropped, those captured
-- while it was gone are published by the collector from the log before it streams (Collector, docs/operations.md).
CREATE TABLE IF NOT EXISTS gitversion.slots (
  slot_name    text        PRIMARY KEY,
  made_at      timestamptz NOT NULL,
  start_lsn    pg_lsn      NOT NULL,   -- its consistent point: every transaction that commits after it is streamed
  before       pg_snapshot NOT NULL,   -- the slot's own snapshot: the transactions it does not stream are visible in it
  caught_up_at timestamptz             -- when a collector had published every transaction of the log before it
);
REVOKE ALL ON gitversion.slots FROM PUBLIC;
