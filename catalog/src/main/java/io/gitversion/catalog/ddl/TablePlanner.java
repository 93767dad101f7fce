package io.gitversion.catalog.ddl;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.model.Column;
import io.gitversion.catalog.model.Relation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Plans the change of one table from a known earlier definition to a later one of the same object. Columns are
 * matched by attribute number, so a renamed table or column becomes a rename, never a drop and re-create.
 */
public final class TablePlanner {
  private TablePlanner() {}

  /** The plan from {@code before} to {@code after}; either may be null for a create or a drop. */
  public static Plan plan(Relation before, Relation after) {
    if (before == null && after == null) {
      return new Plan(List.of());
    }
    if (before == null) {
      return new Plan(List.of(Step.of(createStatement(after))));
    }
    if (after == null) {
      return new Plan(List.of(Step.of("DROP TABLE " + Sql.qualified(before.schema(), before.name()) + ";", Hazard.DATA_LOSS, Hazard.BREAKS_CLIENTS)));
    }
    List<Step> steps = new ArrayList<>(renames(before, after).steps());
    String table = Sql.qualified(after.schema(), after.name());
    for (Column old : before.columns()) {
      if (after.column(old.num()).isEmpty()) {
        steps.add(Step.of("ALTER TABLE " + table + " DROP COLUMN " + Sql.ident(old.name()) + ";", Hazard.DATA_LOSS, Hazard.BREAKS_CLIENTS));
      }
    }
    for (Column now : after.columns()) {
      Optional<Column> old = before.column(now.num());
      if (old.isEmpty() && now.statistics() != null) {
        steps.add(Step.of("ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(now.name()) + " SET STATISTICS " + now.statistics() + ";"));
      }
      if (old.isEmpty()) {
        boolean rewrites = now.generated() != null || now.identity() != null;
        steps.add(rewrites
            ? Step.of("ALTER TABLE " + table + " ADD COLUMN " + columnDefinition(now) + ";", Hazard.TABLE_REWRITE)
            : Step.of("ALTER TABLE " + table + " ADD COLUMN " + columnDefinition(now) + ";"));
      } else {
        steps.addAll(alterColumn(table, old.get(), now));
      }
    }
    if (before.unlogged() != after.unlogged()) {
      steps.add(Step.of("ALTER TABLE " + table + (after.unlogged() ? " SET UNLOGGED;" : " SET LOGGED;"), Hazard.TABLE_REWRITE));
    }
    return new Plan(steps);
  }

  /**
   * The renames alone from {@code before} to {@code after} (the same table): another schema, another name, and each
   * column (by attribute number) with another name; the statements name the table as each leaves it.
   */
  public static Plan renames(Relation before, Relation after) {
    List<Step> steps = new ArrayList<>();
    String schema = before.schema();
    if (!schema.equals(after.schema())) {
      steps.add(Step.of("ALTER TABLE " + Sql.qualified(schema, before.name()) + " SET SCHEMA " + Sql.ident(after.schema()) + ";", Hazard.BREAKS_CLIENTS));
      schema = after.schema();
    }
    if (!before.name().equals(after.name())) {
      steps.add(Step.of("ALTER TABLE " + Sql.qualified(schema, before.name()) + " RENAME TO " + Sql.ident(after.name()) + ";", Hazard.BREAKS_CLIENTS));
    }
    String table = Sql.qualified(after.schema(), after.name());
    for (Column old : before.columns()) {
      Optional<Column> now = after.column(old.num());
      if (now.isPresent() && !now.get().name().equals(old.name())) {
        steps.add(Step.of("ALTER TABLE " + table + " RENAME COLUMN " + Sql.ident(old.name()) + " TO " + Sql.ident(now.get().name()) + ";",
            Hazard.BREAKS_CLIENTS));
      }
    }
    return new Plan(steps);
  }

  /**
   * For two tables of different databases, where attribute numbers mean nothing: {@code after} with its columns
   * numbered as {@code before}'s columns of the same name, and new columns numbered after them.
   */
  public static Relation matchColumnsByName(Relation before, Relation after) {
    int next = before.columns().stream().mapToInt(Column::num).max().orElse(0) + 1;
    List<Column> columns = new ArrayList<>();
    for (Column c : after.columns()) {
      int num = before.columns().stream().filter(b -> b.name().equals(c.name())).mapToInt(Column::num).findFirst().orElse(next++);
      columns.add(c.renumbered(num));
    }
    return new Relation(after.kind(), after.schema(), after.name(), after.persistence(), columns);
  }

  private static List<Step> alterColumn(String table, Column old, Column now) {
    List<Step> steps = new ArrayList<>();
    String column = "ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(now.name());
    if (!Objects.equals(old.generated(), now.generated())) {
      if (now.generated() == null) {
        steps.add(Step.of(column + " DROP EXPRESSION;"));
        old = old.withoutExpression();
      } else {
        // an expression cannot be added to or changed on an existing column (before PostgreSQL 17): drop and add
        steps.add(Step.of("ALTER TABLE " + table + " DROP COLUMN " + Sql.ident(old.name()) + ";", Hazard.DATA_LOSS));
        steps.add(Step.of("ALTER TABLE " + table + " ADD COLUMN " + columnDefinition(now) + ";", Hazard.TABLE_REWRITE));
        return steps;
      }
    }
    boolean retyped = !old.type().equals(now.type()) || !Objects.equals(old.collation(), now.collation());
    boolean defaultChanges = !Objects.equals(old.defaultExpr(), now.defaultExpr());
    if (old.defaultExpr() != null && (defaultChanges || retyped)) {
      steps.add(Step.of(column + " DROP DEFAULT;"));
    }
    if (old.identity() != null && now.identity() == null) {
      steps.add(Step.of(column + " DROP IDENTITY;"));
    }
    if (retyped) {
      String collate = now.collation() == null ? "" : " COLLATE " + now.collation();
      // user-defined types (schema-qualified under our pinned search_path) convert through text
      String using = old.type().contains(".") || now.type().contains(".")
          ? Sql.ident(now.name()) + "::text::" + now.type() : Sql.ident(now.name()) + "::" + now.type();
      steps.add(Step.of(column + " TYPE " + now.type() + collate + " USING " + using + ";", Hazard.TABLE_REWRITE, Hazard.DATA_LOSS));
    }
    boolean notNullBefore = old.notNull() || old.identity() != null;
    boolean notNullAfter = now.notNull() || now.identity() != null;
    if (notNullBefore != notNullAfter || (old.identity() != null && now.identity() == null && old.notNull() != now.notNull())) {
      steps.add(now.notNull() || now.identity() != null
          ? Step.of(column + " SET NOT NULL;", Hazard.VALIDATION)
          : Step.of(column + " DROP NOT NULL;"));
    }
    if (now.defaultExpr() != null && now.generated() == null && (defaultChanges || retyped)) {
      steps.add(Step.of(column + " SET DEFAULT " + now.defaultExpr() + ";"));
    }
    if (now.identity() != null && old.identity() == null) {
      String options = now.identityOptions() == null ? "" : " (" + now.identityOptions() + ")";
      steps.add(Step.of(column + " ADD GENERATED " + identityKind(now) + " AS IDENTITY" + options + ";"));
    } else if (now.identity() != null) {
      StringBuilder alter = new StringBuilder();
      if (!now.identity().equals(old.identity())) {
        alter.append(" SET GENERATED ").append(identityKind(now));
      }
      if (now.identityOptions() != null && !now.identityOptions().equals(old.identityOptions())) {
        // "START WITH 1 INCREMENT BY 1 ..." becomes "SET START WITH 1 SET INCREMENT BY 1 ..."
        alter.append(" SET ").append(now.identityOptions().replaceAll(" (INCREMENT BY|MINVALUE|MAXVALUE|CACHE|CYCLE|NO CYCLE)( |$)", " SET $1$2")
            .replace("SET NO SET CYCLE", "SET NO CYCLE"));
      }
      if (alter.length() > 0) {
        steps.add(Step.of(column + alter + ";"));
      }
    }
    if (!Objects.equals(old.statistics(), now.statistics())) {
      steps.add(Step.of(column + " SET STATISTICS " + (now.statistics() == null ? -1 : now.statistics()) + ";"));
    }
    return steps;
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

  /**
   * A column as it appears in CREATE TABLE and ALTER TABLE ... ADD COLUMN: as snapshot.sql rendered it, the one
   * rendering of a column (the canonical text is made of the same lines).
   */
  public static String columnDefinition(Column column) {
    if (column.definition() == null) {
      throw new IllegalStateException("column " + column.name() + " has no definition: its snapshot was recorded by capture older"
          + " than 0.2 (run gitversion install on the source to upgrade it)");
    }
    return column.definition();
  }

  private static String identityKind(Column column) {
    return "a".equals(column.identity()) ? "ALWAYS" : "BY DEFAULT";
  }
}
