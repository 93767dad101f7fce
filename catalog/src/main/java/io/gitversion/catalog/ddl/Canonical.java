package io.gitversion.catalog.ddl;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.model.Column;
import io.gitversion.catalog.model.Relation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Hashes canonical texts, and renders the statements that build a table (for plans). The canonical text itself is
 * rendered by SQL, snapshot.sql's canonical(), in the inspecting session and in the source's capture trigger alike:
 * everything that does not change what an object is (OIDs, attribute numbers, the order columns were added in, how
 * the statement was written) is left out of it, so the same object built two ways hashes the same.
 */
public final class Canonical {
  private Canonical() {}

  /** The CREATE TABLE that builds the table with its columns in their original order. */
  public static String createStatement(Relation table) {
    return createTable(table, table.columns());
  }

  private static String createTable(Relation table, List<Column> columns) {
    StringBuilder sql = new StringBuilder("CREATE ");
    if (table.unlogged()) {
      sql.append("UNLOGGED ");
    }
    sql.append("TABLE ").append(Sql.qualified(table.schema(), table.name())).append(" (");
    String sep = "\n    ";
    for (Column column : columns) {
      sql.append(sep).append(columnDefinition(column));
      sep = ",\n    ";
    }
    sql.append(columns.isEmpty() ? ");" : "\n);");
    return sql.toString();
  }

  /** A column as it appears in CREATE TABLE and ALTER TABLE ... ADD COLUMN. */
  public static String columnDefinition(Column column) {
    StringBuilder sql = new StringBuilder(Sql.ident(column.name())).append(' ').append(column.type());
    if (column.collation() != null) {
      sql.append(" COLLATE ").append(column.collation());
    }
    if (column.generated() != null) {
      sql.append(" GENERATED ALWAYS AS (").append(column.generated()).append(") STORED");
    } else if (column.identity() != null) {
      sql.append(" GENERATED ").append("a".equals(column.identity()) ? "ALWAYS" : "BY DEFAULT").append(" AS IDENTITY");
      if (column.identityOptions() != null) {
        sql.append(" (").append(column.identityOptions()).append(")");
      }
    } else if (column.defaultExpr() != null) {
      sql.append(" DEFAULT ").append(column.defaultExpr());
    }
    if (column.notNull() && column.identity() == null) {
      sql.append(" NOT NULL");
    }
    return sql.toString();
  }

  /** The canonical text of an inspected or captured object, as snapshot.sql's canonical() rendered it. */
  public static String text(io.gitversion.catalog.model.DbObject object) {
    return object.canonical();
  }

  /** The object's hash: the server's, when it computed one along with the text (the same SHA-256), else computed here. */
  public static String hash(io.gitversion.catalog.model.DbObject object) {
    String computed = object.serverHash();
    return computed != null ? computed : hash(text(object));
  }

  /** SHA-256 of a canonical text, lower-case hex. */
  public static String hash(String canonicalDdl) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(canonicalDdl.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
