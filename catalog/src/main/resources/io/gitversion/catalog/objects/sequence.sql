-- The objects of kind sequence: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
SELECT 'sequence', n.nspname, c.relname, c.relname, NULL,
       'CREATE ' || CASE c.relpersistence WHEN 'u' THEN 'UNLOGGED ' ELSE '' END || 'SEQUENCE ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
         || ' AS ' || format_type(s.seqtypid, NULL) || ' INCREMENT BY ' || s.seqincrement || ' MINVALUE ' || s.seqmin
         || ' MAXVALUE ' || s.seqmax || ' START WITH ' || s.seqstart || ' CACHE ' || s.seqcache
         || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END || ';',
       ARRAY['schema ' || n.nspname],
       (SELECT description FROM pg_description WHERE objoid = c.oid AND classoid = 'pg_class'::regclass AND objsubid = 0),
       jsonb_build_object('owner', pg_get_userbyid(c.relowner)::text, 'acl', CASE WHEN c.relacl IS NOT NULL THEN @SCHEMA@.acl_delta(c.relacl, c.relowner, 's') END, 'ownedBy', (SELECT quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) || '.' || quote_ident(a.attname)
                                         FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                                         JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                                          AND d.deptype = 'a' LIMIT 1)),
       c.oid, NULL::json
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
 WHERE c.relkind = 'S' AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids c.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'i'));
