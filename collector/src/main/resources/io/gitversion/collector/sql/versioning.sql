-- Versioning in the source: semantic versions and the recorded state of every object (gitversion.objects), and the
-- log rows Debezium streams. Re-applied on every install: CREATE OR REPLACE only, idempotent.

--   major: drop, rename, a table column dropped or retyped or made NOT NULL, an enum value removed;
--   minor: create (1.0.0), a column added, an enum value added, any other change of definition but a function body;
--   patch: comments, defaults, function bodies (same signature), statistics, anything else.
-- Internal helpers (bump, next_semver, record_object) have no SET clause and are not SECURITY DEFINER: only the
-- capture functions, which are and which pin search_path, call them (the schema is closed to PUBLIC), and a call
-- without SET is cheaper.
CREATE OR REPLACE FUNCTION gitversion.bump(kind text, before jsonb, after jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  IF before IS NULL THEN RETURN 'create'; END IF;
  IF after IS NULL THEN RETURN 'major'; END IF;
  IF before->>'schema' IS DISTINCT FROM after->>'schema' OR before->>'identity' IS DISTINCT FROM after->>'identity' THEN
    RETURN 'major';
  END IF;
  IF kind = 'table' THEN
    -- a column (by attribute number) gone, retyped, renamed or made NOT NULL
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(before->'snapshot'->'columns') was
                 LEFT JOIN jsonb_array_elements(after->'snapshot'->'columns') now ON now->>'num' = was->>'num'
                WHERE now IS NULL OR now->>'type' <> was->>'type' OR now->>'name' <> was->>'name'
                   OR (now->>'notNull' = 'true' AND was->>'notNull' = 'false')) THEN
      RETURN 'major';
    END IF;
    IF jsonb_array_length(after->'snapshot'->'columns') > jsonb_array_length(before->'snapshot'->'columns') THEN
      RETURN 'minor';
    END IF;
    RETURN 'patch';
  END IF;
  IF kind = 'type' AND before->'extra'->'labels' IS NOT NULL AND jsonb_typeof(before->'extra'->'labels') = 'array' THEN
    IF NOT (after->'extra'->'labels') @> (before->'extra'->'labels') THEN RETURN 'major'; END IF;
    IF before->>'ddl' <> after->>'ddl' THEN RETURN 'minor'; END IF;
  END IF;
  IF before->>'ddl' = after->>'ddl' OR kind = 'function' THEN
    RETURN 'patch';
  END IF;
  RETURN 'minor';
END
$fn$;

