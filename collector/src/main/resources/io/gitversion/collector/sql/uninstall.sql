-- Removes capture, in one transaction: the event triggers first (so that nothing is captured half-way), the
-- publication, and schema gitversion with the log and the recorded versions. The slot is dropped after it commits.
SET LOCAL gitversion.capture = 'off';
DROP EVENT TRIGGER IF EXISTS gitversion_ddl_command_end;
DROP EVENT TRIGGER IF EXISTS gitversion_sql_drop;
DROP PUBLICATION IF EXISTS gitversion;
DROP SCHEMA IF EXISTS gitversion CASCADE;
