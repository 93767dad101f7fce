-- The objects of kind text_search_configuration: the columns every query of objects/ returns, and its markers, are
-- described in SnapshotSql. Its parser is its definition; its mappings (token type: dictionaries, in order) are facts
-- in its canonical tail, changed by ALTER TEXT SEARCH CONFIGURATION ... ADD | ALTER | DROP MAPPING.
SELECT 'text_search_configuration', n.nspname, c.cfgname, c.cfgname, NULL,
       'CREATE TEXT SEARCH CONFIGURATION ' || quote_ident(n.nspname) || '.' || quote_ident(c.cfgname)
         || ' (PARSER = ' || quote_ident(pn.nspname) || '.' || quote_ident(p.prsname) || ');',
       ARRAY['schema ' || n.nspname]
         || COALESCE((SELECT array_agg(DISTINCT 'text_search_dictionary ' || dn.nspname || '.' || d.dictname)
                        FROM pg_ts_config_map m JOIN pg_ts_dict d ON d.oid = m.mapdict JOIN pg_namespace dn ON dn.oid = d.dictnamespace
                       WHERE m.mapcfg = c.oid AND @SCHEMA@.is_tracked_schema(dn.nspname)), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = c.oid AND classoid = 'pg_ts_config'::regclass AND objsubid = 0),
       jsonb_build_object('owner', pg_get_userbyid(c.cfgowner)::text, 'mappings', (SELECT jsonb_object_agg(tt.alias, mm.dicts)
                                         FROM (SELECT m.maptokentype, string_agg(quote_ident(dn.nspname) || '.' || quote_ident(d.dictname), ', '
                                                                                 ORDER BY m.mapseqno) AS dicts
                                                 FROM pg_ts_config_map m JOIN pg_ts_dict d ON d.oid = m.mapdict
                                                 JOIN pg_namespace dn ON dn.oid = d.dictnamespace
                                                WHERE m.mapcfg = c.oid GROUP BY m.maptokentype) mm
                                         JOIN ts_token_type(c.cfgparser) tt ON tt.tokid = mm.maptokentype)),
       c.oid, NULL::json
  FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
  JOIN pg_ts_parser p ON p.oid = c.cfgparser JOIN pg_namespace pn ON pn.oid = p.prsnamespace
 WHERE @SCHEMA@.is_tracked_schema(n.nspname) /*@oids c.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend dp WHERE dp.classid = 'pg_ts_config'::regclass AND dp.objid = c.oid AND dp.deptype = 'e');