CREATE OR REPLACE FUNCTION gitversion.next_semver(semver text, bump text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
  part text[] := pg_catalog.string_to_array(semver, '.');
BEGIN
  -- PL/pgSQL: as SQL it was not inlined where capture calls it, and a SQL function not inlined is planned every call
  RETURN CASE bump
    WHEN 'create' THEN '1.0.0'
    WHEN 'major' THEN (part[1]::int + 1) || '.0.0'
    WHEN 'minor' THEN part[1] || '.' || (part[2]::int + 1) || '.0'
    ELSE part[1] || '.' || part[2] || '.' || (part[3]::int + 1)
  END;
END
$fn$;

-- Records one object's new state if it differs from what was last recorded: a ddl_log row (which Debezium streams)
-- and the object's new version. p_row is null when the object is gone. Returns whether anything was recorded.
CREATE OR REPLACE FUNCTION gitversion.record_object(p_kind text, p_oid oid, p_row jsonb, p_action text, p_tag text)
RETURNS boolean LANGUAGE plpgsql AS $fn$
DECLARE
  prior gitversion.objects%ROWTYPE;
  v_action text := p_action;
  v_version integer;
  v_semver text;
  v_who text := COALESCE(NULLIF(current_setting('role'), 'none'), session_user);
  v_origin text := gitversion.origin();
BEGIN
  SELECT * INTO prior FROM gitversion.objects o WHERE o.kind = p_kind AND o.oid = p_oid;
  IF p_row IS NULL THEN
    IF NOT FOUND OR prior.dropped THEN RETURN false; END IF;
    v_version := prior.version + 1;
    v_semver := gitversion.next_semver(prior.semver, 'major');
    IF NOT gitversion.quiet() OR v_origin IS NOT NULL THEN
    INSERT INTO gitversion.ddl_log (command_tag, kind, schema_name, object_name, object_identity, objid,
                                    action, statement, version, semver, origin)
    VALUES (p_tag, p_kind, prior.schema_name, prior.object_name, prior.identity, p_oid,
            'drop', current_query(), v_version, v_semver, v_origin);
    END IF;
    UPDATE gitversion.objects o SET dropped = true, version = v_version, semver = v_semver, hash = NULL,
           changed_at = clock_timestamp(), changed_by = v_who
     WHERE o.kind = p_kind AND o.oid = p_oid;
    RETURN true;
  END IF;
  IF FOUND AND NOT prior.dropped AND prior.hash = p_row->>'hash'
     AND (prior.definition->'extra'->>'owner' IS NULL
          OR prior.definition->'extra'->>'owner' IS NOT DISTINCT FROM p_row->'extra'->>'owner') THEN
    -- the statement did not change the object's definition, nor its owner (outside the hash: ALTER ... OWNER TO is
    -- recorded as an alter of the same hash); an owner not recorded before (an older capture) is recorded now, quietly
    IF prior.definition->'extra'->>'owner' IS NULL AND p_row->'extra'->>'owner' IS NOT NULL THEN
      UPDATE gitversion.objects o SET definition = p_row WHERE o.kind = p_kind AND o.oid = p_oid;
    END IF;
    RETURN false;
  END IF;
  IF FOUND AND NOT prior.dropped THEN
    IF v_action IN ('create', 'baseline') THEN v_action := 'alter'; END IF;
    IF v_action = 'alter' AND (prior.schema_name IS DISTINCT FROM p_row->>'schema' OR prior.identity <> p_row->>'identity') THEN
      v_action := 'rename';
    END IF;
    v_version := prior.version + 1;
    v_semver := gitversion.next_semver(prior.semver, gitversion.bump(p_kind, prior.definition, p_row));
  ELSE
    IF v_action = 'alter' THEN v_action := 'create'; END IF;
    v_version := COALESCE(prior.version + 1, 1);
    v_semver := '1.0.0';
  END IF;
  IF NOT gitversion.quiet() OR v_origin IS NOT NULL THEN
  -- the canonical text and a table's snapshot are in the definition: the log's columns of them stay empty (they are
  -- filled in rows written before session 17), so that each row holds them once
  INSERT INTO gitversion.ddl_log (command_tag, kind, schema_name, object_name, object_identity, objid, objsubid,
                                  action, statement, hash, version, semver, definition, origin)
  VALUES (p_tag, p_kind, p_row->>'schema', p_row->>'name', p_row->>'identity', p_oid, 0,
          v_action, current_query(), p_row->>'hash', v_version, v_semver, p_row - 'hash', v_origin);
  END IF;
  INSERT INTO gitversion.objects AS o (kind, oid, schema_name, object_name, identity, hash, version, semver, dropped,
                                       definition, changed_at, changed_by)
  VALUES (p_kind, p_oid, p_row->>'schema', p_row->>'name', p_row->>'identity', p_row->>'hash', v_version, v_semver, false,
          p_row, clock_timestamp(), v_who)
  ON CONFLICT (kind, oid) DO UPDATE SET schema_name = EXCLUDED.schema_name, object_name = EXCLUDED.object_name,
         identity = EXCLUDED.identity, hash = EXCLUDED.hash, version = EXCLUDED.version, semver = EXCLUDED.semver,
         dropped = false, definition = EXCLUDED.definition, changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by;
  RETURN true;
END
$fn$;

-- Numbers a change of an object the model has no definition for, by the rules above: a create is 1.0.0 (the next
-- version after a drop), a drop major, anything else a patch. Both null when there is nothing to record: a repeated
-- create, or a drop of what was never recorded. The key is the object's OID, or its identity when it has none.
CREATE OR REPLACE FUNCTION gitversion.number_untracked(p_kind text, p_key text, p_action text, OUT version integer, OUT semver text)
LANGUAGE plpgsql AS $fn$
DECLARE
  prior gitversion.untracked%ROWTYPE;
BEGIN
  SELECT * INTO prior FROM gitversion.untracked u WHERE u.kind = p_kind AND u.key = p_key;
  IF p_action = 'drop' THEN
    IF NOT FOUND OR prior.dropped THEN RETURN; END IF;
    version := prior.version + 1;
    semver := gitversion.next_semver(prior.semver, 'major');
  ELSIF FOUND AND NOT prior.dropped THEN
    IF p_action = 'create' THEN RETURN; END IF;
    version := prior.version + 1;
    semver := gitversion.next_semver(prior.semver, 'patch');
  ELSE
    version := COALESCE(prior.version + 1, 1);
    semver := '1.0.0';
  END IF;
  INSERT INTO gitversion.untracked AS u (kind, key, version, semver, dropped)
  VALUES (p_kind, p_key, version, semver, p_action = 'drop')
  ON CONFLICT (kind, key) DO UPDATE SET version = EXCLUDED.version, semver = EXCLUDED.semver, dropped = EXCLUDED.dropped;
END
$fn$;
