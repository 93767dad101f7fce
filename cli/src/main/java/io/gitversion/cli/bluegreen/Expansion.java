package io.gitversion.cli.bluegreen;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.UserError;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A migration of one schema made expand / contract: each statement read as one operation (add, rename or drop a
 * column; create, rename or drop a table; change a default; add NOT NULL; add an index), and from them the SQL of each
 * step. Expanding changes the physical schema only by adding (columns, tables, a NOT NULL check not yet validated,
 * indexes made concurrently), so the old shape still holds; each shape is served as views over the same tables, one
 * version schema each; contracting gives the physical schema the new shape; reverting removes what expanding added.
 */
public final class Expansion {
  /** What a statement does. */
  public enum Kind { ADD_COLUMN, RENAME_COLUMN, DROP_COLUMN, CREATE_TABLE, RENAME_TABLE, DROP_TABLE, SET_DEFAULT, SET_NOT_NULL, CREATE_INDEX }

  /**
   * One operation: on a table (its physical name) and column (physical, for those that name one), with what it
   * brings: a new name, a column's definition, a default (null: none), or the statement to run (a table, an index).
   */
  public record Operation(Kind kind, String table, String column, String value, String statement) {
    public String describe() {
      return switch (kind) {
        case ADD_COLUMN -> "add column " + table + "." + column + " " + value + " (new shape only)";
        case RENAME_COLUMN -> "rename column " + table + "." + column + " to " + value + " (the new shape's view renames it; complete renames the column)";
        case DROP_COLUMN -> "drop column " + table + "." + column + " (the new shape leaves it out; complete drops it)";
        case CREATE_TABLE -> "create table " + table + " (new shape only)";
        case RENAME_TABLE -> "rename table " + table + " to " + value + " (the new shape's view has the new name; complete renames the table)";
        case DROP_TABLE -> "drop table " + table + " (the new shape leaves it out; complete drops it)";
        case SET_DEFAULT -> (value == null ? "drop the default of " + table + "." + column : "default of " + table + "." + column + ": " + value)
            + " (the new shape's view; complete sets it on the table)";
        case SET_NOT_NULL -> "not null " + table + "." + column + " (checked now without a long lock; complete sets NOT NULL)";
        case CREATE_INDEX -> "index " + value + " on " + table + " (made concurrently)";
      };
    }
  }

  /** A column of a table as the catalog has it. */
  record Column(String name, boolean notNull, String defaultExpr) {}

  private static final String IDENT = "(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)";
  private static final String QNAME = IDENT + "(?:\\s*\\.\\s*" + IDENT + ")?";
  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;
  private static final String ALTER = "ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?" + QNAME + "\\s+";
  private static final Pattern ADD_COLUMN = Pattern.compile(ALTER + "ADD\\s+(?:COLUMN\\s+)?(?!CONSTRAINT\\b|PRIMARY\\b|UNIQUE\\b|CHECK\\b|FOREIGN\\b|EXCLUDE\\b)"
      + IDENT + "\\s+(.+)", FLAGS);
  private static final Pattern RENAME_TABLE = Pattern.compile(ALTER + "RENAME\\s+TO\\s+" + IDENT, FLAGS);
  private static final Pattern RENAME_COLUMN = Pattern.compile(ALTER + "RENAME\\s+(?:COLUMN\\s+)?(?!CONSTRAINT\\b)" + IDENT + "\\s+TO\\s+" + IDENT, FLAGS);
  private static final Pattern DROP_COLUMN = Pattern.compile(ALTER + "DROP\\s+(?:COLUMN\\s+)?(?!CONSTRAINT\\b)(?:IF\\s+EXISTS\\s+)?" + IDENT
      + "(?:\\s+RESTRICT)?", FLAGS);
  private static final Pattern SET_DEFAULT = Pattern.compile(ALTER + "ALTER\\s+(?:COLUMN\\s+)?" + IDENT + "\\s+SET\\s+DEFAULT\\s+(.+)", FLAGS);
  private static final Pattern DROP_DEFAULT = Pattern.compile(ALTER + "ALTER\\s+(?:COLUMN\\s+)?" + IDENT + "\\s+DROP\\s+DEFAULT", FLAGS);
  private static final Pattern SET_NOT_NULL = Pattern.compile(ALTER + "ALTER\\s+(?:COLUMN\\s+)?" + IDENT + "\\s+SET\\s+NOT\\s+NULL", FLAGS);
  private static final Pattern CREATE_TABLE = Pattern.compile("CREATE\\s+TABLE\\s+" + QNAME + "\\s*\\((.*)\\)", FLAGS);
  private static final Pattern DROP_TABLE = Pattern.compile("DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?" + QNAME + "(?:\\s+RESTRICT)?", FLAGS);
  private static final Pattern CREATE_INDEX = Pattern.compile("CREATE\\s+(UNIQUE\\s+)?INDEX\\s+(?:CONCURRENTLY\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?" + IDENT
      + "\\s+ON\\s+(?:ONLY\\s+)?" + QNAME + "\\s*(.+)", FLAGS);
  private static final Pattern NOT_NULL = Pattern.compile("\\bNOT\\s+NULL\\b", FLAGS);

