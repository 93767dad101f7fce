-- The objects of kind text_search_dictionary: the columns every query of objects/ returns, and its markers, are
-- described in SnapshotSql.
SELECT 'text_search_dictionary', n.nspname, d.dictname, d.dictname, NULL,
       'CREATE TEXT SEARCH DICTIONARY ' || quote_ident(n.nspname) || '.' || quote_ident(d.dictname)
         || ' (TEMPLATE = ' || quote_ident(tn.nspname) || '.' || quote_ident(t.tmplname) || COALESCE(', ' || d.dictinitoption, '') || ');',
       ARRAY['schema ' || n.nspname],
       (SELECT description FROM pg_description WHERE objoid = d.oid AND classoid = 'pg_ts_dict'::regclass AND objsubid = 0),
       jsonb_build_object('owner', pg_get_userbyid(d.dictowner)::text), d.oid, NULL::json
  FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
  JOIN pg_ts_template t ON t.oid = d.dicttemplate JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
 WHERE @SCHEMA@.is_tracked_schema(n.nspname) /*@oids d.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend dp WHERE dp.classid = 'pg_ts_dict'::regclass AND dp.objid = d.oid AND dp.deptype = 'e');
