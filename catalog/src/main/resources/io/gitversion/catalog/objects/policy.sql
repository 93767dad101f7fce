-- The objects of kind policy: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
SELECT 'policy', n.nspname, pol.polname, c.relname || '.' || pol.polname, c.relname,
       'CREATE POLICY ' || quote_ident(pol.polname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
         || ' AS ' || CASE WHEN pol.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END
         || ' FOR ' || CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END
         || ' TO ' || COALESCE((SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END, ', ' ORDER BY 1)
                                  FROM unnest(pol.polroles) r), 'PUBLIC')
         || COALESCE(' USING (' || pg_get_expr(pol.polqual, pol.polrelid) || ')', '')
         || COALESCE(' WITH CHECK (' || pg_get_expr(pol.polwithcheck, pol.polrelid) || ')', '') || ';',
       ARRAY['table ' || n.nspname || '.' || c.relname],
       (SELECT description FROM pg_description WHERE objoid = pol.oid AND classoid = 'pg_policy'::regclass AND objsubid = 0), '{}'::jsonb,
       pol.oid, NULL::json
  FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE @SCHEMA@.is_tracked_schema(n.nspname) /*@oids pol.oid*/;
