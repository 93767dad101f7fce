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
 * The one canonicalizer: renders an object's definition as canonical DDL and hashes it. Everything that does not
 * change what the object is (OIDs, attribute numbers, the order columns were added in, how the statement was
 * written) is left out, so the same object built two ways hashes the same.
 */
public final class Canonical {
  private Canonical() {}

  /** Canonical DDL of a table: columns by name, identifiers always quoted, one column a line. */
  public static String ddl(Relation table) {
    List<Column> byName = table.columns().stream().sorted(Comparator.comparing(Column::name)).toList();
    StringBuilder ddl = new StringBuilder(createTable(table, byName));
    byName.stream().filter(c -> c.statistics() != null)
        .forEach(c -> ddl.append("\n-- statistics ").append(Sql.ident(c.name())).append(' ').append(c.statistics()));
    return ddl.toString();
  }

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

  /**
   * The canonical text of any inspected object: tables rendered from their snapshot (columns by name) plus the facts
   * that are not columns; other kinds as PostgreSQL deparses them; the comment in both cases.
   */
  public static String text(io.gitversion.catalog.model.DbObject object) {
    StringBuilder text = new StringBuilder();
    if (object.kind().equals("table")) {
      text.append(ddl(object.relation()));
      for (String fact : new String[] {"partitionKey", "partitionOf", "partitionBound", "inherits", "rls", "forceRls",
          "replicaIdentity", "options", "columnComments"}) {
        String value = object.extraText(fact);
        if (value != null && !value.equals("false") && !(fact.equals("replicaIdentity") && value.equals("d"))) {
          text.append("\n-- ").append(fact).append(": ").append(object.extra().get(fact).toString());
        }
      }
    } else {
      text.append(object.ddl());
      String enabled = object.extraText("enabled");
      if (enabled != null && !enabled.equals("O")) {
        text.append("\n-- enabled: ").append(enabled);
      }
      if ("true".equals(object.extraText("clustered"))) {
        text.append("\n-- clustered");
      }
      if (object.extraText("indexComment") != null) {
        text.append("\n-- index comment: ").append(object.extraText("indexComment"));
      }
    }
    if (object.comment() != null) {
      text.append("\n-- comment: ").append(object.comment());
    }
    return text.toString();
  }

  public static String hash(io.gitversion.catalog.model.DbObject object) {
    return hash(text(object));
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
