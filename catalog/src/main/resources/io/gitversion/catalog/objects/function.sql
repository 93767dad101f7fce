-- The objects of kind function: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
-- functions, procedures and aggregates (which pg_get_functiondef does not deparse: aggregate_def, snapshot.sql)
SELECT 'function', n.nspname, p.proname, @SCHEMA@.routine_identity(p.oid), NULL,
       CASE WHEN p.prokind = 'a' THEN @SCHEMA@.aggregate_def(p.oid) ELSE pg_get_functiondef(p.oid) || ';' END,
       ARRAY['schema ' || n.nspname]
         -- the types of its arguments and result; a table's or a view's row type is that table or view (made first)
         || COALESCE((SELECT array_agg(DISTINCT CASE WHEN tr.relkind IN ('r', 'p') THEN 'table ' WHEN tr.relkind IN ('v', 'm') THEN 'view '
                                                     ELSE 'type ' END || tn.nspname || '.' || tt.typname)
                        FROM pg_depend d JOIN pg_type tt ON d.refclassid = 'pg_type'::regclass AND tt.oid = d.refobjid
                        JOIN pg_namespace tn ON tn.oid = tt.typnamespace LEFT JOIN pg_class tr ON tr.oid = tt.typrelid
                       WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND @SCHEMA@.is_tracked_schema(tn.nspname)), ARRAY[]::text[])
         || COALESCE((SELECT array_agg(DISTINCT 'function ' || rn.nspname || '.' || @SCHEMA@.routine_identity(rp.oid))
                        FROM pg_depend d JOIN pg_proc rp ON d.refclassid = 'pg_proc'::regclass AND rp.oid = d.refobjid
                        JOIN pg_namespace rn ON rn.oid = rp.pronamespace
                       WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND rp.oid <> p.oid AND @SCHEMA@.is_tracked_schema(rn.nspname)), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = p.oid AND classoid = 'pg_proc'::regclass AND objsubid = 0),
       jsonb_build_object('owner', pg_get_userbyid(p.proowner)::text, 'acl', CASE WHEN p.proacl IS NOT NULL THEN @SCHEMA@.acl_delta(p.proacl, p.proowner, 'f') END, 'prokind', p.prokind::text, 'returns', pg_get_function_result(p.oid), 'arguments', pg_get_function_arguments(p.oid),
                          -- an aggregate of no arguments is named name(*) by DROP, ALTER and COMMENT
                          'signature', quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
                            || CASE WHEN p.prokind = 'a' AND p.pronargs = 0 THEN '*' ELSE pg_get_function_identity_arguments(p.oid) END || ')'),
       p.oid, NULL::json
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE p.prokind IN ('f', 'p', 'a') AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids p.oid*/
   -- extension members, and the constructors PostgreSQL makes for a range type (internal to the type)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'));
