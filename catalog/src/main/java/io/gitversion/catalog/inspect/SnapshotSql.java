package io.gitversion.catalog.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
    return resource("snapshot.sql").replace("@SCHEMA@", schema);
  }

  static String resource(String name) {
    try (InputStream in = SnapshotSql.class.getResourceAsStream("/io/gitversion/catalog/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
