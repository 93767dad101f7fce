-- The advanced module's SQL interface in the source (the design note's tenant functions). Re-applied on every install:
-- CREATE OR REPLACE only, idempotent. Like the sync module's functions (sync.sql), each files a request
-- (gitversion.sync_requests) that the request runner next to this source's collector carries out with the commands' own
-- code, and returns its id at once; gitversion.sync_wait(id) waits for the outcome (details: per-tenant results). With
-- the advanced module disabled, each says how to enable it.

-- Makes a schema of this database a tenant template (named after it): every change of it reaches its tenants.
-- options: {"wave_size": 100, "parallelism": 4, "password_from": "env:VAR"}.
CREATE OR REPLACE FUNCTION gitversion.advanced_setup_tenant_template(template_schema text, options jsonb DEFAULT '{}') RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = template_schema) THEN
    RAISE EXCEPTION 'gitversion.advanced_setup_tenant_template: no schema % in this database', template_schema;
  END IF;
  RETURN gitversion.file_request('advanced', 'advanced_setup_tenant_template', 'tenant_template', template_schema, options);
END
$fn$;

-- Brings one tenant in step with its template: a tenant not registered yet is added (schema tenant in this database,
-- or options.database, options.schema) and created from the template's state; one stopped at a commit is resumed (it
-- replays what it missed). The outcome says whether its schema now hashes as the template's.
CREATE OR REPLACE FUNCTION gitversion.advanced_tenant_sync(tenant text, template_schema text, options jsonb DEFAULT '{}') RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  IF tenant IS NULL OR tenant = '' THEN
    RAISE EXCEPTION 'gitversion.advanced_tenant_sync: name a tenant';
  END IF;
  RETURN gitversion.file_request('advanced', 'advanced_tenant_sync', 'tenant_sync', tenant,
                                     COALESCE(options, '{}') || jsonb_build_object('template', template_schema));
END
$fn$;

-- Every tenant of this database's templates: those stopped at a commit resumed, then each one's result (state, last
-- commit, drift by hash) in the request's details.
CREATE OR REPLACE FUNCTION gitversion.advanced_multi_tenant_sync() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  RETURN gitversion.file_request('advanced', 'advanced_multi_tenant_sync', 'multi_tenant_sync', NULL, '{}');
END
$fn$;

-- Compares the members of a shard group by hash, all at once (gitversion shards check): shard_group is a group of the
-- registry (remote add --group), or options.members names remotes and database URLs. options: {"reference":
-- "majority" | "source" | a member, "repair": false, "schemas": [...]}. advanced_shard_matrix(id) gives its rows.
CREATE OR REPLACE FUNCTION gitversion.advanced_shard_consistency_check(shard_group text, options jsonb DEFAULT '{}') RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  IF (shard_group IS NULL OR shard_group = '') AND jsonb_array_length(COALESCE(options->'members', '[]')) < 2 THEN
    RAISE EXCEPTION 'gitversion.advanced_shard_consistency_check: name a shard group, or two members or more in options.members';
  END IF;
  RETURN gitversion.file_request('advanced', 'advanced_shard_consistency_check', 'shard_check', NULLIF(shard_group, ''), options);
END
$fn$;

-- The rows of a shard check (advanced_shard_consistency_check), waited for: one per object that is not the same on
-- every member and member: its hash there (null: absent), the reference's, and its status (equal, differs, missing,
-- extra, undecided: no majority). No row: every member is equal. Call it after the request's transaction committed.
CREATE OR REPLACE FUNCTION gitversion.advanced_shard_matrix(request_id bigint, timeout_s double precision DEFAULT 60)
RETURNS TABLE (object text, shard text, hash text, reference_hash text, status text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  r gitversion.sync_requests;
BEGIN
  r := gitversion.sync_wait(request_id, timeout_s);
  IF r.request <> 'shard_check' THEN
    RAISE EXCEPTION 'gitversion.advanced_shard_matrix: request % is a %, not a shard check', request_id, r.request;
  END IF;
  IF r.details IS NULL THEN
    RAISE EXCEPTION 'gitversion.advanced_shard_matrix: shard check % failed: %', request_id, r.result;
  END IF;
  RETURN QUERY SELECT x.object, x.shard, x.hash, x.reference_hash, x.status
                 FROM jsonb_to_recordset(r.details->'rows') AS x(object text, shard text, hash text, reference_hash text, status text);
END
$fn$;
