-- The whole-database inspection: one set-returning query per object kind, each returning the same columns:
--   kind, schema, name, identity (unique within kind and schema), tbl (owning table, or null), ddl (the statement
--   that creates the object, as PostgreSQL itself deparses it; for tables the canonical CREATE TABLE), deps
--   (identities of objects this one must follow), comment, extra (kind-specific facts, jsonb), oid (the object's
--   OID, its identity across renames), snapshot (tables: their columns as json, else null).
-- SnapshotSql renders each query twice: for inspection (every object) and as a function of a list of OIDs for the
-- capture trigger, where a marker /*@oids EXPR*/ becomes "AND EXPR = ANY (oids)" and @RELS@ (the tables whose
-- snapshots are taken) becomes oids, a plain parameter, so that relation_snapshots() is inlined into the plan;
-- @SCHEMA@ is where snapshot.sql is.
-- Both add the canonical text (snapshot.sql's canonical()) to each row.
-- Extension members are never listed (the extension is). Queries are separated by "-- query: NAME" lines.
-- Comments are read from pg_description directly: obj_description() is a SQL function call per row, ten times slower.

-- query: schema
SELECT 'schema' AS kind, n.nspname AS schema, n.nspname AS name, n.nspname AS identity, NULL::text AS tbl,
       'CREATE SCHEMA ' || quote_ident(n.nspname) || ';' AS ddl, ARRAY[]::text[] AS deps,
       (SELECT description FROM pg_description WHERE objoid = n.oid AND classoid = 'pg_namespace'::regclass AND objsubid = 0) AS comment,
       jsonb_strip_nulls(jsonb_build_object('acl', CASE WHEN n.nspacl IS NOT NULL THEN @SCHEMA@.acl_delta(n.nspacl, n.nspowner, 'n') END)) AS extra,
       n.oid, NULL::json
  FROM pg_namespace n
 WHERE @SCHEMA@.is_tracked_schema(n.nspname) AND n.nspname !~ '^pg_' /*@oids n.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e');

-- query: extension
SELECT 'extension', n.nspname, e.extname, e.extname, NULL,
       'CREATE EXTENSION IF NOT EXISTS ' || quote_ident(e.extname) || ' WITH SCHEMA ' || quote_ident(n.nspname)
         || ' VERSION ' || quote_literal(e.extversion) || ';',
       ARRAY['schema ' || n.nspname], (SELECT description FROM pg_description WHERE objoid = e.oid AND classoid = 'pg_extension'::regclass AND objsubid = 0),
       jsonb_build_object('version', e.extversion),
       e.oid, NULL::json
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname <> 'plpgsql' /*@oids e.oid*/;

-- query: type
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
       jsonb_build_object('acl', CASE WHEN t.typacl IS NOT NULL THEN @SCHEMA@.acl_delta(t.typacl, t.typowner, 'T') END, 'typtype', t.typtype,
                          'attributes', CASE WHEN t.typtype = 'c' THEN (SELECT jsonb_agg(jsonb_build_array(a.attname, format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
                                          FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END,
                          'labels', (SELECT jsonb_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)),
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

-- query: sequence
SELECT 'sequence', n.nspname, c.relname, c.relname, NULL,
       'CREATE ' || CASE c.relpersistence WHEN 'u' THEN 'UNLOGGED ' ELSE '' END || 'SEQUENCE ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
         || ' AS ' || format_type(s.seqtypid, NULL) || ' INCREMENT BY ' || s.seqincrement || ' MINVALUE ' || s.seqmin
         || ' MAXVALUE ' || s.seqmax || ' START WITH ' || s.seqstart || ' CACHE ' || s.seqcache
         || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END || ';',
       ARRAY['schema ' || n.nspname],
       (SELECT description FROM pg_description WHERE objoid = c.oid AND classoid = 'pg_class'::regclass AND objsubid = 0),
       jsonb_build_object('acl', CASE WHEN c.relacl IS NOT NULL THEN @SCHEMA@.acl_delta(c.relacl, c.relowner, 's') END, 'ownedBy', (SELECT quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) || '.' || quote_ident(a.attname)
                                         FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                                         JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                                          AND d.deptype = 'a' LIMIT 1)),
       c.oid, NULL::json
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
 WHERE c.relkind = 'S' AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids c.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'i'));

-- query: table
SELECT 'table', n.nspname, c.relname, c.relname, NULL, snap.definition,
       ARRAY['schema ' || n.nspname]
         || COALESCE((SELECT array_agg('table ' || pn.nspname || '.' || p.relname ORDER BY i.inhseqno)
                        FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
                       WHERE i.inhrelid = c.oid), ARRAY[]::text[])
         || COALESCE(coltypes.deps, ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = c.oid AND classoid = 'pg_class'::regclass AND objsubid = 0),
       jsonb_build_object(
         'partitionKey', CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
         'partitionOf', (SELECT quote_ident(pn.nspname) || '.' || quote_ident(p.relname) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                          JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid AND c.relispartition),
         'partitionBound', CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, 0) END,
         'inherits', (SELECT jsonb_agg(quote_ident(pn.nspname) || '.' || quote_ident(p.relname) ORDER BY i.inhseqno)
                        FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
                       WHERE i.inhrelid = c.oid AND NOT c.relispartition),
         'rls', c.relrowsecurity, 'forceRls', c.relforcerowsecurity,
         'acl', CASE WHEN c.relacl IS NOT NULL THEN @SCHEMA@.acl_delta(c.relacl, c.relowner, 'r') END,
         'replicaIdentity', c.relreplident::text,
         'replicaIdentityIndex', (SELECT ri.relname FROM pg_index rx JOIN pg_class ri ON ri.oid = rx.indexrelid
                                   WHERE rx.indrelid = c.oid AND rx.indisreplident AND c.relreplident = 'i'),
         'options', c.reloptions,
         'columnComments', (SELECT jsonb_object_agg(a.attname, d.description) FROM pg_description d
                              JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
                             WHERE d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid > 0),
         'localColumns', attrs.local_columns, 'columnAcl', attrs.column_acl),
       c.oid, snap.snapshot
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN @SCHEMA@.relation_snapshots(@RELS@) snap ON snap.rel = c.oid
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

