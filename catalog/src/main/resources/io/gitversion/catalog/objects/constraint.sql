-- The objects of kind constraint: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
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
  -- a primary key on a b-tree index without INCLUDE columns is written here exactly as pg_get_constraintdef writes
  -- it, at a fraction of its cost in a new session (its cache lookups); any other constraint by pg_get_constraintdef.
  -- CatalogIT compares the two.
  CROSS JOIN LATERAL (
    SELECT CASE WHEN co.contype = 'p' AND ix.indnatts = ix.indnkeyatts AND ic.relam = (SELECT oid FROM pg_am WHERE amname = 'btree')
                THEN 'PRIMARY KEY (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
                                           FROM unnest(co.conkey) WITH ORDINALITY AS k(att, n)
                                           JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.att) || ')'
                     || CASE WHEN co.condeferrable THEN ' DEFERRABLE' ELSE '' END
                     || CASE WHEN co.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END
                     || CASE WHEN co.convalidated THEN '' ELSE ' NOT VALID' END
                ELSE pg_get_constraintdef(co.oid) END AS definition
     OFFSET 0) def -- computed once: without OFFSET 0 the planner copies it into each of its two uses
 WHERE t.relkind IN ('r', 'p') AND @SCHEMA@.is_tracked_schema(n.nspname)
   -- a partition's key that belongs to its parent's is an object of its own (pg_dump writes it by name and attaches
   -- it): its name is the partition's, and another history can give it another one; a partition's foreign key that
   -- belongs to its parent's is made with it, and an inherited check is the parent's
   AND (co.conislocal AND co.conparentid = 0 OR co.conparentid <> 0 AND co.contype IN ('p', 'u', 'x'))
   AND co.contype IN ('p', 'u', 'c', 'f', 'x') /*@oids co.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e');