  private final String schema;
  private final String fromVersion;
  private final String toVersion;
  private final List<Operation> operations = new ArrayList<>();
  /** The tables as they are (physical name to columns), and the new shape: by physical name, its new name and columns. */
  private final Map<String, List<Column>> tables;
  private final Map<String, String> newTableNames = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> newColumnNames = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> newDefaults = new LinkedHashMap<>();

  private Expansion(String schema, String fromVersion, String toVersion, Map<String, List<Column>> tables) {
    this.schema = schema;
    this.fromVersion = fromVersion;
    this.toVersion = toVersion;
    this.tables = tables;
    tables.forEach((table, columns) -> {
      newTableNames.put(table, table);
      Map<String, String> names = new LinkedHashMap<>();
      columns.forEach(c -> names.put(c.name(), c.name()));
      newColumnNames.put(table, names);
    });
  }

  /**
   * Reads a migration of {@code schema} against the tables it has now: each statement one operation, names as the new
   * shape has them after the statements before it. A user error names a statement it cannot serve in both shapes.
   */
  public static Expansion of(Connection c, String schema, String fromVersion, String toVersion, List<String> statements) throws SQLException {
    Expansion e = new Expansion(schema, fromVersion, toVersion, tables(c, schema));
    if (statements.isEmpty()) {
      throw new UserError("the migration holds no statement");
    }
    for (String statement : statements) {
      e.read(statement.strip().replaceAll(";\\s*$", ""));
    }
    return e;
  }

  public List<Operation> operations() {
    return operations;
  }

  public String fromVersion() {
    return fromVersion;
  }

  public String toVersion() {
    return toVersion;
  }