-- query: constraint
SELECT 'constraint', n.nspname, co.conname, t.relname || '.' || co.conname, t.relname,
       'ALTER TABLE ' || quote_ident(n.nspname) || '.' || quote_ident(t.relname) || ' ADD CONSTRAINT ' || quote_ident(co.conname)
         || ' ' || def.definition || ';',
       ARRAY['table ' || n.nspname || '.' || t.relname]
         || CASE WHEN co.contype = 'f' THEN ARRAY['table ' || fn.nspname || '.' || ft.relname] ELSE ARRAY[]::text[] END
         -- what its index is attached to: the parent's key, or a plain index of the parent (PostgreSQL drops it with it)
         || CASE WHEN co.conparentid <> 0 THEN ARRAY['constraint ' || pn.nspname || '.' || pt.relname || '.' || pco.conname]
                 WHEN pc.oid IS NOT NULL THEN ARRAY['index ' || pn.nspname || '.' || pc.relname] ELSE ARRAY[]::text[] END,
       (SELECT description FROM pg_description WHERE objoid = co.oid AND classoid = 'pg_constraint'::regclass AND objsubid = 0),
       jsonb_build_object('type', co.contype::text, 'validated', co.convalidated, 'definition', def.definition,
                          'indexComment', icd.description, 'indexName', ic.relname,
                          'parentIndex', quote_ident(pn.nspname) || '.' || quote_ident(pc.relname), 'clustered', ix.indisclustered,
                          'replicaIdentity', ix.indisreplident),
       co.oid, NULL::json
  FROM pg_constraint co
  JOIN pg_class t ON t.oid = co.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
  LEFT JOIN pg_class ft ON ft.oid = co.confrelid LEFT JOIN pg_namespace fn ON fn.oid = ft.relnamespace
  -- the index of a key, unique or exclusion constraint: its name, comment, clustering and the index it is a partition
  -- of (joined, not four subqueries per constraint: a third of this query's time at 10,000 tables)
  LEFT JOIN pg_class ic ON ic.oid = co.conindid AND co.contype IN ('p', 'u', 'x')
  LEFT JOIN pg_index ix ON ix.indexrelid = ic.oid
  LEFT JOIN pg_description icd ON icd.objoid = ic.oid AND icd.classoid = 'pg_class'::regclass AND icd.objsubid = 0
  LEFT JOIN pg_inherits inh ON inh.inhrelid = ic.oid
  LEFT JOIN pg_class pc ON pc.oid = inh.inhparent LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
  LEFT JOIN pg_constraint pco ON pco.oid = co.conparentid LEFT JOIN pg_class pt ON pt.oid = pco.conrelid
  CROSS JOIN LATERAL (SELECT pg_get_constraintdef(co.oid) AS definition) def
 WHERE t.relkind IN ('r', 'p') AND @SCHEMA@.is_tracked_schema(n.nspname)
   -- a partition's key that belongs to its parent's is an object of its own (pg_dump writes it by name and attaches
   -- it): its name is the partition's, and another history can give it another one; a partition's foreign key that
   -- belongs to its parent's is made with it, and an inherited check is the parent's
   AND (co.conislocal AND co.conparentid = 0 OR co.conparentid <> 0 AND co.contype IN ('p', 'u', 'x'))
   AND co.contype IN ('p', 'u', 'c', 'f', 'x') /*@oids co.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e');

-- query: index
SELECT 'index', n.nspname, ic.relname, ic.relname, t.relname,
       pg_get_indexdef(i.indexrelid) || ';',
       ARRAY[CASE t.relkind WHEN 'm' THEN 'view ' ELSE 'table ' END || n.nspname || '.' || t.relname]
         || COALESCE((SELECT array_agg('index ' || pn.nspname || '.' || pc.relname) FROM pg_inherits inh
                        JOIN pg_class pc ON pc.oid = inh.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                       WHERE inh.inhrelid = ic.oid), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = ic.oid AND classoid = 'pg_class'::regclass AND objsubid = 0),
       jsonb_build_object('clustered', i.indisclustered, 'replicaIdentity', i.indisreplident,
                          'parentIndex', (SELECT quote_ident(pn.nspname) || '.' || quote_ident(pc.relname) FROM pg_inherits inh
                                           JOIN pg_class pc ON pc.oid = inh.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                                          WHERE inh.inhrelid = ic.oid)),
       i.indexrelid, NULL::json
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE t.relkind IN ('r', 'p', 'm') AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids i.indexrelid*/
   AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x') AND co.conrelid = t.oid)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e');

