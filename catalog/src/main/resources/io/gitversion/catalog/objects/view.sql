-- The objects of kind view: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
SELECT 'view', n.nspname, c.relname, c.relname, NULL,
       CASE c.relkind WHEN 'v' THEN 'CREATE VIEW ' ELSE 'CREATE MATERIALIZED VIEW ' END
         || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
         || CASE WHEN c.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' ELSE '' END
         || ' AS ' || rtrim(pg_get_viewdef(c.oid), ';')
         || CASE WHEN c.relkind = 'm' AND NOT c.relispopulated THEN ' WITH NO DATA' ELSE '' END || ';',
       ARRAY['schema ' || n.nspname]
         || COALESCE((SELECT array_agg(DISTINCT CASE WHEN rc.relkind IN ('v', 'm') THEN 'view ' ELSE 'table ' END || rn.nspname || '.' || rc.relname)
                        FROM pg_rewrite rw JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                        JOIN pg_class rc ON d.refclassid = 'pg_class'::regclass AND rc.oid = d.refobjid
                        JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                       WHERE rw.ev_class = c.oid AND rc.oid <> c.oid AND @SCHEMA@.is_tracked_schema(rn.nspname)), ARRAY[]::text[])
         || COALESCE((SELECT array_agg(DISTINCT 'function ' || pn.nspname || '.' || @SCHEMA@.routine_identity(p.oid))
                        FROM pg_rewrite rw JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                        JOIN pg_proc p ON d.refclassid = 'pg_proc'::regclass AND p.oid = d.refobjid
                        JOIN pg_namespace pn ON pn.oid = p.pronamespace
                       WHERE rw.ev_class = c.oid AND @SCHEMA@.is_tracked_schema(pn.nspname)), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = c.oid AND classoid = 'pg_class'::regclass AND objsubid = 0),
       jsonb_build_object('materialized', c.relkind = 'm', 'owner', pg_get_userbyid(c.relowner)::text, 'acl', CASE WHEN c.relacl IS NOT NULL THEN @SCHEMA@.acl_delta(c.relacl, c.relowner, 'r') END,
                          'columnComments', (SELECT jsonb_object_agg(a.attname, d.description) FROM pg_description d
                                               JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
                                              WHERE d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid > 0),
                          'columnDefaults', (SELECT jsonb_object_agg(a.attname, pg_get_expr(ad.adbin, ad.adrelid)) FROM pg_attrdef ad
                                               JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
                                              WHERE ad.adrelid = c.oid),
                          'columnAcl', (SELECT NULLIF(jsonb_strip_nulls(jsonb_object_agg(a.attname, @SCHEMA@.acl_delta(a.attacl, c.relowner, 'c'))), '{}')
                                          FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND a.attacl IS NOT NULL)),
       c.oid, NULL::json
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('v', 'm') AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids c.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e');
