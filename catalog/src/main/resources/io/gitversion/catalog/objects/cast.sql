-- The objects of kind cast (user-defined: PostgreSQL's own have OIDs below 16384): the columns every query of
-- objects/ returns, and its markers, are described in SnapshotSql. No schema; the identity is its two types.
SELECT 'cast', NULL::name, format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL),
       '(' || format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL) || ')', NULL,
       'CREATE CAST (' || format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL) || ') '
         || CASE c.castmethod WHEN 'f' THEN 'WITH FUNCTION ' || c.castfunc::regprocedure::text
                              WHEN 'i' THEN 'WITH INOUT' ELSE 'WITHOUT FUNCTION' END
         || CASE c.castcontext WHEN 'a' THEN ' AS ASSIGNMENT' WHEN 'i' THEN ' AS IMPLICIT' ELSE '' END || ';',
       COALESCE((SELECT array_agg('function ' || pn.nspname || '.' || @SCHEMA@.routine_identity(p.oid))
                   FROM pg_proc p JOIN pg_namespace pn ON pn.oid = p.pronamespace
                  WHERE p.oid = c.castfunc AND @SCHEMA@.is_tracked_schema(pn.nspname)), ARRAY[]::text[])
         || COALESCE((SELECT array_agg('type ' || tn.nspname || '.' || t.typname) FROM pg_type t JOIN pg_namespace tn ON tn.oid = t.typnamespace
                       WHERE t.oid IN (c.castsource, c.casttarget) AND @SCHEMA@.is_tracked_schema(tn.nspname)), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = c.oid AND classoid = 'pg_cast'::regclass AND objsubid = 0),
       '{}'::jsonb, c.oid, NULL::json
  FROM pg_cast c
 WHERE c.oid >= 16384 /*@oids c.oid*/
   -- an extension's, or one PostgreSQL makes with a type (a range's casts to its multirange)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_cast'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'i'));