  private void read(String sql) {
    Matcher m;
    if ((m = ADD_COLUMN.matcher(sql)).matches()) {
      String table = table(m.group(1), m.group(2), sql);
      String column = name(m.group(3));
      String definition = m.group(4).strip();
      if (newColumnNames.get(table) == null) {
        throw refuse(sql, "a table made in this migration is made as it is to be: change its CREATE TABLE");
      }
      if (newColumnNames.get(table).containsValue(column) || newColumnNames.get(table).containsKey(column)
          || tables.get(table).stream().anyMatch(c -> c.name().equals(column))) {
        throw refuse(sql, table + " has a column " + column + " already (in one of the shapes): one deployment cannot serve both");
      }
      if (topLevelComma(definition)) {
        throw refuse(sql, "one action per ALTER TABLE");
      }
      Matcher notNull = NOT_NULL.matcher(definition);
      boolean required = notNull.find();
      if (required && !definition.toUpperCase(Locale.ROOT).contains("DEFAULT")) {
        throw refuse(sql, "a column added NOT NULL needs a DEFAULT while the old shape, which does not know it, is written");
      }
      operations.add(new Operation(Kind.ADD_COLUMN, table, column, definition, null));
      newColumnNames.get(table).put(column, column);
    } else if ((m = RENAME_TABLE.matcher(sql)).matches()) {
      String table = table(m.group(1), m.group(2), sql);
      String to = name(m.group(3));
      if (newTableNames.containsValue(to)) {
        throw refuse(sql, "the new shape has a table " + to + " already");
      }
      operations.add(new Operation(Kind.RENAME_TABLE, table, null, to, null));
      newTableNames.put(table, to);
    } else if ((m = RENAME_COLUMN.matcher(sql)).matches()) {
      String table = table(m.group(1), m.group(2), sql);
      String column = column(table, name(m.group(3)), sql);
      String to = name(m.group(4));
      if (newColumnNames.get(table).containsValue(to)) {
        throw refuse(sql, "the new shape of " + table + " has a column " + to + " already");
      }
      requireExisting(table, column, sql);
      operations.add(new Operation(Kind.RENAME_COLUMN, table, column, to, null));
      newColumnNames.get(table).put(column, to);
    } else if ((m = DROP_COLUMN.matcher(sql)).matches()) {
      String table = table(m.group(1), m.group(2), sql);
      String column = column(table, name(m.group(3)), sql);
      requireExisting(table, column, sql);
      operations.add(new Operation(Kind.DROP_COLUMN, table, column, null, null));
      newColumnNames.get(table).remove(column);
    } else if ((m = SET_DEFAULT.matcher(sql)).matches() || (m = DROP_DEFAULT.matcher(sql)).matches()) {
      String table = table(m.group(1), m.group(2), sql);
      String column = column(table, name(m.group(3)), sql);
      requireExisting(table, column, sql);
      String expr = m.groupCount() >= 4 ? m.group(4).strip() : null;
      operations.add(new Operation(Kind.SET_DEFAULT, table, column, expr, null));
      newDefaults.computeIfAbsent(table, t -> new LinkedHashMap<>()).put(column, expr);
    } else if ((m = SET_NOT_NULL.matcher(sql)).matches()) {
      String table = table(m.group(1), m.group(2), sql);
      String column = column(table, name(m.group(3)), sql);
      requireExisting(table, column, sql);
      operations.add(new Operation(Kind.SET_NOT_NULL, table, column, null, null));
    } else if ((m = CREATE_TABLE.matcher(sql)).matches()) {
      String qualifier = m.group(2) == null ? null : name(m.group(1));
      String table = name(m.group(2) == null ? m.group(1) : m.group(2));
      if (qualifier != null && !qualifier.equals(schema)) {
        throw refuse(sql, "it is not in schema " + schema);
      }
      if (newTableNames.containsValue(table) || tables.containsKey(table)) {
        throw refuse(sql, "schema " + schema + " has a table " + table + " already");
      }
      operations.add(new Operation(Kind.CREATE_TABLE, table, null, null, "CREATE TABLE " + Sql.qualified(schema, table) + " (" + m.group(3) + ")"));
      newTableNames.put(table, table);
      newColumnNames.put(table, null); // its columns: read from the catalog once made
    } else if ((m = DROP_TABLE.matcher(sql)).matches()) {
      String table = table(m.group(1), m.group(2), sql);
      if (!tables.containsKey(table)) {
        throw refuse(sql, "a table made in this migration is not dropped in it");
      }
      operations.add(new Operation(Kind.DROP_TABLE, table, null, null, null));
      newTableNames.remove(table);
    } else if ((m = CREATE_INDEX.matcher(sql)).matches()) {
      String index = name(m.group(2));
      String table = table(m.group(3), m.group(4), sql);
      operations.add(new Operation(Kind.CREATE_INDEX, table, null, index, "CREATE " + (m.group(1) == null ? "" : "UNIQUE ") + "INDEX CONCURRENTLY "
          + Sql.ident(index) + " ON " + Sql.qualified(schema, table) + " " + m.group(5).strip()));
    } else {
      throw refuse(sql, "blue-green serves both shapes of: ADD / RENAME / DROP COLUMN, CREATE / RENAME / DROP TABLE, "
          + "ALTER COLUMN SET / DROP DEFAULT, ALTER COLUMN SET NOT NULL, CREATE INDEX (one action per statement)");
    }
  }

  /** The physical table a name of the new shape (optionally schema-qualified) is. */
  private String table(String first, String second, String sql) {
    String qualifier = second == null ? null : name(first);
    String name = name(second == null ? first : second);
    if (qualifier != null && !qualifier.equals(schema)) {
      throw refuse(sql, "it is not in schema " + schema);
    }
    for (Map.Entry<String, String> e : newTableNames.entrySet()) {
      if (e.getValue().equals(name)) {
        return e.getKey();
      }
    }
    throw refuse(sql, "the new shape of schema " + schema + " has no table " + name);
  }

  /** The physical column a column name of the new shape of {@code table} is. */
  private String column(String table, String name, String sql) {
    Map<String, String> names = newColumnNames.get(table);
    if (names == null) {
      throw refuse(sql, "a table made in this migration is made as it is to be: change its CREATE TABLE");
    }
    for (Map.Entry<String, String> e : names.entrySet()) {
      if (e.getValue().equals(name)) {
        return e.getKey();
      }
    }
    throw refuse(sql, "the new shape of " + table + " has no column " + name);
  }

  /** A column the old shape has too (one added in this migration is added as it is to be). */
  private void requireExisting(String table, String column, String sql) {
    if (tables.get(table).stream().noneMatch(c -> c.name().equals(column))) {
      throw refuse(sql, "a column added in this migration is added as it is to be: change its ADD COLUMN");
    }
  }

  private static UserError refuse(String sql, String why) {
    return new UserError("cannot deploy blue-green: " + sql.replaceAll("\\s+", " ") + ": " + why);
  }

