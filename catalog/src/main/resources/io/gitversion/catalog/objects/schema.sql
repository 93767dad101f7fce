-- The objects of kind schema: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
SELECT 'schema' AS kind, n.nspname AS schema, n.nspname AS name, n.nspname AS identity, NULL::text AS tbl,
       'CREATE SCHEMA ' || quote_ident(n.nspname) || ';' AS ddl, ARRAY[]::text[] AS deps,
       (SELECT description FROM pg_description WHERE objoid = n.oid AND classoid = 'pg_namespace'::regclass AND objsubid = 0) AS comment,
       jsonb_strip_nulls(jsonb_build_object('acl', CASE WHEN n.nspacl IS NOT NULL THEN @SCHEMA@.acl_delta(n.nspacl, n.nspowner, 'n') END,
                                            -- owned by whoever owns the database (PostgreSQL 15's public): the one owner
                                            -- that means the same in every database; a fact, outside the hash
                                            'databaseOwner', CASE WHEN pg_get_userbyid(n.nspowner) = 'pg_database_owner' THEN true END,
                                            'owner', pg_get_userbyid(n.nspowner)::text)) AS extra,
       n.oid, NULL::json
  FROM pg_namespace n
 WHERE @SCHEMA@.is_tracked_schema(n.nspname) AND n.nspname !~ '^pg_' /*@oids n.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e');
