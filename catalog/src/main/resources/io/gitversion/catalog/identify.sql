-- The OID of an object given by its id, or null when the database has no such object: the inverse of the identities
-- objects/KIND.sql gives (kind, schema and identity; the name and table of what lives on a table). With object_rows()
-- it reads one object's canonical row and hash by name, as the syncer checks the objects a commit touches on a remote.
CREATE OR REPLACE FUNCTION @SCHEMA@.object_oid(kind text, schema_name text, object_name text, tbl text, identity text) RETURNS oid
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT CASE kind
    WHEN 'schema' THEN (SELECT n.oid FROM pg_namespace n WHERE n.nspname = identity)
    WHEN 'extension' THEN (SELECT e.oid FROM pg_extension e WHERE e.extname = identity)
    WHEN 'type' THEN (SELECT t.oid FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                       WHERE n.nspname = schema_name AND t.typname = identity)
    WHEN 'collation' THEN (SELECT co.oid FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
                            WHERE n.nspname = schema_name AND co.collname = identity)
    WHEN 'statistics' THEN (SELECT s.oid FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
                             WHERE n.nspname = schema_name AND s.stxname = identity)
    WHEN 'event_trigger' THEN (SELECT e.oid FROM pg_event_trigger e WHERE e.evtname = identity)
    WHEN 'cast' THEN (SELECT c.oid FROM pg_cast c
                       WHERE '(' || format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL) || ')' = identity)
    WHEN 'text_search_dictionary' THEN (SELECT d.oid FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
                                         WHERE n.nspname = schema_name AND d.dictname = identity)
    WHEN 'text_search_configuration' THEN (SELECT c.oid FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
                                            WHERE n.nspname = schema_name AND c.cfgname = identity)
    WHEN 'function' THEN (SELECT p.oid FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                           WHERE n.nspname = schema_name AND p.proname = object_name AND @SCHEMA@.routine_identity(p.oid) = identity)
    WHEN 'constraint' THEN (SELECT co.oid FROM pg_constraint co JOIN pg_class t ON t.oid = co.conrelid
                             JOIN pg_namespace n ON n.oid = t.relnamespace
                            WHERE n.nspname = schema_name AND t.relname = tbl AND co.conname = object_name)
    WHEN 'trigger' THEN (SELECT tg.oid FROM pg_trigger tg JOIN pg_class t ON t.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                          WHERE n.nspname = schema_name AND t.relname = tbl AND tg.tgname = object_name AND NOT tg.tgisinternal)
    WHEN 'rule' THEN (SELECT r.oid FROM pg_rewrite r JOIN pg_class t ON t.oid = r.ev_class JOIN pg_namespace n ON n.oid = t.relnamespace
                       WHERE n.nspname = schema_name AND t.relname = tbl AND r.rulename = object_name)
    WHEN 'policy' THEN (SELECT p.oid FROM pg_policy p JOIN pg_class t ON t.oid = p.polrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                         WHERE n.nspname = schema_name AND t.relname = tbl AND p.polname = object_name)
    ELSE (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = schema_name AND c.relname = identity
             AND c.relkind = ANY (CASE kind WHEN 'table' THEN '{r,p}'::"char"[] WHEN 'view' THEN '{v,m}'::"char"[]
                                            WHEN 'index' THEN '{i,I}'::"char"[] WHEN 'sequence' THEN '{S}'::"char"[] END))
  END
$fn$;

-- The hash of each object given by its id (arrays of equal length, one object an element), in the order given; null
-- for an object the database does not have.
CREATE OR REPLACE FUNCTION @SCHEMA@.hashes_of(kinds text[], schemas text[], names text[], tbls text[], identities text[])
RETURNS TABLE (n bigint, hash text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT i.n, (SELECT r OPERATOR(pg_catalog.->>) 'hash' FROM @SCHEMA@.object_rows(i.kind, ARRAY[o.oid]) r LIMIT 1)
    FROM unnest(kinds, schemas, names, tbls, identities) WITH ORDINALITY AS i(kind, schema_name, object_name, tbl, identity, n)
   CROSS JOIN LATERAL (SELECT @SCHEMA@.object_oid(i.kind, i.schema_name, i.object_name, i.tbl, i.identity) AS oid) o
   ORDER BY i.n
$fn$;
