-- Catalog snapshots and the canonicalizer: the one SQL that reads an object's definition out of PostgreSQL's catalogs
-- and renders its canonical text. The capture trigger installs it into schema gitversion and calls it inside the
-- user's transaction; the inspector creates the same functions in pg_temp of its own session; the SQL interface in a
-- source (compute_ddl_hash, detect_changes_by_hash) uses it too. So the hash captured at the source, the hash the
-- source reports and the hash inspected anywhere are the same: SHA-256 of the same text. gitversion is replaced by the
-- target schema. search_path is pinned so that names are qualified the same way in every session.

-- No SET clause on this function and relation_snapshots: PostgreSQL then inlines them into the calling query, which
-- is planned once (a function with SET is planned anew at every call: most of a capture's cost). They refer to
-- pg_catalog only, which every search_path searches first; their callers pin search_path besides.
CREATE OR REPLACE FUNCTION gitversion.is_tracked_schema(nsp name) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  -- event triggers name a session's temporary schema 'pg_temp', the catalogs 'pg_temp_N'
  SELECT nsp NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'pg_temp', 'gitversion', 'gitversion_sync')
     AND nsp !~ '^pg_temp_' AND nsp !~ '^pg_toast_temp_'
$fn$;

-- An identifier, always quoted (the canonical text does not depend on which names happen to need quotes).
CREATE OR REPLACE FUNCTION gitversion.quoted(ident text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT '"' || pg_catalog.replace(ident, '"', '""') || '"'
$fn$;

-- One fact of a table's extra that is part of its definition, as a comment line; nothing when absent or false.
CREATE OR REPLACE FUNCTION gitversion.fact_line(extra jsonb, fact text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT CASE WHEN extra OPERATOR(pg_catalog.->>) fact IS NULL OR extra OPERATOR(pg_catalog.->>) fact = 'false' THEN ''
              ELSE E'\n-- ' || fact || ': ' || (extra OPERATOR(pg_catalog.->) fact)::text END
$fn$;

-- Privileges as a difference from PostgreSQL's defaults for the object's owner: '+role:PRIVILEGE' granted beyond
-- them, '-role:PRIVILEGE' revoked from them ('*' when grantable), sorted, separated by ', '. The owner's own entries
-- are left out, so the same grants made by different owners compare equal. Null when there is no difference.
CREATE OR REPLACE FUNCTION gitversion.acl_delta(acl aclitem[], owner oid, objtype "char") RETURNS text
LANGUAGE sql STABLE AS $fn$
  WITH now AS (SELECT e.grantee, e.privilege_type, e.is_grantable FROM pg_catalog.aclexplode(acl) e),
       dflt AS (SELECT e.grantee, e.privilege_type, e.is_grantable FROM pg_catalog.aclexplode(pg_catalog.acldefault(objtype, owner)) e),
       delta AS (SELECT '+' AS sign, a.* FROM (SELECT * FROM now EXCEPT SELECT * FROM dflt) a
                 UNION ALL
                 SELECT '-', r.* FROM (SELECT * FROM dflt EXCEPT SELECT * FROM now) r)
  SELECT pg_catalog.string_agg(d.entry, ', ' ORDER BY d.entry COLLATE "C")
    FROM (SELECT sign || CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(grantee)::text END || ':'
                 || privilege_type || CASE WHEN is_grantable THEN '*' ELSE '' END AS entry
            FROM delta WHERE grantee <> owner) d
$fn$;

-- The canonical text of an object (a row of objects.sql): its definition, the facts that are part of it (a
-- sequence's owning column too), an index's attachment and an inheriting table's own columns, its privileges (a
-- table's column privileges after its own), a view's column comments and its comment last (so that the planner can
-- compare definitions without them). Hashes are SHA-256 of this text.
-- Plain SQL without SET, so that PostgreSQL inlines it into the inspection queries.
CREATE OR REPLACE FUNCTION gitversion.canonical(kind text, ddl text, comment text, extra jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT ddl
      || CASE WHEN kind = 'table' THEN
              gitversion.fact_line(extra, 'partitionKey') || gitversion.fact_line(extra, 'partitionOf')
           || gitversion.fact_line(extra, 'partitionBound') || gitversion.fact_line(extra, 'inherits')
           || gitversion.fact_line(extra, 'rls') || gitversion.fact_line(extra, 'forceRls')
           || CASE WHEN extra OPERATOR(pg_catalog.->>) 'replicaIdentity' = 'd' THEN '' ELSE gitversion.fact_line(extra, 'replicaIdentity') END
           || gitversion.fact_line(extra, 'replicaIdentityIndex')
           || gitversion.fact_line(extra, 'options') || gitversion.fact_line(extra, 'columnComments')
         ELSE
              CASE WHEN extra OPERATOR(pg_catalog.->>) 'enabled' <> 'O' THEN E'\n-- enabled: ' || (extra OPERATOR(pg_catalog.->>) 'enabled') ELSE '' END
           || CASE WHEN extra OPERATOR(pg_catalog.->>) 'clustered' = 'true' THEN E'\n-- clustered' ELSE '' END
           || COALESCE(E'\n-- index comment: ' || (extra OPERATOR(pg_catalog.->>) 'indexComment'), '')
           || CASE WHEN kind = 'sequence' THEN COALESCE(E'\n-- owned by: ' || (extra OPERATOR(pg_catalog.->>) 'ownedBy'), '') ELSE '' END
         END
      -- facts that make a difference but that no statement of the definition states: which index an index or key is
      -- attached to (a partition of), and which of an inheriting table's columns are its own as well as inherited (a
      -- column that is not its own goes when the parent drops it). Before the privileges: the planner compares the
      -- definition without them, as an attachment changes by ALTER INDEX, never by re-creating.
      || CASE WHEN kind IN ('index', 'constraint') THEN COALESCE(E'\n-- attached to: ' || (extra OPERATOR(pg_catalog.->>) 'parentIndex'), '')
              WHEN kind = 'table' AND pg_catalog.jsonb_typeof(extra OPERATOR(pg_catalog.->) 'inherits') = 'array'
              THEN E'\n-- local columns: ' || COALESCE((extra OPERATOR(pg_catalog.->) 'localColumns')::text, '[]') ELSE '' END
      || COALESCE(E'\n-- privileges: ' || (extra OPERATOR(pg_catalog.->>) 'acl'), '')
      || CASE WHEN extra OPERATOR(pg_catalog.->>) 'columnAcl' IS NOT NULL
              THEN E'\n-- column privileges: ' || (extra OPERATOR(pg_catalog.->) 'columnAcl')::text ELSE '' END
      -- a view's column comments change by COMMENT ON COLUMN, never by re-creating it: after its definition, like its
      -- privileges (a table's are part of its definition, the planner compares its columns)
      || CASE WHEN kind = 'view' AND extra OPERATOR(pg_catalog.->>) 'columnComments' IS NOT NULL
              THEN E'\n-- column comments: ' || (extra OPERATOR(pg_catalog.->) 'columnComments')::text ELSE '' END
      || COALESCE(E'\n-- comment: ' || comment, '')
$fn$;

-- SHA-256 of a canonical text, lower-case hex (what the Java side computes of the same text). STABLE, as convert_to
-- is: PostgreSQL does not inline an IMMUTABLE function whose body is only STABLE, and a call not inlined costs a
-- SQL-function execution per object.
CREATE OR REPLACE FUNCTION gitversion.text_hash(canonical text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
  SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(canonical, 'UTF8')), 'hex')
$fn$;

-- Set-based, so that inspecting thousands of tables is one pass over the catalogs. json, not jsonb: built as text,
-- a third cheaper; a column's absent facts (no default, no identity, ...) are left out of its json. Also renders the
-- table's canonical definition: CREATE TABLE with every identifier quoted and the columns sorted by name (their order
-- of creation is history, not definition), statistics targets as comment lines.
CREATE OR REPLACE FUNCTION gitversion.relation_snapshots(rels oid[]) RETURNS TABLE (rel oid, snapshot json, definition text)
LANGUAGE sql STABLE AS $fn$
  WITH col AS (
    SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
           -- a default cannot reference columns: deparsed without opening the table (an order of magnitude faster)
           CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, 0) END AS default_expr,
           CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END AS generated,
           NULLIF(a.attidentity::text, '') AS identity,
           NULLIF(a.attstattarget, -1) AS statistics,
           CASE WHEN a.attidentity <> '' THEN
               (SELECT 'START WITH ' || sq.seqstart || ' INCREMENT BY ' || sq.seqincrement || ' MINVALUE ' || sq.seqmin
                       || ' MAXVALUE ' || sq.seqmax || ' CACHE ' || sq.seqcache || CASE WHEN sq.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END
                  FROM pg_depend dep JOIN pg_sequence sq ON sq.seqrelid = dep.objid
                 WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
                   AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i' LIMIT 1) END AS identity_options,
           CASE WHEN a.attcollation <> t.typcollation THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation
      FROM pg_attribute a
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      LEFT JOIN pg_collation co ON co.oid = a.attcollation
      LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
     WHERE a.attrelid = ANY (rels) AND a.attnum > 0 AND NOT a.attisdropped),
  cols AS (
    SELECT col.attrelid,
           -- written as text, keys of absent facts left out: json_build_object costs a type lookup per value, most of
           -- an inspection's time in this query
           ('[' || string_agg('{"num":' || col.attnum || ',"name":' || to_json(col.attname::text) || ',"type":' || to_json(col.type)
                              || ',"notNull":' || col.attnotnull
                              || COALESCE(',"default":' || to_json(col.default_expr), '')
                              || COALESCE(',"generated":' || to_json(col.generated), '')
                              || COALESCE(',"identity":' || to_json(col.identity), '')
                              || COALESCE(',"statistics":' || col.statistics, '')
                              || COALESCE(',"identityOptions":' || to_json(col.identity_options), '')
                              || COALESCE(',"collation":' || to_json(col.collation), '') || '}',
                              ',' ORDER BY col.attnum) || ']')::json AS columns,
           string_agg(gitversion.quoted(col.attname) || ' ' || col.type
                        || COALESCE(' COLLATE ' || col.collation, '')
                        || CASE WHEN col.generated IS NOT NULL THEN ' GENERATED ALWAYS AS (' || col.generated || ') STORED'
                                WHEN col.identity IS NOT NULL THEN ' GENERATED ' || CASE col.identity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END
                                     || ' AS IDENTITY' || COALESCE(' (' || col.identity_options || ')', '')
                                ELSE COALESCE(' DEFAULT ' || col.default_expr, '') END
                        || CASE WHEN col.attnotnull AND col.identity IS NULL THEN ' NOT NULL' ELSE '' END,
                      E',\n    ' ORDER BY col.attname COLLATE "C") AS column_lines,
           string_agg(E'\n-- statistics ' || gitversion.quoted(col.attname) || ' ' || col.statistics, '' ORDER BY col.attname COLLATE "C")
             AS statistics_lines
      FROM col
     GROUP BY col.attrelid)
  SELECT c.oid,
         json_build_object('kind', 'table', 'schema', n.nspname, 'name', c.relname, 'persistence', c.relpersistence::text,
                           'columns', COALESCE(cols.columns, '[]'::json)),
         'CREATE ' || CASE c.relpersistence WHEN 'u' THEN 'UNLOGGED ' ELSE '' END || 'TABLE '
           || gitversion.quoted(n.nspname) || '.' || gitversion.quoted(c.relname)
           || CASE WHEN cols.column_lines IS NULL THEN ' ();' ELSE E' (\n    ' || cols.column_lines || E'\n);' END
           || COALESCE(cols.statistics_lines, '')
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN cols ON cols.attrelid = c.oid
   WHERE c.oid = ANY (rels) AND c.relkind IN ('r', 'p')
$fn$;

-- One table's snapshot, as the capture trigger takes it.
CREATE OR REPLACE FUNCTION gitversion.relation_snapshot(rel oid) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT s.snapshot::jsonb FROM gitversion.relation_snapshots(ARRAY[rel]) s
$fn$;

-- The FINALFUNC options of aggregate_def (prefix M: those of its moving-aggregate mode).
CREATE OR REPLACE FUNCTION gitversion.aggregate_final(prefix text, fn regproc, extra boolean, modify "char") RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT CASE WHEN fn <> 0
              THEN E',\n    ' || prefix || 'FINALFUNC = ' || fn::text
                   || CASE WHEN extra THEN E',\n    ' || prefix || 'FINALFUNC_EXTRA' ELSE '' END
                   || E',\n    ' || prefix || 'FINALFUNC_MODIFY = '
                   || CASE modify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END
              ELSE '' END
$fn$;

-- An aggregate's definition, as CREATE OR REPLACE AGGREGATE (PostgreSQL has no pg_get_functiondef for aggregates):
-- every option pg_dump writes, in one order, support functions and types named as the search path above prints them.
CREATE OR REPLACE FUNCTION gitversion.aggregate_def(agg oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT 'CREATE OR REPLACE AGGREGATE ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
         || CASE WHEN p.pronargs = 0 AND a.aggkind = 'n' THEN '*' ELSE pg_get_function_arguments(p.oid) END
         || E') (\n    SFUNC = ' || a.aggtransfn::regproc::text || E',\n    STYPE = ' || format_type(a.aggtranstype, NULL)
         || CASE WHEN a.aggtransspace <> 0 THEN E',\n    SSPACE = ' || a.aggtransspace ELSE '' END
         || gitversion.aggregate_final('', a.aggfinalfn, a.aggfinalextra, a.aggfinalmodify)
         || CASE WHEN a.aggcombinefn <> 0 THEN E',\n    COMBINEFUNC = ' || a.aggcombinefn::regproc::text ELSE '' END
         || CASE WHEN a.aggserialfn <> 0 THEN E',\n    SERIALFUNC = ' || a.aggserialfn::regproc::text ELSE '' END
         || CASE WHEN a.aggdeserialfn <> 0 THEN E',\n    DESERIALFUNC = ' || a.aggdeserialfn::regproc::text ELSE '' END
         || CASE WHEN a.agginitval IS NOT NULL THEN E',\n    INITCOND = ' || quote_literal(a.agginitval) ELSE '' END
         || CASE WHEN a.aggmtransfn <> 0
                 THEN E',\n    MSFUNC = ' || a.aggmtransfn::regproc::text || E',\n    MINVFUNC = ' || a.aggminvtransfn::regproc::text
                      || E',\n    MSTYPE = ' || format_type(a.aggmtranstype, NULL)
                      || CASE WHEN a.aggmtransspace <> 0 THEN E',\n    MSSPACE = ' || a.aggmtransspace ELSE '' END
                      || gitversion.aggregate_final('M', a.aggmfinalfn, a.aggmfinalextra, a.aggmfinalmodify)
                      || CASE WHEN a.aggminitval IS NOT NULL THEN E',\n    MINITCOND = ' || quote_literal(a.aggminitval) ELSE '' END
                 ELSE '' END
         || COALESCE((SELECT E',\n    SORTOP = OPERATOR(' || quote_ident(opn.nspname) || '.' || o.oprname || ')'
                        FROM pg_operator o JOIN pg_namespace opn ON opn.oid = o.oprnamespace WHERE o.oid = a.aggsortop), '')
         || CASE p.proparallel WHEN 's' THEN E',\n    PARALLEL = SAFE' WHEN 'r' THEN E',\n    PARALLEL = RESTRICTED' ELSE '' END
         || CASE WHEN a.aggkind = 'h' THEN E',\n    HYPOTHETICAL' ELSE '' END
         || E'\n);'
    FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE p.oid = agg
$fn$;

-- A routine's identity: name and input argument types (argument names are not part of it in PostgreSQL).
CREATE OR REPLACE FUNCTION gitversion.routine_identity(routine oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT p.proname || '(' || COALESCE((SELECT string_agg(format_type(t.oid, NULL), ', ' ORDER BY a.ord)
                                         FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(typ, ord)
                                         JOIN pg_type t ON t.oid = a.typ), '') || ')'
    FROM pg_proc p WHERE p.oid = routine
$fn$;

-- The objects of one kind among the given OIDs, with canonical text and hash, as the capture trigger records them
-- (rendered from objects.sql).
-- Generic plans, as planning these queries costs more than running them for a handful of OIDs; and nested loops
-- over the catalogs' indexes, which a generic plan (that cannot see how few OIDs come) would not pick.
CREATE OR REPLACE FUNCTION gitversion.object_rows(kind text, oids oid[]) RETURNS SETOF jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan
  SET enable_hashjoin = off SET enable_mergejoin = off AS $fn$
BEGIN
  CASE kind
    WHEN 'schema' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (SELECT h.*, gitversion.text_hash(h.canonical) AS hash FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'schema' AS kind, n.nspname AS schema, n.nspname AS name, n.nspname AS identity, NULL::text AS tbl,
       'CREATE SCHEMA ' || quote_ident(n.nspname) || ';' AS ddl, ARRAY[]::text[] AS deps,
       (SELECT description FROM pg_description WHERE objoid = n.oid AND classoid = 'pg_namespace'::regclass AND objsubid = 0) AS comment,
       jsonb_strip_nulls(jsonb_build_object('acl', CASE WHEN n.nspacl IS NOT NULL THEN gitversion.acl_delta(n.nspacl, n.nspowner, 'n') END)) AS extra,
       n.oid, NULL::json
  FROM pg_namespace n
 WHERE gitversion.is_tracked_schema(n.nspname) AND n.nspname !~ '^pg_' AND n.oid = ANY (oids)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) h) r;
    WHEN 'extension' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (SELECT h.*, gitversion.text_hash(h.canonical) AS hash FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'extension', n.nspname, e.extname, e.extname, NULL,
       'CREATE EXTENSION IF NOT EXISTS ' || quote_ident(e.extname) || ' WITH SCHEMA ' || quote_ident(n.nspname)
         || ' VERSION ' || quote_literal(e.extversion) || ';',
       ARRAY['schema ' || n.nspname], (SELECT description FROM pg_description WHERE objoid = e.oid AND classoid = 'pg_extension'::regclass AND objsubid = 0),
       jsonb_build_object('version', e.extversion),
       e.oid, NULL::json
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname <> 'plpgsql' AND e.oid = ANY (oids)
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) h) r;
    WHEN 'type' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (SELECT h.*, gitversion.text_hash(h.canonical) AS hash FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'type', n.nspname, t.typname, t.typname, NULL,
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
                       AND d.deptype = 'n' AND dt.oid <> t.oid AND gitversion.is_tracked_schema(dn.nspname)), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = t.oid AND classoid = 'pg_type'::regclass AND objsubid = 0),
       jsonb_build_object('acl', CASE WHEN t.typacl IS NOT NULL THEN gitversion.acl_delta(t.typacl, t.typowner, 'T') END, 'typtype', t.typtype,
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
 WHERE gitversion.is_tracked_schema(n.nspname) AND t.oid = ANY (oids)
   AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) h) r;
    WHEN 'sequence' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (SELECT h.*, gitversion.text_hash(h.canonical) AS hash FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'sequence', n.nspname, c.relname, c.relname, NULL,
       'CREATE ' || CASE c.relpersistence WHEN 'u' THEN 'UNLOGGED ' ELSE '' END || 'SEQUENCE ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
         || ' AS ' || format_type(s.seqtypid, NULL) || ' INCREMENT BY ' || s.seqincrement || ' MINVALUE ' || s.seqmin
         || ' MAXVALUE ' || s.seqmax || ' START WITH ' || s.seqstart || ' CACHE ' || s.seqcache
         || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END || ';',
       ARRAY['schema ' || n.nspname],
       (SELECT description FROM pg_description WHERE objoid = c.oid AND classoid = 'pg_class'::regclass AND objsubid = 0),
       jsonb_build_object('acl', CASE WHEN c.relacl IS NOT NULL THEN gitversion.acl_delta(c.relacl, c.relowner, 's') END, 'ownedBy', (SELECT quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) || '.' || quote_ident(a.attname)
                                         FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                                         JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                                          AND d.deptype = 'a' LIMIT 1)),
       c.oid, NULL::json
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
 WHERE c.relkind = 'S' AND gitversion.is_tracked_schema(n.nspname) AND c.oid = ANY (oids)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'i'))
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) h) r;
    WHEN 'table' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (SELECT h.*, gitversion.text_hash(h.canonical) AS hash FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'table', n.nspname, c.relname, c.relname, NULL, snap.definition,
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
         'acl', CASE WHEN c.relacl IS NOT NULL THEN gitversion.acl_delta(c.relacl, c.relowner, 'r') END,
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
  JOIN gitversion.relation_snapshots(oids) snap ON snap.rel = c.oid
  -- columns not inherited, and column privileges (acl_delta per column, only where a column has any), in one scan
  CROSS JOIN LATERAL (
    SELECT jsonb_agg(a.attname) FILTER (WHERE a.attislocal) AS local_columns,
           NULLIF(jsonb_strip_nulls(jsonb_object_agg(a.attname, gitversion.acl_delta(a.attacl, c.relowner, 'c'))
                                      FILTER (WHERE a.attacl IS NOT NULL)), '{}') AS column_acl
      FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) attrs
  -- the tracked types of each table's columns, in one pass (a subquery per table scans pg_type each time)
  LEFT JOIN (SELECT a.attrelid, array_agg(DISTINCT 'type ' || tn.nspname || '.' || tt.typname) AS deps
               FROM pg_attribute a JOIN pg_type tt ON tt.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = tt.typnamespace
              WHERE a.attnum > 0 AND gitversion.is_tracked_schema(tn.nspname) AND a.attrelid = ANY (oids)
              GROUP BY a.attrelid) coltypes ON coltypes.attrelid = c.oid
 WHERE c.relkind IN ('r', 'p') AND gitversion.is_tracked_schema(n.nspname) AND c.oid = ANY (oids)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) h) r;
    WHEN 'constraint' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (SELECT h.*, gitversion.text_hash(h.canonical) AS hash FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'constraint', n.nspname, co.conname, t.relname || '.' || co.conname, t.relname,
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
 WHERE t.relkind IN ('r', 'p') AND gitversion.is_tracked_schema(n.nspname)
   -- a partition's key that belongs to its parent's is an object of its own (pg_dump writes it by name and attaches
   -- it): its name is the partition's, and another history can give it another one; a partition's foreign key that
   -- belongs to its parent's is made with it, and an inherited check is the parent's
   AND (co.conislocal AND co.conparentid = 0 OR co.conparentid <> 0 AND co.contype IN ('p', 'u', 'x'))
   AND co.contype IN ('p', 'u', 'c', 'f', 'x') AND co.oid = ANY (oids)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) h) r;
    WHEN 'index' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (SELECT h.*, gitversion.text_hash(h.canonical) AS hash FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'index', n.nspname, ic.relname, ic.relname, t.relname,
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
 WHERE t.relkind IN ('r', 'p', 'm') AND gitversion.is_tracked_schema(n.nspname) AND i.indexrelid = ANY (oids)
   AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x') AND co.conrelid = t.oid)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) h) r;
    WHEN 'view' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (SELECT h.*, gitversion.text_hash(h.canonical) AS hash FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'view', n.nspname, c.relname, c.relname, NULL,
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
                       WHERE rw.ev_class = c.oid AND rc.oid <> c.oid AND gitversion.is_tracked_schema(rn.nspname)), ARRAY[]::text[])
         || COALESCE((SELECT array_agg(DISTINCT 'function ' || pn.nspname || '.' || gitversion.routine_identity(p.oid))
                        FROM pg_rewrite rw JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                        JOIN pg_proc p ON d.refclassid = 'pg_proc'::regclass AND p.oid = d.refobjid
                        JOIN pg_namespace pn ON pn.oid = p.pronamespace
                       WHERE rw.ev_class = c.oid AND gitversion.is_tracked_schema(pn.nspname)), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = c.oid AND classoid = 'pg_class'::regclass AND objsubid = 0),
       jsonb_build_object('materialized', c.relkind = 'm', 'acl', CASE WHEN c.relacl IS NOT NULL THEN gitversion.acl_delta(c.relacl, c.relowner, 'r') END,
                          'columnComments', (SELECT jsonb_object_agg(a.attname, d.description) FROM pg_description d
                                               JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
                                              WHERE d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid > 0)),
       c.oid, NULL::json
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('v', 'm') AND gitversion.is_tracked_schema(n.nspname) AND c.oid = ANY (oids)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) h) r;
    WHEN 'function' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (SELECT h.*, gitversion.text_hash(h.canonical) AS hash FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'function', n.nspname, p.proname, gitversion.routine_identity(p.oid), NULL,
       CASE WHEN p.prokind = 'a' THEN gitversion.aggregate_def(p.oid) ELSE pg_get_functiondef(p.oid) || ';' END,
       ARRAY['schema ' || n.nspname]
         || COALESCE((SELECT array_agg(DISTINCT 'type ' || tn.nspname || '.' || tt.typname)
                        FROM pg_depend d JOIN pg_type tt ON d.refclassid = 'pg_type'::regclass AND tt.oid = d.refobjid
                        JOIN pg_namespace tn ON tn.oid = tt.typnamespace
                       WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND gitversion.is_tracked_schema(tn.nspname)), ARRAY[]::text[])
         || COALESCE((SELECT array_agg(DISTINCT 'function ' || rn.nspname || '.' || gitversion.routine_identity(rp.oid))
                        FROM pg_depend d JOIN pg_proc rp ON d.refclassid = 'pg_proc'::regclass AND rp.oid = d.refobjid
                        JOIN pg_namespace rn ON rn.oid = rp.pronamespace
                       WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND rp.oid <> p.oid AND gitversion.is_tracked_schema(rn.nspname)), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = p.oid AND classoid = 'pg_proc'::regclass AND objsubid = 0),
       jsonb_build_object('acl', CASE WHEN p.proacl IS NOT NULL THEN gitversion.acl_delta(p.proacl, p.proowner, 'f') END, 'prokind', p.prokind::text, 'returns', pg_get_function_result(p.oid), 'arguments', pg_get_function_arguments(p.oid),
                          -- an aggregate of no arguments is named name(*) by DROP, ALTER and COMMENT
                          'signature', quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
                            || CASE WHEN p.prokind = 'a' AND p.pronargs = 0 THEN '*' ELSE pg_get_function_identity_arguments(p.oid) END || ')'),
       p.oid, NULL::json
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE p.prokind IN ('f', 'p', 'a') AND gitversion.is_tracked_schema(n.nspname) AND p.oid = ANY (oids)
   -- extension members, and the constructors PostgreSQL makes for a range type (internal to the type)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) h) r;
    WHEN 'trigger' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (SELECT h.*, gitversion.text_hash(h.canonical) AS hash FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'trigger', n.nspname, tg.tgname, c.relname || '.' || tg.tgname, c.relname,
       pg_get_triggerdef(tg.oid) || ';',
       ARRAY[CASE WHEN c.relkind IN ('v', 'm') THEN 'view ' ELSE 'table ' END || n.nspname || '.' || c.relname,
             'function ' || pn.nspname || '.' || gitversion.routine_identity(p.oid)],
       (SELECT description FROM pg_description WHERE objoid = tg.oid AND classoid = 'pg_trigger'::regclass AND objsubid = 0),
       jsonb_build_object('enabled', tg.tgenabled::text),
       tg.oid, NULL::json
  FROM pg_trigger tg
  JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_proc p ON p.oid = tg.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
 WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND gitversion.is_tracked_schema(n.nspname) AND tg.oid = ANY (oids)
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) h) r;
    WHEN 'rule' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (SELECT h.*, gitversion.text_hash(h.canonical) AS hash FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'rule', n.nspname, r.rulename, c.relname || '.' || r.rulename, c.relname,
       pg_get_ruledef(r.oid),
       ARRAY[CASE WHEN c.relkind IN ('v', 'm') THEN 'view ' ELSE 'table ' END || n.nspname || '.' || c.relname],
       (SELECT description FROM pg_description WHERE objoid = r.oid AND classoid = 'pg_rewrite'::regclass AND objsubid = 0), '{}'::jsonb,
       r.oid, NULL::json
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE r.rulename <> '_RETURN' AND gitversion.is_tracked_schema(n.nspname) AND r.oid = ANY (oids)
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) h) r;
    WHEN 'policy' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (SELECT h.*, gitversion.text_hash(h.canonical) AS hash FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'policy', n.nspname, pol.polname, c.relname || '.' || pol.polname, c.relname,
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
 WHERE gitversion.is_tracked_schema(n.nspname) AND pol.oid = ANY (oids)
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) h) r;
    WHEN 'collation' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (SELECT h.*, gitversion.text_hash(h.canonical) AS hash FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'collation', n.nspname, co.collname, co.collname, NULL,
       'CREATE COLLATION ' || quote_ident(n.nspname) || '.' || quote_ident(co.collname) || ' (provider = '
         || CASE co.collprovider WHEN 'i' THEN 'icu' ELSE 'libc' END
         || CASE WHEN co.collprovider = 'i'
                 THEN ', locale = ' || quote_literal(COALESCE(to_jsonb(co) ->> 'colllocale', to_jsonb(co) ->> 'colliculocale', ''))
                 ELSE ', lc_collate = ' || quote_literal(COALESCE(co.collcollate, '')) || ', lc_ctype = ' || quote_literal(COALESCE(co.collctype, '')) END
         || CASE WHEN NOT co.collisdeterministic THEN ', deterministic = false' ELSE '' END || ');',
       ARRAY['schema ' || n.nspname], (SELECT description FROM pg_description WHERE objoid = co.oid AND classoid = 'pg_collation'::regclass AND objsubid = 0), '{}'::jsonb,
       co.oid, NULL::json
  FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
 WHERE gitversion.is_tracked_schema(n.nspname) AND co.oid = ANY (oids)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_collation'::regclass AND d.objid = co.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) h) r;
    ELSE RETURN;
  END CASE;
END
$fn$;

-- Every tracked object of the database now, as jsonb rows (rendered from objects.sql).
CREATE OR REPLACE FUNCTION gitversion.live_objects() RETURNS SETOF jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT pg_catalog.to_jsonb(r) FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'schema' AS kind, n.nspname AS schema, n.nspname AS name, n.nspname AS identity, NULL::text AS tbl,
       'CREATE SCHEMA ' || quote_ident(n.nspname) || ';' AS ddl, ARRAY[]::text[] AS deps,
       (SELECT description FROM pg_description WHERE objoid = n.oid AND classoid = 'pg_namespace'::regclass AND objsubid = 0) AS comment,
       jsonb_strip_nulls(jsonb_build_object('acl', CASE WHEN n.nspacl IS NOT NULL THEN gitversion.acl_delta(n.nspacl, n.nspowner, 'n') END)) AS extra,
       n.oid, NULL::json
  FROM pg_namespace n
 WHERE gitversion.is_tracked_schema(n.nspname) AND n.nspname !~ '^pg_' 
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) r
  UNION ALL
  SELECT pg_catalog.to_jsonb(r) FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'extension', n.nspname, e.extname, e.extname, NULL,
       'CREATE EXTENSION IF NOT EXISTS ' || quote_ident(e.extname) || ' WITH SCHEMA ' || quote_ident(n.nspname)
         || ' VERSION ' || quote_literal(e.extversion) || ';',
       ARRAY['schema ' || n.nspname], (SELECT description FROM pg_description WHERE objoid = e.oid AND classoid = 'pg_extension'::regclass AND objsubid = 0),
       jsonb_build_object('version', e.extversion),
       e.oid, NULL::json
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname <> 'plpgsql' 
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) r
  UNION ALL
  SELECT pg_catalog.to_jsonb(r) FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'type', n.nspname, t.typname, t.typname, NULL,
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
                       AND d.deptype = 'n' AND dt.oid <> t.oid AND gitversion.is_tracked_schema(dn.nspname)), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = t.oid AND classoid = 'pg_type'::regclass AND objsubid = 0),
       jsonb_build_object('acl', CASE WHEN t.typacl IS NOT NULL THEN gitversion.acl_delta(t.typacl, t.typowner, 'T') END, 'typtype', t.typtype,
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
 WHERE gitversion.is_tracked_schema(n.nspname) 
   AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) r
  UNION ALL
  SELECT pg_catalog.to_jsonb(r) FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'sequence', n.nspname, c.relname, c.relname, NULL,
       'CREATE ' || CASE c.relpersistence WHEN 'u' THEN 'UNLOGGED ' ELSE '' END || 'SEQUENCE ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
         || ' AS ' || format_type(s.seqtypid, NULL) || ' INCREMENT BY ' || s.seqincrement || ' MINVALUE ' || s.seqmin
         || ' MAXVALUE ' || s.seqmax || ' START WITH ' || s.seqstart || ' CACHE ' || s.seqcache
         || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END || ';',
       ARRAY['schema ' || n.nspname],
       (SELECT description FROM pg_description WHERE objoid = c.oid AND classoid = 'pg_class'::regclass AND objsubid = 0),
       jsonb_build_object('acl', CASE WHEN c.relacl IS NOT NULL THEN gitversion.acl_delta(c.relacl, c.relowner, 's') END, 'ownedBy', (SELECT quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) || '.' || quote_ident(a.attname)
                                         FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                                         JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                                          AND d.deptype = 'a' LIMIT 1)),
       c.oid, NULL::json
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
 WHERE c.relkind = 'S' AND gitversion.is_tracked_schema(n.nspname) 
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'i'))
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) r
  UNION ALL
  SELECT pg_catalog.to_jsonb(r) FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'table', n.nspname, c.relname, c.relname, NULL, snap.definition,
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
         'acl', CASE WHEN c.relacl IS NOT NULL THEN gitversion.acl_delta(c.relacl, c.relowner, 'r') END,
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
  JOIN gitversion.relation_snapshots(ARRAY(SELECT oid FROM pg_catalog.pg_class WHERE relkind IN ('r', 'p'))) snap ON snap.rel = c.oid
  -- columns not inherited, and column privileges (acl_delta per column, only where a column has any), in one scan
  CROSS JOIN LATERAL (
    SELECT jsonb_agg(a.attname) FILTER (WHERE a.attislocal) AS local_columns,
           NULLIF(jsonb_strip_nulls(jsonb_object_agg(a.attname, gitversion.acl_delta(a.attacl, c.relowner, 'c'))
                                      FILTER (WHERE a.attacl IS NOT NULL)), '{}') AS column_acl
      FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) attrs
  -- the tracked types of each table's columns, in one pass (a subquery per table scans pg_type each time)
  LEFT JOIN (SELECT a.attrelid, array_agg(DISTINCT 'type ' || tn.nspname || '.' || tt.typname) AS deps
               FROM pg_attribute a JOIN pg_type tt ON tt.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = tt.typnamespace
              WHERE a.attnum > 0 AND gitversion.is_tracked_schema(tn.nspname) 
              GROUP BY a.attrelid) coltypes ON coltypes.attrelid = c.oid
 WHERE c.relkind IN ('r', 'p') AND gitversion.is_tracked_schema(n.nspname) 
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) r
  UNION ALL
  SELECT pg_catalog.to_jsonb(r) FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'constraint', n.nspname, co.conname, t.relname || '.' || co.conname, t.relname,
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
 WHERE t.relkind IN ('r', 'p') AND gitversion.is_tracked_schema(n.nspname)
   -- a partition's key that belongs to its parent's is an object of its own (pg_dump writes it by name and attaches
   -- it): its name is the partition's, and another history can give it another one; a partition's foreign key that
   -- belongs to its parent's is made with it, and an inherited check is the parent's
   AND (co.conislocal AND co.conparentid = 0 OR co.conparentid <> 0 AND co.contype IN ('p', 'u', 'x'))
   AND co.contype IN ('p', 'u', 'c', 'f', 'x') 
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) r
  UNION ALL
  SELECT pg_catalog.to_jsonb(r) FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'index', n.nspname, ic.relname, ic.relname, t.relname,
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
 WHERE t.relkind IN ('r', 'p', 'm') AND gitversion.is_tracked_schema(n.nspname) 
   AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x') AND co.conrelid = t.oid)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) r
  UNION ALL
  SELECT pg_catalog.to_jsonb(r) FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'view', n.nspname, c.relname, c.relname, NULL,
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
                       WHERE rw.ev_class = c.oid AND rc.oid <> c.oid AND gitversion.is_tracked_schema(rn.nspname)), ARRAY[]::text[])
         || COALESCE((SELECT array_agg(DISTINCT 'function ' || pn.nspname || '.' || gitversion.routine_identity(p.oid))
                        FROM pg_rewrite rw JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                        JOIN pg_proc p ON d.refclassid = 'pg_proc'::regclass AND p.oid = d.refobjid
                        JOIN pg_namespace pn ON pn.oid = p.pronamespace
                       WHERE rw.ev_class = c.oid AND gitversion.is_tracked_schema(pn.nspname)), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = c.oid AND classoid = 'pg_class'::regclass AND objsubid = 0),
       jsonb_build_object('materialized', c.relkind = 'm', 'acl', CASE WHEN c.relacl IS NOT NULL THEN gitversion.acl_delta(c.relacl, c.relowner, 'r') END,
                          'columnComments', (SELECT jsonb_object_agg(a.attname, d.description) FROM pg_description d
                                               JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
                                              WHERE d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid > 0)),
       c.oid, NULL::json
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('v', 'm') AND gitversion.is_tracked_schema(n.nspname) 
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) r
  UNION ALL
  SELECT pg_catalog.to_jsonb(r) FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'function', n.nspname, p.proname, gitversion.routine_identity(p.oid), NULL,
       CASE WHEN p.prokind = 'a' THEN gitversion.aggregate_def(p.oid) ELSE pg_get_functiondef(p.oid) || ';' END,
       ARRAY['schema ' || n.nspname]
         || COALESCE((SELECT array_agg(DISTINCT 'type ' || tn.nspname || '.' || tt.typname)
                        FROM pg_depend d JOIN pg_type tt ON d.refclassid = 'pg_type'::regclass AND tt.oid = d.refobjid
                        JOIN pg_namespace tn ON tn.oid = tt.typnamespace
                       WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND gitversion.is_tracked_schema(tn.nspname)), ARRAY[]::text[])
         || COALESCE((SELECT array_agg(DISTINCT 'function ' || rn.nspname || '.' || gitversion.routine_identity(rp.oid))
                        FROM pg_depend d JOIN pg_proc rp ON d.refclassid = 'pg_proc'::regclass AND rp.oid = d.refobjid
                        JOIN pg_namespace rn ON rn.oid = rp.pronamespace
                       WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND rp.oid <> p.oid AND gitversion.is_tracked_schema(rn.nspname)), ARRAY[]::text[]),
       (SELECT description FROM pg_description WHERE objoid = p.oid AND classoid = 'pg_proc'::regclass AND objsubid = 0),
       jsonb_build_object('acl', CASE WHEN p.proacl IS NOT NULL THEN gitversion.acl_delta(p.proacl, p.proowner, 'f') END, 'prokind', p.prokind::text, 'returns', pg_get_function_result(p.oid), 'arguments', pg_get_function_arguments(p.oid),
                          -- an aggregate of no arguments is named name(*) by DROP, ALTER and COMMENT
                          'signature', quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
                            || CASE WHEN p.prokind = 'a' AND p.pronargs = 0 THEN '*' ELSE pg_get_function_identity_arguments(p.oid) END || ')'),
       p.oid, NULL::json
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE p.prokind IN ('f', 'p', 'a') AND gitversion.is_tracked_schema(n.nspname) 
   -- extension members, and the constructors PostgreSQL makes for a range type (internal to the type)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) r
  UNION ALL
  SELECT pg_catalog.to_jsonb(r) FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'trigger', n.nspname, tg.tgname, c.relname || '.' || tg.tgname, c.relname,
       pg_get_triggerdef(tg.oid) || ';',
       ARRAY[CASE WHEN c.relkind IN ('v', 'm') THEN 'view ' ELSE 'table ' END || n.nspname || '.' || c.relname,
             'function ' || pn.nspname || '.' || gitversion.routine_identity(p.oid)],
       (SELECT description FROM pg_description WHERE objoid = tg.oid AND classoid = 'pg_trigger'::regclass AND objsubid = 0),
       jsonb_build_object('enabled', tg.tgenabled::text),
       tg.oid, NULL::json
  FROM pg_trigger tg
  JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_proc p ON p.oid = tg.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
 WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND gitversion.is_tracked_schema(n.nspname) 
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) r
  UNION ALL
  SELECT pg_catalog.to_jsonb(r) FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'rule', n.nspname, r.rulename, c.relname || '.' || r.rulename, c.relname,
       pg_get_ruledef(r.oid),
       ARRAY[CASE WHEN c.relkind IN ('v', 'm') THEN 'view ' ELSE 'table ' END || n.nspname || '.' || c.relname],
       (SELECT description FROM pg_description WHERE objoid = r.oid AND classoid = 'pg_rewrite'::regclass AND objsubid = 0), '{}'::jsonb,
       r.oid, NULL::json
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE r.rulename <> '_RETURN' AND gitversion.is_tracked_schema(n.nspname) 
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) r
  UNION ALL
  SELECT pg_catalog.to_jsonb(r) FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'policy', n.nspname, pol.polname, c.relname || '.' || pol.polname, c.relname,
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
 WHERE gitversion.is_tracked_schema(n.nspname) 
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) r
  UNION ALL
  SELECT pg_catalog.to_jsonb(r) FROM (SELECT q.*, gitversion.canonical(q.kind, q.ddl, q.comment, q.extra) AS canonical
  FROM (SELECT 'collation', n.nspname, co.collname, co.collname, NULL,
       'CREATE COLLATION ' || quote_ident(n.nspname) || '.' || quote_ident(co.collname) || ' (provider = '
         || CASE co.collprovider WHEN 'i' THEN 'icu' ELSE 'libc' END
         || CASE WHEN co.collprovider = 'i'
                 THEN ', locale = ' || quote_literal(COALESCE(to_jsonb(co) ->> 'colllocale', to_jsonb(co) ->> 'colliculocale', ''))
                 ELSE ', lc_collate = ' || quote_literal(COALESCE(co.collcollate, '')) || ', lc_ctype = ' || quote_literal(COALESCE(co.collctype, '')) END
         || CASE WHEN NOT co.collisdeterministic THEN ', deterministic = false' ELSE '' END || ');',
       ARRAY['schema ' || n.nspname], (SELECT description FROM pg_description WHERE objoid = co.oid AND classoid = 'pg_collation'::regclass AND objsubid = 0), '{}'::jsonb,
       co.oid, NULL::json
  FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
 WHERE gitversion.is_tracked_schema(n.nspname) 
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_collation'::regclass AND d.objid = co.oid AND d.deptype = 'e')
 OFFSET 0) AS q(kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot)) r
$fn$;
