-- The objects of kind rule: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
SELECT 'rule', n.nspname, r.rulename, c.relname || '.' || r.rulename, c.relname,
       pg_get_ruledef(r.oid),
       ARRAY[CASE WHEN c.relkind IN ('v', 'm') THEN 'view ' ELSE 'table ' END || n.nspname || '.' || c.relname],
       (SELECT description FROM pg_description WHERE objoid = r.oid AND classoid = 'pg_rewrite'::regclass AND objsubid = 0), '{}'::jsonb,
       r.oid, NULL::json
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE r.rulename <> '_RETURN' AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids r.oid*/;