-- query: view
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
       jsonb_build_object('materialized', c.relkind = 'm', 'acl', CASE WHEN c.relacl IS NOT NULL THEN @SCHEMA@.acl_delta(c.relacl, c.relowner, 'r') END,
                          'columnComments', (SELECT jsonb_object_agg(a.attname, d.description) FROM pg_description d
                                               JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
                                              WHERE d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid > 0)),
       c.oid, NULL::json
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('v', 'm') AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids c.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e');

-- query: function
-- functions, procedures and aggregates (which pg_get_functiondef does not deparse: aggregate_def, snapshot.sql)
SELECT 'function', n.nspname, p.proname, @SCHEMA@.routine_identity(p.oid), NULL,
       CASE WHEN p.prokind = 'a' THEN @SCHEMA@.aggregate_def(p.oid) ELSE pg_get_functiondef(p.oid) || ';' END,
       ARRAY['schema ' || n.nspname]
         || COALESCE((SELECT array_agg(DISTINCT 'type ' || tn.nspname || '.' || tt.typname)
                        FROM pg_depend d JOIN pg_type tt ON d.refclassid = 'pg_type'::regclass AND tt.oid = d.refobjid
                        JOIN pg_namespace tn ON tn.oid = tt.typnamespace
                       WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND @SCHEMA@.is_tracked_schema(tn.nspname)), ARRAY[]::text[])
         || COALESCE((SELECT array_agg(DISTINCT 'function ' || rn.nspname || '.' || @SCHEMA@.routine_identity(rp.oid))
                        FROM pg_depend d JOIN pg_proc rp ON d.refclassid = 'pg_proc'::regclass AND rp.oid = d.refobjid
                        JOIN pg_namespace rn ON rn.oid = rp.pronamespace
                       WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND rp.oid <> p.oid AND @SCHEMA@.is_tracked_schema(rn.nspname)), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = p.oid AND classoid = 'pg_proc'::regclass AND objsubid = 0),
       jsonb_build_object('acl', CASE WHEN p.proacl IS NOT NULL THEN @SCHEMA@.acl_delta(p.proacl, p.proowner, 'f') END, 'prokind', p.prokind::text, 'returns', pg_get_function_result(p.oid), 'arguments', pg_get_function_arguments(p.oid),
                          -- an aggregate of no arguments is named name(*) by DROP, ALTER and COMMENT
                          'signature', quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
                            || CASE WHEN p.prokind = 'a' AND p.pronargs = 0 THEN '*' ELSE pg_get_function_identity_arguments(p.oid) END || ')'),
       p.oid, NULL::json
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE p.prokind IN ('f', 'p', 'a') AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids p.oid*/
   -- extension members, and the constructors PostgreSQL makes for a range type (internal to the type)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'));

