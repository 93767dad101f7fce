-- The objects of kind extension: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
SELECT 'extension', n.nspname, e.extname, e.extname, NULL,
       'CREATE EXTENSION IF NOT EXISTS ' || quote_ident(e.extname) || ' WITH SCHEMA ' || quote_ident(n.nspname)
         || ' VERSION ' || quote_literal(e.extversion) || ';',
       ARRAY['schema ' || n.nspname], (SELECT description FROM pg_description WHERE objoid = e.oid AND classoid = 'pg_extension'::regclass AND objsubid = 0),
       jsonb_build_object('version', e.extversion),
       e.oid, NULL::json
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname <> 'plpgsql' /*@oids e.oid*/;
