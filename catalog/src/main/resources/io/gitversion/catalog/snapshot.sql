-- Catalog snapshots and the canonicalizer: the one SQL that reads an object's definition out of PostgreSQL's catalogs
-- and renders its canonical text. The capture trigger installs it into schema gitversion and calls it inside the
-- user's transaction; the inspector creates the same functions in pg_temp of its own session; the SQL interface in a
-- source (compute_ddl_hash, detect_changes_by_hash) uses it too. So the hash captured at the source, the hash the
-- source reports and the hash inspected anywhere are the same: SHA-256 of the same text. @SCHEMA@ is replaced by the
-- target schema. search_path is pinned so that names are qualified the same way in every session.

-- No SET clause on this function and relation_snapshots: PostgreSQL then inlines them into the calling query, which
-- is planned once (a function with SET is planned anew at every call: most of a capture's cost). They refer to
-- pg_catalog only, which every search_path searches first; their callers pin search_path besides.
CREATE OR REPLACE FUNCTION @SCHEMA@.is_tracked_schema(nsp name) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  -- event triggers name a session's temporary schema 'pg_temp', the catalogs 'pg_temp_N'
  SELECT nsp NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'pg_temp', 'gitversion', 'gitversion_sync')
     AND nsp !~ '^pg_temp_' AND nsp !~ '^pg_toast_temp_'
$fn$;

