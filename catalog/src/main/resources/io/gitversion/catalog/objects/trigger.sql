-- The objects of kind trigger: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
SELECT 'trigger', n.nspname, tg.tgname, c.relname || '.' || tg.tgname, c.relname,
       pg_get_triggerdef(tg.oid) || ';',
       ARRAY[CASE WHEN c.relkind IN ('v', 'm') THEN 'view ' ELSE 'table ' END || n.nspname || '.' || c.relname,
             'function ' || pn.nspname || '.' || @SCHEMA@.routine_identity(p.oid)],
       (SELECT description FROM pg_description WHERE objoid = tg.oid AND classoid = 'pg_trigger'::regclass AND objsubid = 0),
       jsonb_build_object('enabled', tg.tgenabled::text),
       tg.oid, NULL::json
  FROM pg_trigger tg
  JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_proc p ON p.oid = tg.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
 WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids tg.oid*/;
