package io.gitversion.catalog.inspect;

import io.gitversion.catalog.SqlResource;
import java.util.regex.Pattern;

/** The snapshot functions' SQL ({@code snapshot.sql}), rendered for the schema that will hold them. */
public final class SnapshotSql {
  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  private SnapshotSql() {}

  /** The script creating the snapshot functions in {@code schema} ({@code gitversion} or {@code pg_temp}). */
  public static String forSchema(String schema) {
    if (!SCHEMA_NAME.matcher(schema).matches()) {
      throw new IllegalArgumentException("snapshot functions need a plain schema name, got " + schema);
    }
    return SqlResource.load("/io/gitversion/catalog/snapshot.sql").replace("@SCHEMA@", schema);
  }

}
