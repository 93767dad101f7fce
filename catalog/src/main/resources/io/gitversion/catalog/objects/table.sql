-- The objects of kind table: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
SELECT 'table', n.nspname, c.relname, c.relname, NULL, snap.definition,
       ARRAY['schema ' || n.nspname]
         || COALESCE(parents.deps, ARRAY[]::text[])
         || COALESCE(coltypes.deps, ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = c.oid AND classoid = 'pg_class'::regclass AND objsubid = 0),
       jsonb_build_object(
         'partitionKey', CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
         'partitionOf', CASE WHEN c.relispartition THEN parents.names ->> 0 END,
         'partitionBound', CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, 0) END,
         'inherits', CASE WHEN NOT c.relispartition THEN parents.names END,
         'rls', c.relrowsecurity, 'forceRls', c.relforcerowsecurity, 'owner', pg_get_userbyid(c.relowner)::text,
         'acl', CASE WHEN c.relacl IS NOT NULL THEN @SCHEMA@.acl_delta(c.relacl, c.relowner, 'r') END,
         'replicaIdentity', c.relreplident::text,
         'replicaIdentityIndex', CASE WHEN c.relreplident = 'i' THEN (SELECT ri.relname FROM pg_index rx JOIN pg_class ri ON ri.oid = rx.indexrelid
                                                                     WHERE rx.indrelid = c.oid AND rx.indisreplident) END,
         'options', c.reloptions,
         'columnComments', (SELECT jsonb_object_agg(a.attname, d.description) FROM pg_description d
                              JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
                             WHERE d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid > 0),
         'localColumns', attrs.local_columns, 'columnAcl', attrs.column_acl),
       c.oid, snap.snapshot
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN @SCHEMA@.relation_snapshots(@RELS@) snap ON snap.rel = c.oid
  -- its parents (inheritance, or the table it is a partition of), in order: one scan for the three uses
  CROSS JOIN LATERAL (
    SELECT array_agg('table ' || pn.nspname || '.' || p.relname ORDER BY i.inhseqno) AS deps,
           jsonb_agg(quote_ident(pn.nspname) || '.' || quote_ident(p.relname) ORDER BY i.inhseqno) AS names
      FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
     WHERE i.inhrelid = c.oid) parents
  -- columns not inherited, and column privileges (acl_delta per column, only where a column has any), in one scan
  CROSS JOIN LATERAL (
    SELECT jsonb_agg(a.attname) FILTER (WHERE a.attislocal) AS local_columns,
           NULLIF(jsonb_strip_nulls(jsonb_object_agg(a.attname, @SCHEMA@.acl_delta(a.attacl, c.relowner, 'c'))
                                      FILTER (WHERE a.attacl IS NOT NULL)), '{}') AS column_acl
      FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) attrs
  -- the tracked types of each table's columns, in one pass (a subquery per table scans pg_type each time)
  LEFT JOIN (SELECT a.attrelid, array_agg(DISTINCT 'type ' || tn.nspname || '.' || tt.typname) AS deps
               FROM pg_attribute a JOIN pg_type tt ON tt.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = tt.typnamespace
              WHERE a.attnum > 0 AND @SCHEMA@.is_tracked_schema(tn.nspname) /*@oids a.attrelid*/
              GROUP BY a.attrelid) coltypes ON coltypes.attrelid = c.oid
 WHERE c.relkind IN ('r', 'p') AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids c.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e');