-- query: trigger
SELECT 'trigger', n.nspname, tg.tgname, c.relname || '.' || tg.tgname, c.relname,
       pg_get_triggerdef(tg.oid) || ';',
       ARRAY[CASE WHEN c.relkind IN ('v', 'm') THEN 'view ' ELSE 'table ' END || n.nspname || '.' || c.relname,
             'function ' || pn.nspname || '.' || @SCHEMA@.routine_identity(p.oid)],
       (SELECT description FROM pg_description WHERE objoid = tg.oid AND classoid = 'pg_trigger'::regclass AND objsubid = 0),
       jsonb_build_object('enabled', tg.tgenabled::text),
       tg.oid, NULL::json
  FROM pg_trigger tg
  JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_proc p ON p.oid = tg.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
 WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids tg.oid*/;

-- query: rule
SELECT 'rule', n.nspname, r.rulename, c.relname || '.' || r.rulename, c.relname,
       pg_get_ruledef(r.oid),
       ARRAY[CASE WHEN c.relkind IN ('v', 'm') THEN 'view ' ELSE 'table ' END || n.nspname || '.' || c.relname],
       (SELECT description FROM pg_description WHERE objoid = r.oid AND classoid = 'pg_rewrite'::regclass AND objsubid = 0), '{}'::jsonb,
       r.oid, NULL::json
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE r.rulename <> '_RETURN' AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids r.oid*/;

-- query: policy
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

-- query: collation
SELECT 'collation', n.nspname, co.collname, co.collname, NULL,
       'CREATE COLLATION ' || quote_ident(n.nspname) || '.' || quote_ident(co.collname) || ' (provider = '
         || CASE co.collprovider WHEN 'i' THEN 'icu' ELSE 'libc' END
         || CASE WHEN co.collprovider = 'i'
                 THEN ', locale = ' || quote_literal(COALESCE(to_jsonb(co) ->> 'colllocale', to_jsonb(co) ->> 'colliculocale', ''))
                 ELSE ', lc_collate = ' || quote_literal(COALESCE(co.collcollate, '')) || ', lc_ctype = ' || quote_literal(COALESCE(co.collctype, '')) END
         || CASE WHEN NOT co.collisdeterministic THEN ', deterministic = false' ELSE '' END || ');',
       ARRAY['schema ' || n.nspname], (SELECT description FROM pg_description WHERE objoid = co.oid AND classoid = 'pg_collation'::regclass AND objsubid = 0), '{}'::jsonb,
       co.oid, NULL::json
  FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
 WHERE @SCHEMA@.is_tracked_schema(n.nspname) /*@oids co.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_collation'::regclass AND d.objid = co.oid AND d.deptype = 'e');
