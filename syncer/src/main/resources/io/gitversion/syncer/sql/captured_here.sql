-- Whether the remote is a source too (capture installed), and whether the syncer's session user may not switch capture
-- off there (not a member of gitversion_syncer): then what the syncer applies is captured as that source's own changes.
SELECT pg_catalog.to_regnamespace('gitversion') IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
                         JOIN pg_catalog.pg_roles g ON g.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member
                        WHERE g.rolname = 'gitversion_syncer' AND u.rolname = session_user) AS captured_as_own,
       session_user,
       pg_catalog.to_regnamespace('gitversion') IS NOT NULL AS source_too,
       pg_catalog.current_database()
