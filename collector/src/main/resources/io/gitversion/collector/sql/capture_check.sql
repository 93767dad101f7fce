-- Capture's event triggers that are missing or disabled (what the collector checks every few seconds): a plain
-- catalog query, run as is (not installed), since capture's own functions may be gone with them.
SELECT e.name, CASE WHEN t.evtname IS NULL THEN 'missing' ELSE 'disabled' END
  FROM (VALUES ('gitversion_ddl_command_end'), ('gitversion_sql_drop')) AS e(name)
  LEFT JOIN pg_catalog.pg_event_trigger t ON t.evtname = e.name
 WHERE t.evtname IS NULL OR t.evtenabled = 'D'
 ORDER BY 1