-- An identifier, always quoted (the canonical text does not depend on which names happen to need quotes).
CREATE OR REPLACE FUNCTION @SCHEMA@.quoted(ident text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT '"' || pg_catalog.replace(ident, '"', '""') || '"'
$fn$;

-- One fact of a table's extra that is part of its definition, as a comment line; nothing when absent or false.
CREATE OR REPLACE FUNCTION @SCHEMA@.fact_line(extra jsonb, fact text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT CASE WHEN extra OPERATOR(pg_catalog.->>) fact IS NULL OR extra OPERATOR(pg_catalog.->>) fact = 'false' THEN ''
              ELSE E'\n-- ' || fact || ': ' || (extra OPERATOR(pg_catalog.->) fact)::text END
$fn$;

-- Privileges as a difference from PostgreSQL's defaults for the object's owner: '+role:PRIVILEGE' granted beyond
-- them, '-role:PRIVILEGE' revoked from them ('*' when grantable), sorted, separated by ', '. The owner is named
-- '@owner' (an owner revoking its own privileges), so the same grants made by different owners compare equal. Empty when the privileges are the defaults
-- but stated (a GRANT later revoked leaves them so: PostgreSQL no longer applies the defaults of the time); a column's,
-- null then (a column's stated defaults are no privileges at all).
CREATE OR REPLACE FUNCTION @SCHEMA@.acl_delta(acl aclitem[], owner oid, objtype "char") RETURNS text
LANGUAGE sql STABLE AS $fn$
  WITH now AS (SELECT e.grantee, e.privilege_type, e.is_grantable FROM pg_catalog.aclexplode(acl) e),
       dflt AS (SELECT e.grantee, e.privilege_type, e.is_grantable FROM pg_catalog.aclexplode(pg_catalog.acldefault(objtype, owner)) e),
       delta AS (SELECT '+' AS sign, a.* FROM (SELECT * FROM now EXCEPT SELECT * FROM dflt) a
                 UNION ALL
                 SELECT '-', r.* FROM (SELECT * FROM dflt EXCEPT SELECT * FROM now) r)
  SELECT COALESCE(pg_catalog.string_agg(d.entry, ', ' ORDER BY d.entry COLLATE "C"), CASE WHEN objtype <> 'c' THEN '' END)
    FROM (SELECT sign || CASE WHEN grantee = 0 THEN 'PUBLIC' WHEN grantee = owner THEN '@owner'
                              ELSE pg_catalog.pg_get_userbyid(grantee)::text END || ':'
                 || privilege_type || CASE WHEN is_grantable THEN '*' ELSE '' END AS entry
            FROM delta) d
$fn$;

-- The end of an object's canonical text: what no statement of its definition states and what changes without
-- re-creating it (ALTER INDEX ... ATTACH PARTITION, INHERIT, GRANT and REVOKE, COMMENT ON): which index an index or key
-- is attached to (a partition of), which of an inheriting table's columns are its own as well as inherited (a column
-- that is not its own goes when the parent drops it), its privileges (a table's column privileges after its own), a
-- view's column comments and defaults (ALTER VIEW ... ALTER COLUMN ... SET DEFAULT), a text search configuration's
-- mappings (ALTER TEXT SEARCH CONFIGURATION ... MAPPING), and its comment last. The rows carry it (objects/KIND.sql's "tail"), so that the planner can
-- compare definitions without it; it is the one place that says what it holds.
CREATE OR REPLACE FUNCTION @SCHEMA@.canonical_tail(kind text, comment text, extra jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT CASE WHEN kind IN ('index', 'constraint') THEN COALESCE(E'\n-- attached to: ' || (extra OPERATOR(pg_catalog.->>) 'parentIndex'), '')
              WHEN kind = 'table' AND pg_catalog.jsonb_typeof(extra OPERATOR(pg_catalog.->) 'inherits') = 'array'
              THEN E'\n-- local columns: ' || COALESCE((extra OPERATOR(pg_catalog.->) 'localColumns')::text, '[]') ELSE '' END
      || COALESCE(E'\n-- privileges: ' || (extra OPERATOR(pg_catalog.->>) 'acl'), '')
      || CASE WHEN extra OPERATOR(pg_catalog.->>) 'columnAcl' IS NOT NULL
              THEN E'\n-- column privileges: ' || (extra OPERATOR(pg_catalog.->) 'columnAcl')::text ELSE '' END
      || CASE WHEN kind = 'view' AND extra OPERATOR(pg_catalog.->>) 'columnComments' IS NOT NULL
              THEN E'\n-- column comments: ' || (extra OPERATOR(pg_catalog.->) 'columnComments')::text ELSE '' END
      || CASE WHEN kind = 'text_search_configuration' AND extra OPERATOR(pg_catalog.->>) 'mappings' IS NOT NULL
              THEN E'\n-- mappings: ' || (extra OPERATOR(pg_catalog.->) 'mappings')::text ELSE '' END
      || CASE WHEN kind = 'view' AND extra OPERATOR(pg_catalog.->>) 'columnDefaults' IS NOT NULL
              THEN E'\n-- column defaults: ' || (extra OPERATOR(pg_catalog.->) 'columnDefaults')::text ELSE '' END
      || COALESCE(E'\n-- comment: ' || comment, '')
$fn$;

-- The canonical text of an object (a row of objects/KIND.sql): its definition, the facts that are part of it (a
-- sequence's owning column too), then its tail (canonical_tail). Hashes are SHA-256 of this text.
-- Plain SQL without SET, so that PostgreSQL inlines it into the inspection queries.
CREATE OR REPLACE FUNCTION @SCHEMA@.canonical(kind text, ddl text, comment text, extra jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT ddl
      || CASE WHEN kind = 'table' THEN
              @SCHEMA@.fact_line(extra, 'partitionKey') || @SCHEMA@.fact_line(extra, 'partitionOf')
           || @SCHEMA@.fact_line(extra, 'partitionBound') || @SCHEMA@.fact_line(extra, 'inherits')
           || @SCHEMA@.fact_line(extra, 'rls') || @SCHEMA@.fact_line(extra, 'forceRls')
           || CASE WHEN extra OPERATOR(pg_catalog.->>) 'replicaIdentity' = 'd' THEN '' ELSE @SCHEMA@.fact_line(extra, 'replicaIdentity') END
           || @SCHEMA@.fact_line(extra, 'replicaIdentityIndex')
           || @SCHEMA@.fact_line(extra, 'options') || @SCHEMA@.fact_line(extra, 'columnComments')
         ELSE
              CASE WHEN extra OPERATOR(pg_catalog.->>) 'enabled' <> 'O' THEN E'\n-- enabled: ' || (extra OPERATOR(pg_catalog.->>) 'enabled') ELSE '' END
           || CASE WHEN extra OPERATOR(pg_catalog.->>) 'clustered' = 'true' THEN E'\n-- clustered' ELSE '' END
           || COALESCE(E'\n-- index comment: ' || (extra OPERATOR(pg_catalog.->>) 'indexComment'), '')
           || CASE WHEN kind = 'sequence' THEN COALESCE(E'\n-- owned by: ' || (extra OPERATOR(pg_catalog.->>) 'ownedBy'), '') ELSE '' END
         END
      || @SCHEMA@.canonical_tail(kind, comment, extra)
$fn$;

-- SHA-256 of a canonical text, lower-case hex (what the Java side computes of the same text). STABLE, as convert_to
-- is: PostgreSQL does not inline an IMMUTABLE function whose body is only STABLE, and a call not inlined costs a
-- SQL-function execution per object.
CREATE OR REPLACE FUNCTION @SCHEMA@.text_hash(canonical text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
  SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(canonical, 'UTF8')), 'hex')
$fn$;

-- Set-based, so that inspecting thousands of tables is one pass over the catalogs. json, not jsonb: built as text,
-- a third cheaper; a column's absent facts (no default, no identity, ...) are left out of its json. Also renders the
-- table's canonical definition: CREATE TABLE with every identifier quoted and the columns sorted by name (their order
-- of creation is history, not definition), statistics targets as comment lines.
CREATE OR REPLACE FUNCTION @SCHEMA@.relation_snapshots(rels oid[]) RETURNS TABLE (rel oid, snapshot json, definition text)
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
     WHERE a.attrelid = ANY (rels) AND a.attnum > 0 AND NOT a.attisdropped
    OFFSET 0), -- its values computed once: without it the planner copies the identity subquery into each use
  -- each column as CREATE TABLE and ADD COLUMN write it: the one rendering of a column, for the canonical text here and
  -- for the plans (Column.definition)
  coldef AS (
    SELECT col.*,
           @SCHEMA@.quoted(col.attname) || ' ' || col.type
             || COALESCE(' COLLATE ' || col.collation, '')
             || CASE WHEN col.generated IS NOT NULL THEN ' GENERATED ALWAYS AS (' || col.generated || ') STORED'
                     WHEN col.identity IS NOT NULL THEN ' GENERATED ' || CASE col.identity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END
                          || ' AS IDENTITY' || COALESCE(' (' || col.identity_options || ')', '')
                     ELSE COALESCE(' DEFAULT ' || col.default_expr, '') END
             || CASE WHEN col.attnotnull AND col.identity IS NULL THEN ' NOT NULL' ELSE '' END AS definition
      FROM col),
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
                              || COALESCE(',"collation":' || to_json(col.collation), '')
                              || ',"definition":' || to_json(col.definition) || '}',
                              ',' ORDER BY col.attnum) || ']')::json AS columns,
           string_agg(col.definition, E',\n    ' ORDER BY col.attname COLLATE "C") AS column_lines,
           string_agg(E'\n-- statistics ' || @SCHEMA@.quoted(col.attname) || ' ' || col.statistics, '' ORDER BY col.attname COLLATE "C")
             AS statistics_lines
      FROM coldef col
     GROUP BY col.attrelid)
  SELECT c.oid,
         json_build_object('kind', 'table', 'schema', n.nspname, 'name', c.relname, 'persistence', c.relpersistence::text,
                           'columns', COALESCE(cols.columns, '[]'::json)),
         'CREATE ' || CASE c.relpersistence WHEN 'u' THEN 'UNLOGGED ' ELSE '' END || 'TABLE '
           || @SCHEMA@.quoted(n.nspname) || '.' || @SCHEMA@.quoted(c.relname)
           || CASE WHEN cols.column_lines IS NULL THEN ' ();' ELSE E' (\n    ' || cols.column_lines || E'\n);' END
           || COALESCE(cols.statistics_lines, '')
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN cols ON cols.attrelid = c.oid
   WHERE c.oid = ANY (rels) AND c.relkind IN ('r', 'p')
$fn$;

-- One table's snapshot, as the capture trigger takes it.
CREATE OR REPLACE FUNCTION @SCHEMA@.relation_snapshot(rel oid) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT s.snapshot::jsonb FROM @SCHEMA@.relation_snapshots(ARRAY[rel]) s
$fn$;

-- The FINALFUNC options of aggregate_def (prefix M: those of its moving-aggregate mode).
CREATE OR REPLACE FUNCTION @SCHEMA@.aggregate_final(prefix text, fn regproc, extra boolean, modify "char") RETURNS text
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
CREATE OR REPLACE FUNCTION @SCHEMA@.aggregate_def(agg oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT 'CREATE OR REPLACE AGGREGATE ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
         || CASE WHEN p.pronargs = 0 AND a.aggkind = 'n' THEN '*' ELSE pg_get_function_arguments(p.oid) END
         || E') (\n    SFUNC = ' || a.aggtransfn::regproc::text || E',\n    STYPE = ' || format_type(a.aggtranstype, NULL)
         || CASE WHEN a.aggtransspace <> 0 THEN E',\n    SSPACE = ' || a.aggtransspace ELSE '' END
         || @SCHEMA@.aggregate_final('', a.aggfinalfn, a.aggfinalextra, a.aggfinalmodify)
         || CASE WHEN a.aggcombinefn <> 0 THEN E',\n    COMBINEFUNC = ' || a.aggcombinefn::regproc::text ELSE '' END
         || CASE WHEN a.aggserialfn <> 0 THEN E',\n    SERIALFUNC = ' || a.aggserialfn::regproc::text ELSE '' END
         || CASE WHEN a.aggdeserialfn <> 0 THEN E',\n    DESERIALFUNC = ' || a.aggdeserialfn::regproc::text ELSE '' END
         || CASE WHEN a.agginitval IS NOT NULL THEN E',\n    INITCOND = ' || quote_literal(a.agginitval) ELSE '' END
         || CASE WHEN a.aggmtransfn <> 0
                 THEN E',\n    MSFUNC = ' || a.aggmtransfn::regproc::text || E',\n    MINVFUNC = ' || a.aggminvtransfn::regproc::text
                      || E',\n    MSTYPE = ' || format_type(a.aggmtranstype, NULL)
                      || CASE WHEN a.aggmtransspace <> 0 THEN E',\n    MSSPACE = ' || a.aggmtransspace ELSE '' END
                      || @SCHEMA@.aggregate_final('M', a.aggmfinalfn, a.aggmfinalextra, a.aggmfinalmodify)
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
CREATE OR REPLACE FUNCTION @SCHEMA@.routine_identity(routine oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT p.proname || '(' || COALESCE((SELECT string_agg(format_type(t.oid, NULL), ', ' ORDER BY a.ord)
                                         FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(typ, ord)
                                         JOIN pg_type t ON t.oid = a.typ), '') || ')'
    FROM pg_proc p WHERE p.oid = routine
$fn$;
