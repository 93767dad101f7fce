-- Migration 3: the versions of objects the model has no definition for (operators, statistics objects, GRANTs on what
-- the model does not track), so that the source numbers every change it records (versioning.sql). Tables only.

CREATE TABLE IF NOT EXISTS gitversion.untracked (
  kind    text    NOT NULL,                              -- PostgreSQL's name for the object's type, or 'privilege'
  key     text    NOT NULL,                              -- the OID, or the identity when there is none
  version integer NOT NULL,
  semver  text    NOT NULL,
  dropped boolean NOT NULL DEFAULT false,
  PRIMARY KEY (kind, key)
);
REVOKE ALL ON gitversion.untracked FROM PUBLIC;
