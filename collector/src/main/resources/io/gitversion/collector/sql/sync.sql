-- The sync module's SQL interface in the source (the design note's functions). Re-applied on every install: CREATE
-- OR REPLACE only, idempotent. What needs the planner or a remote's connection is a request (gitversion.sync_requests)
-- that the pipeline carries out (the request runner next to this source's collector): each function returns the
-- request's id at once; gitversion.sync_wait(id) waits for its outcome, in a later statement (the runner sees a
-- request once its transaction commits). With the sync module disabled, each says how to enable it.

-- Refuses, saying how to enable it, a function of a module that is not enabled (the advanced module's too).
CREATE OR REPLACE FUNCTION gitversion.require_module(module text, fn text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM gitversion.modules m WHERE m.name = module) THEN
    RAISE EXCEPTION 'gitversion.% is part of the % module, which is not enabled: SELECT gitversion.enable_module(''%'')', fn, module, module;
  END IF;
END
$fn$;

CREATE OR REPLACE FUNCTION gitversion.require_sync(fn text) RETURNS void
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT gitversion.require_module('sync', fn)
$fn$;

-- Files a request of a module for the pipeline and wakes its runner (at commit); returns the request's id. What the
-- sync and the advanced modules' functions share.
CREATE OR REPLACE FUNCTION gitversion.file_request(module text, fn text, request text, target text, args jsonb DEFAULT '{}')
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  v_id bigint;
BEGIN
  PERFORM gitversion.require_module(module, fn);
  INSERT INTO gitversion.sync_requests (request, remote, args, requested_by)
  VALUES (request, target, COALESCE(args, '{}'), session_user) RETURNING id INTO v_id;
  PERFORM pg_notify('gitversion_sync_requests', v_id::text);
  RETURN v_id;
END
$fn$;

-- A request of the sync module about a remote.
CREATE OR REPLACE FUNCTION gitversion.sync_request(fn text, request text, remote text, args jsonb DEFAULT '{}')
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  PERFORM gitversion.require_sync(fn);
  IF remote IS NULL OR remote = '' THEN
    RAISE EXCEPTION 'gitversion.%: name a remote (SELECT name FROM gitversion.remote_databases)', fn;
  END IF;
  RETURN gitversion.file_request('sync', fn, request, remote, args);
END
$fn$;

-- Waits (at most timeout_s seconds) until a request is carried out, and returns it. Call it after the transaction
-- that made the request committed.
CREATE OR REPLACE FUNCTION gitversion.sync_wait(request_id bigint, timeout_s double precision DEFAULT 60)
RETURNS gitversion.sync_requests LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  r gitversion.sync_requests;
  deadline timestamptz := clock_timestamp() + make_interval(secs => timeout_s);
BEGIN
  LOOP
    SELECT * INTO r FROM gitversion.sync_requests WHERE id = request_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'gitversion.sync_wait: no request %', request_id;
    END IF;
    IF r.status IN ('done', 'failed') THEN
      RETURN r;
    END IF;
    IF r.xmin::text = pg_current_xact_id_if_assigned()::text THEN
      RAISE EXCEPTION 'gitversion.sync_wait: request % was made in this transaction: commit it first, then wait', request_id;
    END IF;
    IF clock_timestamp() > deadline THEN
      RAISE EXCEPTION 'gitversion.sync_wait: request % still % after % s: is the collector (gitversion up) running with the sync module?',
        request_id, r.status, timeout_s;
    END IF;
    PERFORM pg_sleep(0.05);
  END LOOP;
END
$fn$;

-- Adds a remote to the pipeline's registry: the running syncer brings it to the sources' state, then follows.
-- connection is postgresql://user@host:port/database, without a password: options.password_from names where the
-- syncer reads it (env:VAR or file:PATH), else its .pgpass. Options: sources, schemas, exclude_schemas, kinds (text
-- arrays), map_schemas (an object FROM: TO), strategy.
CREATE OR REPLACE FUNCTION gitversion.sync_add_remote(name text, connection text, options jsonb DEFAULT '{}')
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  IF connection ~ '^[a-z]+://[^/@]*:[^/@]*@' OR connection ~* '[?&]password=' THEN
    -- refused before anything is written anywhere: a password in a table or a topic is a password leaked
    RAISE EXCEPTION 'gitversion.sync_add_remote: the connection holds a password: leave it out and give options => ''{"password_from": "env:VAR"}'' (or file:PATH, or the syncer''s .pgpass)';
  END IF;
  RETURN gitversion.sync_request('sync_add_remote', 'add_remote', name,
                                 COALESCE(options, '{}') || jsonb_build_object('connection', connection));
END
$fn$;

-- Connects to a remote of the registry as the syncer would.
CREATE OR REPLACE FUNCTION gitversion.sync_test_connection(name text) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT gitversion.sync_request('sync_test_connection', 'test', name)
$fn$;

-- Reads the hashes of a remote's objects into gitversion.remote_hashes (what remote_objects() answers).
CREATE OR REPLACE FUNCTION gitversion.sync_refresh_remote(name text) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT gitversion.sync_request('sync_refresh_remote', 'read_hashes', name)
$fn$;

-- A remote's objects and hashes as last read (sync_refresh_remote): join with gitversion.objects on (kind, full_name)
-- to compare ddl_hash.
CREATE OR REPLACE FUNCTION gitversion.remote_objects(remote text)
RETURNS TABLE (kind text, schema_name text, object_name text, identity text, full_name text, ddl_hash text, read_at timestamptz)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  PERFORM gitversion.require_sync('remote_objects');
  IF NOT EXISTS (SELECT 1 FROM gitversion.remote_hashes h WHERE h.remote = remote_objects.remote) THEN
    RAISE NOTICE 'no hashes of remote % read yet: SELECT gitversion.sync_wait(gitversion.sync_refresh_remote(%))', remote, quote_literal(remote);
  END IF;
  RETURN QUERY SELECT h.kind, h.schema_name, h.object_name, h.identity, h.full_name, h.ddl_hash, h.read_at
                 FROM gitversion.remote_hashes h WHERE h.remote = remote_objects.remote ORDER BY h.kind, h.full_name;
END
$fn$;

-- This source's recorded objects (one schema, or all) against a remote's hashes as last read: equal, differs,
-- missing (here only) or extra (there only).
CREATE OR REPLACE FUNCTION gitversion.sync_compare_schemas(remote text, local_schema text DEFAULT NULL)
RETURNS TABLE (kind text, full_name text, status text, local_hash text, remote_hash text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT c.* FROM (
  SELECT COALESCE(l.kind, r.kind) AS kind, COALESCE(l.full_name, r.full_name) AS full_name,
         CASE WHEN r.ddl_hash IS NULL THEN 'missing' WHEN l.ddl_hash IS NULL THEN 'extra'
              WHEN l.ddl_hash = r.ddl_hash THEN 'equal' ELSE 'differs' END AS status,
         l.ddl_hash, r.ddl_hash
    FROM (SELECT o.kind, o.full_name, o.ddl_hash FROM gitversion.objects o
           WHERE NOT o.dropped AND (local_schema IS NULL OR COALESCE(o.schema_name, o.identity) = local_schema)) l
    FULL JOIN (SELECT * FROM gitversion.remote_objects(remote) x
                WHERE local_schema IS NULL OR COALESCE(x.schema_name, x.identity) = local_schema) r
      ON r.kind = l.kind AND r.full_name = l.full_name
  ) c ORDER BY c.status = 'equal', c.kind, c.full_name
$fn$;

-- The migration between this source and a remote (direction: to_remote, from_remote or bidirectional), as SQL in the
-- request's result.
CREATE OR REPLACE FUNCTION gitversion.sync_generate_migration(remote text, direction text DEFAULT 'to_remote') RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  IF direction IS NULL OR direction NOT IN ('to_remote', 'from_remote', 'bidirectional') THEN
    RAISE EXCEPTION 'gitversion.sync_generate_migration: direction is to_remote, from_remote or bidirectional, not %', direction;
  END IF;
  RETURN gitversion.sync_request('sync_generate_migration', 'migration', remote, jsonb_build_object('direction', direction));
END
$fn$;

-- Applies a script to a remote (gitversion apply --file): one transaction, its ledger; a dry run rolls back.
CREATE OR REPLACE FUNCTION gitversion.sync_apply_migration(remote text, script text, dry_run boolean DEFAULT true) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT gitversion.sync_request('sync_apply_migration', 'apply', remote, jsonb_build_object('script', script, 'dry_run', dry_run))
$fn$;

-- Brings a remote to this source's state now, verified by hash (gitversion apply --plan).
CREATE OR REPLACE FUNCTION gitversion.sync_with_remote(name text) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT gitversion.sync_request('sync_with_remote', 'sync', name)
$fn$;

-- Brings a remote at one tag (or commit, or time) to another, verified at both ends (gitversion apply --plan
-- --from-tag --to-tag).
CREATE OR REPLACE FUNCTION gitversion.sync_from_version(remote_db text, from_migration text, to_migration text) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT gitversion.sync_request('sync_from_version', 'sync', remote_db, jsonb_build_object('from', from_migration, 'to', to_migration))
$fn$;

-- Makes this source and a remote equal now, a conflict (an object both have, with different hashes) decided by the
-- strategy: prefer-source (the remote takes the source's), prefer-remote (the source takes the remote's: applied here
-- and captured as this source's change), manual (nothing is applied while there is a conflict; the result names them).
CREATE OR REPLACE FUNCTION gitversion.sync_with_conflict_resolution(remote_db text, strategy text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  IF strategy IS NULL OR strategy NOT IN ('prefer-source', 'prefer-remote', 'manual') THEN
    RAISE EXCEPTION 'gitversion.sync_with_conflict_resolution: strategy is prefer-source, prefer-remote or manual, not %', strategy;
  END IF;
  RETURN gitversion.sync_request('sync_with_conflict_resolution', 'resolve', remote_db, jsonb_build_object('strategy', strategy));
END
$fn$;
