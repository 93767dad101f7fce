package io.gitversion.catalog;

/**
 * The one place where identifiers and literals become SQL text. Every generated statement goes through it, so names
 * with quotes, spaces, dots, unicode, upper case or reserved words always round-trip.
 */
public final class Sql {
  /** PostgreSQL's NAMEDATALEN - 1. */
  public static final int MAX_IDENTIFIER_BYTES = 63;

  private Sql() {}

  /** Quotes an identifier, always: the result never depends on case, keywords or the server's version. */
  public static String ident(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("empty identifier");
    }
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("identifier contains a NUL character");
    }
    if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
      // PostgreSQL would silently truncate it, and the statement would name another object than meant
      throw new IllegalArgumentException("identifier longer than " + MAX_IDENTIFIER_BYTES + " bytes: " + name);
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** {@code "schema"."name"}, or just the quoted name when the schema is null. */
  public static String qualified(String schema, String name) {
    return schema == null ? ident(name) : ident(schema) + "." + ident(name);
  }

  /** A string literal; uses the E'' form when backslashes are present so the text is read the same everywhere. */
  public static String literal(String value) {
    if (value == null) {
      return "NULL";
    }
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("literal contains a NUL character");
    }
    String quoted = value.replace("'", "''");
    if (quoted.indexOf('\\') >= 0) {
      return "E'" + quoted.replace("\\", "\\\\") + "'";
    }
    return "'" + quoted + "'";
  }
}