  private static String name(String ident) {
    return ident.startsWith("\"") ? ident.substring(1, ident.length() - 1).replace("\"\"", "\"") : ident.toLowerCase(Locale.ROOT);
  }

  private static boolean topLevelComma(String text) {
    int depth = 0;
    boolean quoted = false;
    for (char ch : text.toCharArray()) {
      if (ch == '\'') {
        quoted = !quoted;
      } else if (!quoted && ch == '(') {
        depth++;
      } else if (!quoted && ch == ')') {
        depth--;
      } else if (!quoted && depth == 0 && ch == ',') {
        return true;
      }
    }
    return false;
  }

  private String physical(String table) {
    return Sql.qualified(schema, table);
  }

  private String notNullCheck(String table, String column) {
    String name = "bluegreen_" + table + "_" + column + "_not_null";
    return name.length() > Sql.MAX_IDENTIFIER_BYTES ? name.substring(0, Sql.MAX_IDENTIFIER_BYTES) : name;
  }

  /** What start runs on the tables in its transaction: added columns, made tables, NOT NULL checks not yet validated. */
  public List<String> expand() {
    List<String> sql = new ArrayList<>();
    for (Operation o : operations) {
      switch (o.kind()) {
        case ADD_COLUMN -> sql.add("ALTER TABLE " + physical(o.table()) + " ADD COLUMN " + Sql.ident(o.column()) + " " + o.value());
        case CREATE_TABLE -> sql.add(o.statement());
        case SET_NOT_NULL -> sql.add("ALTER TABLE " + physical(o.table()) + " ADD CONSTRAINT " + Sql.ident(notNullCheck(o.table(), o.column()))
            + " CHECK (" + Sql.ident(o.column()) + " IS NOT NULL) NOT VALID");
        case DROP_COLUMN -> {
          // the new shape writes rows without it: it may not be required while both are served
          Column c = columnNow(o.table(), o.column());
          if (c.notNull() && c.defaultExpr() == null) {
            sql.add("ALTER TABLE " + physical(o.table()) + " ALTER COLUMN " + Sql.ident(o.column()) + " DROP NOT NULL");
          }
        }
        default -> { }
      }
    }
    return sql;
  }

  /** What start runs after its transaction, each on its own: NOT NULL checks validated, indexes made concurrently. */
  public List<String> afterExpand() {
    List<String> sql = new ArrayList<>();
    for (Operation o : operations) {
      if (o.kind() == Kind.SET_NOT_NULL) {
        sql.add("ALTER TABLE " + physical(o.table()) + " VALIDATE CONSTRAINT " + Sql.ident(notNullCheck(o.table(), o.column())));
      } else if (o.kind() == Kind.CREATE_INDEX) {
        sql.add(o.statement());
      }
    }
    return sql;
  }

  /** The old shape: a view per table as it is now (columns added by this migration left out), in the old version schema. */
  public List<String> oldViews() {
    List<String> sql = new ArrayList<>();
    sql.add("CREATE SCHEMA IF NOT EXISTS " + Sql.ident(versionSchema(fromVersion)));
    tables.forEach((table, columns) -> sql.add("CREATE OR REPLACE VIEW " + Sql.qualified(versionSchema(fromVersion), table) + " AS SELECT "
        + String.join(", ", columns.stream().map(c -> Sql.ident(c.name())).toList()) + " FROM " + physical(table)));
    return sql;
  }

  /**
   * The new shape: a view per table of it, in the new version schema, its columns under their new names (the tables
   * made by the migration read from the catalog in {@code c}, after expanding), and the new defaults on the views.
   */
  public List<String> newViews(Connection c) throws SQLException {
    Map<String, List<Column>> now = tables(c, schema);
    List<String> sql = new ArrayList<>();
    String version = versionSchema(toVersion);
    sql.add("CREATE SCHEMA " + Sql.ident(version));
    for (Map.Entry<String, String> t : newTableNames.entrySet()) {
      String table = t.getKey();
      Map<String, String> names = newColumnNames.get(table);
      List<String> columns = new ArrayList<>();
      for (Column col : now.get(table)) {
        String to = names == null ? col.name() : names.get(col.name());
        if (to != null) {
          columns.add(to.equals(col.name()) ? Sql.ident(col.name()) : Sql.ident(col.name()) + " AS " + Sql.ident(to));
        }
      }
      sql.add("CREATE VIEW " + Sql.qualified(version, t.getValue()) + " AS SELECT " + String.join(", ", columns) + " FROM " + physical(table));
      newDefaults.getOrDefault(table, Map.of()).forEach((column, expr) -> {
        if (names.get(column) != null) {
          sql.add("ALTER VIEW " + Sql.qualified(version, t.getValue()) + " ALTER COLUMN " + Sql.ident(names.get(column)) + " SET DEFAULT "
              + (expr == null ? "NULL" : expr));
        }
      });
    }
    return sql;
  }

