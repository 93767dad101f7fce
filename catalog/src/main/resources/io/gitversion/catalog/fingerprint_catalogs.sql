-- The catalogs of the current database that a fingerprint reads (fingerprint.sql, Fingerprint.java): every table of
-- pg_catalog that is not shared between databases, except those that hold data and statistics rather than
-- definitions (ANALYZE and large objects write them; no hash reads them); and which of their rows it leaves out:
-- the schemas of temporary objects, which a session that uses one makes once and keeps (an inspecting session
-- does, for its functions; no hash reads them).
SELECT c.relname,
       CASE c.relname WHEN 'pg_namespace' THEN 'nspname !~ ''^pg_(toast_)?temp_''' END AS rows_left_out
  FROM pg_catalog.pg_class c
 WHERE c.relnamespace = 'pg_catalog'::pg_catalog.regnamespace
   AND c.relkind = 'r'
   AND NOT c.relisshared
   AND c.relname NOT IN ('pg_statistic', 'pg_statistic_ext_data', 'pg_largeobject')
 ORDER BY c.relname
