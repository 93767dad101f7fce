-- The objects of kind event_trigger (the user's; not capture's own): the columns every query of objects/ returns,
-- and its markers, are described in SnapshotSql. No schema. Its enabled state (ALTER EVENT TRIGGER ... ENABLE
-- REPLICA | ALWAYS | DISABLE) is part of its definition, as a second statement. PostgreSQL fires no event trigger
-- for commands on event triggers: they are recorded by reconciliation, not at once.
SELECT 'event_trigger', NULL::name, e.evtname, e.evtname, NULL,
       'CREATE EVENT TRIGGER ' || quote_ident(e.evtname) || ' ON ' || e.evtevent
         || COALESCE(' WHEN TAG IN (' || (SELECT string_agg(quote_literal(tag), ', ' ORDER BY tag) FROM unnest(e.evttags) tag) || ')', '')
         || ' EXECUTE FUNCTION ' || quote_ident(pn.nspname) || '.' || quote_ident(p.proname) || '();'
         || CASE e.evtenabled WHEN 'O' THEN ''
                 ELSE E'\nALTER EVENT TRIGGER ' || quote_ident(e.evtname) || CASE e.evtenabled WHEN 'D' THEN ' DISABLE'
                      WHEN 'R' THEN ' ENABLE REPLICA' ELSE ' ENABLE ALWAYS' END || ';' END,
       ARRAY['function ' || pn.nspname || '.' || @SCHEMA@.routine_identity(p.oid)],
       (SELECT description FROM pg_description WHERE objoid = e.oid AND classoid = 'pg_event_trigger'::regclass AND objsubid = 0),
       jsonb_build_object('owner', pg_get_userbyid(e.evtowner)::text), e.oid, NULL::json
  FROM pg_event_trigger e JOIN pg_proc p ON p.oid = e.evtfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
 WHERE e.evtname NOT IN ('gitversion_ddl_command_end', 'gitversion_sql_drop') /*@oids e.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_event_trigger'::regclass AND d.objid = e.oid AND d.deptype = 'e');