  /**
   * What complete runs, in one transaction: the old version schema dropped, the tables given the new shape. Every
   * statement names the tables and columns as they are now: first what drops or changes a column, then the column
   * renames, then the table renames.
   */
  public List<String> contract() {
    List<String> sql = new ArrayList<>();
    sql.add("DROP SCHEMA " + Sql.ident(versionSchema(fromVersion)) + " CASCADE");
    List<String> columnRenames = new ArrayList<>();
    List<String> tableRenames = new ArrayList<>();
    for (Operation o : operations) {
      String table = physical(o.table());
      switch (o.kind()) {
        case RENAME_COLUMN -> columnRenames.add("ALTER TABLE " + table + " RENAME COLUMN " + Sql.ident(o.column()) + " TO " + Sql.ident(o.value()));
        case DROP_COLUMN -> sql.add("ALTER TABLE " + table + " DROP COLUMN " + Sql.ident(o.column()));
        case DROP_TABLE -> sql.add("DROP TABLE " + table);
        case SET_DEFAULT -> sql.add("ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(o.column())
            + (o.value() == null ? " DROP DEFAULT" : " SET DEFAULT " + o.value()));
        case SET_NOT_NULL -> {
          // the validated check lets SET NOT NULL skip its scan of the table
          sql.add("ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(o.column()) + " SET NOT NULL");
          sql.add("ALTER TABLE " + table + " DROP CONSTRAINT " + Sql.ident(notNullCheck(o.table(), o.column())));
        }
        case RENAME_TABLE -> tableRenames.add("ALTER TABLE " + table + " RENAME TO " + Sql.ident(o.value()));
        default -> { }
      }
    }
    sql.addAll(columnRenames);
    sql.addAll(tableRenames);
    return sql;
  }

  /** What rollback runs, in one transaction: the new version schema dropped, what expanding added removed. */
  public List<String> revert() {
    List<String> sql = new ArrayList<>();
    sql.add("DROP SCHEMA " + Sql.ident(versionSchema(toVersion)) + " CASCADE");
    for (int i = operations.size() - 1; i >= 0; i--) {
      Operation o = operations.get(i);
      String table = physical(o.table());
      switch (o.kind()) {
        case CREATE_INDEX -> sql.add("DROP INDEX IF EXISTS " + Sql.qualified(schema, o.value()));
        case SET_NOT_NULL -> sql.add("ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + Sql.ident(notNullCheck(o.table(), o.column())));
        case ADD_COLUMN -> sql.add("ALTER TABLE " + table + " DROP COLUMN " + Sql.ident(o.column()));
        case CREATE_TABLE -> sql.add("DROP TABLE " + table);
        case DROP_COLUMN -> {
          Column c = columnNow(o.table(), o.column());
          if (c.notNull() && c.defaultExpr() == null) {
            // required again, unless the new shape wrote rows without it meanwhile (they are kept: it stays optional)
            sql.add("DO $bluegreen$ BEGIN IF NOT EXISTS (SELECT 1 FROM " + table + " WHERE " + Sql.ident(o.column()) + " IS NULL) THEN "
                + "ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(o.column()) + " SET NOT NULL; END IF; END $bluegreen$");
          }
        }
        default -> { }
      }
    }
    return sql;
  }

  /** A version's schema: {@code <schema>_<version>}. */
  public String versionSchema(String version) {
    return schema + "_" + version;
  }

  private Column columnNow(String table, String column) {
    return tables.get(table).stream().filter(c -> c.name().equals(column)).findFirst().orElseThrow();
  }

  /** The tables of a schema (ordinary and partitioned), each with its columns in their order. */
  static Map<String, List<Column>> tables(Connection c, String schema) throws SQLException {
    Map<String, List<Column>> tables = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT t.relname, a.attname, a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid) "
        + "FROM pg_catalog.pg_class t JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
        + "JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped "
        + "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = t.oid AND d.adnum = a.attnum "
        + "WHERE n.nspname = ? AND t.relkind IN ('r', 'p') AND NOT t.relispartition ORDER BY t.relname, a.attnum")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new Column(rs.getString(2), rs.getBoolean(3), rs.getString(4)));
        }
      }
    }
    return tables;
  }
}
