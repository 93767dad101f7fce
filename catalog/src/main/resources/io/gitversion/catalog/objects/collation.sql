-- The objects of kind collation: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
SELECT 'collation', n.nspname, co.collname, co.collname, NULL,
       'CREATE COLLATION ' || quote_ident(n.nspname) || '.' || quote_ident(co.collname) || ' (provider = '
         || CASE co.collprovider WHEN 'i' THEN 'icu' ELSE 'libc' END
         || CASE WHEN co.collprovider = 'i'
                 -- the ICU locale: colllocale (17), colliculocale (15, 16), collcollate (14, where no column of its own has it)
                 THEN ', locale = ' || quote_literal(COALESCE(to_jsonb(co) ->> 'colllocale', to_jsonb(co) ->> 'colliculocale', co.collcollate, ''))
                 ELSE ', lc_collate = ' || quote_literal(COALESCE(co.collcollate, '')) || ', lc_ctype = ' || quote_literal(COALESCE(co.collctype, '')) END
         || CASE WHEN NOT co.collisdeterministic THEN ', deterministic = false' ELSE '' END || ');',
       ARRAY['schema ' || n.nspname], (SELECT description FROM pg_description WHERE objoid = co.oid AND classoid = 'pg_collation'::regclass AND objsubid = 0),
       jsonb_build_object('owner', pg_get_userbyid(co.collowner)::text),
       co.oid, NULL::json
  FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
 WHERE @SCHEMA@.is_tracked_schema(n.nspname) /*@oids co.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_collation'::regclass AND d.objid = co.oid AND d.deptype = 'e');
