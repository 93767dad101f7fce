-- The objects of kind index: the columns every query of objects/ returns, and its markers, are described in
-- SnapshotSql.
SELECT 'index', n.nspname, ic.relname, ic.relname, t.relname,
       -- a plain index (columns only, each with its default operator class, collation and order; not unique, so that
       -- NULLS NOT DISTINCT cannot apply) is written here exactly as pg_get_indexdef writes it, at a third of its cost
       -- in a new session (its cache lookups); any other by pg_get_indexdef. CatalogIT compares the two on every kind.
       CASE WHEN plain.columns IS NOT NULL AND i.indexprs IS NULL AND i.indpred IS NULL AND ic.reloptions IS NULL
                 AND NOT i.indisunique AND i.indnatts = i.indnkeyatts AND t.relkind IN ('r', 'm')
            THEN 'CREATE INDEX ' || quote_ident(ic.relname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(t.relname)
                 || ' USING ' || quote_ident(am.amname) || ' (' || plain.columns || ')'
            ELSE pg_get_indexdef(i.indexrelid) END || ';',
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
  JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
  JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
  -- its key columns by name, when every one is a plain column in the default way (else null)
  CROSS JOIN LATERAL (
    SELECT CASE WHEN bool_and(k.opt = 0 AND k.coll = a.attcollation
                              AND EXISTS (SELECT 1 FROM pg_opclass oc WHERE oc.oid = k.cls AND oc.opcdefault AND oc.opcintype = a.atttypid)
                              AND NOT EXISTS (SELECT 1 FROM pg_attribute ia WHERE ia.attrelid = i.indexrelid AND ia.attnum = k.n
                                                 AND ia.attoptions IS NOT NULL))
                THEN string_agg(quote_ident(a.attname), ', ' ORDER BY k.n) END AS columns
      FROM unnest(i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[], i.indoption::int2[]) WITH ORDINALITY AS k(att, cls, coll, opt, n)
      LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.att AND k.att > 0) plain
 WHERE t.relkind IN ('r', 'p', 'm') AND @SCHEMA@.is_tracked_schema(n.nspname) /*@oids i.indexrelid*/
   AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x') AND co.conrelid = t.oid)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e');
