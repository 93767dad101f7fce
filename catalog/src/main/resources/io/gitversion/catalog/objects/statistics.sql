-- The objects of kind statistics (extended statistics, CREATE STATISTICS): the columns every query of objects/
-- returns, and its markers, are described in SnapshotSql. It lives on its table (dropped with it); a statistics
-- target set by ALTER STATISTICS is part of its definition, as a second statement.
SELECT 'statistics', n.nspname, s.stxname, s.stxname, t.relname,
       pg_get_statisticsobjdef(s.oid) || ';'
         || CASE WHEN COALESCE((to_jsonb(s) ->> 'stxstattarget')::int, -1) >= 0
                 THEN E'\nALTER STATISTICS ' || quote_ident(n.nspname) || '.' || quote_ident(s.stxname)
                      || ' SET STATISTICS ' || (to_jsonb(s) ->> 'stxstattarget') || ';' ELSE '' END,
       ARRAY['table ' || tn.nspname || '.' || t.relname],
       (SELECT description FROM pg_description WHERE objoid = s.oid AND classoid = 'pg_statistic_ext'::regclass AND objsubid = 0),
       jsonb_build_object('owner', pg_get_userbyid(s.stxowner)::text), s.oid, NULL::json
  FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
  JOIN pg_class t ON t.oid = s.stxrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
 WHERE @SCHEMA@.is_tracked_schema(n.nspname) /*@oids s.oid*/
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e');
