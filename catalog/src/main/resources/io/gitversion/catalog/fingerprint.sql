-- A fingerprint of what the hashes of a database's objects are computed from, one row a part (Fingerprint.java):
-- any change of a definition changes one of them. The last branch is replaced by one branch a catalog of
-- fingerprint_catalogs.sql, of the form
--   SELECT 'catalog pg_class', count(*)::text || ' ' || coalesce(bit_xor(hash_record_extended(ROW(ctid, xmin), 0)), 0) FROM pg_class
-- Every insert, update or delete of a catalog row writes a row version with a new (ctid, xmin); VACUUM and ANALYZE
-- update pg_class in place and keep both, so that a database only in use (rows, statistics) keeps its fingerprint.
-- Outside the database's catalogs: the server's release, the settings that change how PostgreSQL writes a
-- definition (a default's timestamp in TimeZone, every name quoted with quote_all_identifiers), and the names of
-- roles (privileges are written with them) and tablespaces, which are shared by every database of the server.
SELECT 'server', pg_catalog.current_setting('server_version_num')
UNION ALL
SELECT 'database', d.oid::text || ' ' || d.xmin::text || ' ' || d.ctid::text
  FROM pg_catalog.pg_database d
 WHERE d.datname = pg_catalog.current_database()
UNION ALL
SELECT 'setting ' || s.name, s.setting
  FROM pg_catalog.pg_settings s
 WHERE s.name IN ('DateStyle', 'IntervalStyle', 'TimeZone', 'extra_float_digits', 'bytea_output',
                  'standard_conforming_strings', 'quote_all_identifiers', 'lc_monetary')
UNION ALL
SELECT 'roles', count(*)::text || ' ' || coalesce(pg_catalog.bit_xor(pg_catalog.hashtextextended(r.oid::text || ' ' || r.rolname, 0)), 0)::text
  FROM pg_catalog.pg_roles r
UNION ALL
SELECT 'tablespaces', count(*)::text || ' ' || coalesce(pg_catalog.bit_xor(pg_catalog.hashtextextended(t.oid::text || ' ' || t.spcname, 0)), 0)::text
  FROM pg_catalog.pg_tablespace t
UNION ALL
{catalogs}
