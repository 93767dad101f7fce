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
