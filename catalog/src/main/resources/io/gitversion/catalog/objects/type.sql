-- The objects of kind type: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
SELECT 'type', n.nspname, t.typname, t.typname, NULL,
       CASE t.typtype
         WHEN 'e' THEN 'CREATE TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' AS ENUM ('
              || COALESCE((SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                             FROM pg_enum e WHERE e.enumtypid = t.oid), '') || ');'
         WHEN 'd' THEN 'CREATE DOMAIN ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' AS '
              || format_type(t.typbasetype, t.typtypmod)
              || CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation
                      THEN ' COLLATE ' || quote_ident(cn.nspname) || '.' || quote_ident(co.collname) ELSE '' END
              || COALESCE(' DEFAULT ' || t.typdefault, '')
              || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
              || COALESCE((SELECT string_agg(' CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid), '' ORDER BY c.conname)
                             FROM pg_constraint c WHERE c.contypid = t.oid), '') || ';'
         WHEN 'c' THEN 'CREATE TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' AS ('
              || COALESCE((SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                                  || CASE WHEN a.attcollation <> at.typcollation THEN ' COLLATE ' || quote_ident(acn.nspname) || '.' || quote_ident(aco.collname) ELSE '' END,
                                  ', ' ORDER BY a.attnum)
                             FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
                             LEFT JOIN pg_collation aco ON aco.oid = a.attcollation LEFT JOIN pg_namespace acn ON acn.oid = aco.collnamespace
                            WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ');'
         WHEN 'r' THEN 'CREATE TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' AS RANGE (SUBTYPE = '
              || format_type(r.rngsubtype, NULL)
              || CASE WHEN r.rngsubopc <> 0 AND NOT opc.opcdefault THEN ', SUBTYPE_OPCLASS = ' || quote_ident(opcn.nspname) || '.' || quote_ident(opc.opcname) ELSE '' END
              || CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN ', COLLATION = ' || quote_ident(rcn.nspname) || '.' || quote_ident(rco.collname) ELSE '' END
              || CASE WHEN r.rngcanonical <> 0 THEN ', CANONICAL = ' || r.rngcanonical::regproc::text ELSE '' END
              || CASE WHEN r.rngsubdiff <> 0 THEN ', SUBTYPE_DIFF = ' || r.rngsubdiff::regproc::text ELSE '' END
              || CASE WHEN mt.oid IS NOT NULL THEN ', MULTIRANGE_TYPE_NAME = ' || quote_ident(mn.nspname) || '.' || quote_ident(mt.typname) ELSE '' END
              || ');'
       END,
       ARRAY['schema ' || n.nspname] || COALESCE((SELECT array_agg(DISTINCT 'type ' || dn.nspname || '.' || dt.typname)
                      FROM pg_depend d JOIN pg_type dt ON d.refclassid = 'pg_type'::regclass AND dt.oid = d.refobjid
                      JOIN pg_namespace dn ON dn.oid = dt.typnamespace
                     WHERE ((d.classid = 'pg_type'::regclass AND d.objid = t.oid) OR (d.classid = 'pg_class'::regclass AND d.objid = t.typrelid))
                       AND d.deptype = 'n' AND dt.oid <> t.oid AND @SCHEMA@.is_tracked_schema(dn.nspname)), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = t.oid AND classoid = 'pg_type'::regclass AND objsubid = 0),
       jsonb_build_object('owner', pg_get_userbyid(t.typowner)::text, 'acl', CASE WHEN t.typacl IS NOT NULL THEN @SCHEMA@.acl_delta(t.typacl, t.typowner, 'T') END, 'typtype', t.typtype,
                          'attributes', CASE WHEN t.typtype = 'c' THEN (SELECT jsonb_agg(jsonb_build_array(a.attname, format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
                                          FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END,
                          'labels', (SELECT jsonb_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
                          -- a domain's parts that ALTER DOMAIN changes one by one (its NOT NULL apart from its checks)
                          'domain', CASE WHEN t.typtype = 'd' THEN jsonb_build_object(
                            'base', format_type(t.typbasetype, t.typtypmod)
                                    || CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation
                                            THEN ' COLLATE ' || quote_ident(cn.nspname) || '.' || quote_ident(co.collname) ELSE '' END,
                            'default', t.typdefault, 'notNull', t.typnotnull,
                            'checks', (SELECT jsonb_object_agg(c.conname, pg_get_constraintdef(c.oid)) FROM pg_constraint c
                                        WHERE c.contypid = t.oid AND c.contype = 'c')) END),
       t.oid, NULL::json
  FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
  LEFT JOIN pg_collation co ON co.oid = t.typcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
  LEFT JOIN pg_range r ON r.rngtypid = t.oid
  LEFT JOIN pg_type st ON st.oid = r.rngsubtype
  LEFT JOIN pg_opclass opc ON opc.oid = r.rngsubopc LEFT JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace
  LEFT JOIN pg_collation rco ON rco.oid = r.rngcollation LEFT JOIN pg_namespace rcn ON rcn.oid = rco.collnamespace
  LEFT JOIN pg_type mt ON mt.oid = r.rngmultitypid LEFT JOIN pg_namespace mn ON mn.oid = mt.typnamespace
 WHERE @SCHEMA@.is_tracked_schema(n.nspname) /*@oids t.oid*/
   AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e');
