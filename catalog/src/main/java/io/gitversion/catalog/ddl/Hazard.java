package io.gitversion.catalog.ddl;

/** What a migration step can do to a database beyond changing its schema. */
public enum Hazard {
  /** Data can be lost: dropped tables or columns, narrowing type changes. */
  DATA_LOSS,
  /** The table is rewritten while an ACCESS EXCLUSIVE lock is held. */
  TABLE_REWRITE,
  /** Fails, or must scan the table under a strong lock, when existing rows violate the new rule. */
  VALIDATION,
  /** Readers and writers that use the old name break. */
  BREAKS_CLIENTS;

  public boolean destructive() {
    return this == DATA_LOSS;
  }
}
