-- The objects of kind index: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
SELECT 'index', n.nspname, ic.relname, ic.relname, t.relname,
       pg_get_indexdef(i.indexrelid) || ';',
       ARRAY[CASE t.relkind WHEN 'm' THEN 'view ' ELSE 'table ' END || n.nspname || '.' || t.relname]
         || COALESCE((SELECT array_agg('index ' || pn.nspname || '.' || pc.relname) FROM pg_inherits inh
                        JOIN pg_class pc ON pc.oid = inh.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                       WHERE inh.inhrelid = ic.oid), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = ic.oid AND classoid = 'pg_class'::regclass AND objsubid = 0),
       jsonb_build_object('clustered', i.indisclustered, 'replicaIdentity', i.indisreplident,
                          'parentIndex', (SELECT quote_ident(pn.nspname) || '.' || quote_ident(pc.relname) FROM pg_inherits inh
                                           JOIN pg_class pc ON pc.oid = inh.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                                          WHERE inh.inhrelid = ic.oid)),
       i.indexrelid, NULL::json
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE t.relkind IN ('r', 'p', 'm') AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids i.indexrelid*/
   AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x') AND co.conrelid = t.oid)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e');
