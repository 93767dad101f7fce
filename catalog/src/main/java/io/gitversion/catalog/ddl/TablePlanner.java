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
      return new Plan(List.of(Step.of(Canonical.createStatement(after), Bump.MINOR)));
    }
    if (after == null) {
      return new Plan(List.of(Step.of("DROP TABLE " + Sql.qualified(before.schema(), before.name()) + ";",
          Bump.MAJOR, Hazard.DATA_LOSS, Hazard.BREAKS_CLIENTS)));
    }
    List<Step> steps = new ArrayList<>();
    String schema = before.schema();
    if (!schema.equals(after.schema())) {
      steps.add(Step.of("ALTER TABLE " + Sql.qualified(schema, before.name()) + " SET SCHEMA " + Sql.ident(after.schema()) + ";",
          Bump.MAJOR, Hazard.BREAKS_CLIENTS));
      schema = after.schema();
    }
    if (!before.name().equals(after.name())) {
      steps.add(Step.of("ALTER TABLE " + Sql.qualified(schema, before.name()) + " RENAME TO " + Sql.ident(after.name()) + ";",
          Bump.MAJOR, Hazard.BREAKS_CLIENTS));
    }
    String table = Sql.qualified(after.schema(), after.name());
    for (Column old : before.columns()) {
      Optional<Column> now = after.column(old.num());
      if (now.isPresent() && !now.get().name().equals(old.name())) {
        steps.add(Step.of("ALTER TABLE " + table + " RENAME COLUMN " + Sql.ident(old.name()) + " TO " + Sql.ident(now.get().name()) + ";",
            Bump.MAJOR, Hazard.BREAKS_CLIENTS));
      }
    }
    for (Column old : before.columns()) {
      if (after.column(old.num()).isEmpty()) {
        steps.add(Step.of("ALTER TABLE " + table + " DROP COLUMN " + Sql.ident(old.name()) + ";",
            Bump.MAJOR, Hazard.DATA_LOSS, Hazard.BREAKS_CLIENTS));
      }
    }
    for (Column now : after.columns()) {
      Optional<Column> old = before.column(now.num());
      if (old.isEmpty()) {
        boolean rewrites = now.generated() != null || now.identity() != null;
        steps.add(rewrites
            ? Step.of("ALTER TABLE " + table + " ADD COLUMN " + Canonical.columnDefinition(now) + ";", Bump.MINOR, Hazard.TABLE_REWRITE)
            : Step.of("ALTER TABLE " + table + " ADD COLUMN " + Canonical.columnDefinition(now) + ";",
                now.notNull() && now.defaultExpr() == null ? Bump.MAJOR : Bump.MINOR));
      } else {
        steps.addAll(alterColumn(table, old.get(), now));
      }
    }
    if (before.unlogged() != after.unlogged()) {
      steps.add(Step.of("ALTER TABLE " + table + (after.unlogged() ? " SET UNLOGGED;" : " SET LOGGED;"), Bump.PATCH, Hazard.TABLE_REWRITE));
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
      columns.add(new Column(num, c.name(), c.type(), c.notNull(), c.defaultExpr(), c.generated(), c.identity(), c.collation()));
    }
    return new Relation(after.kind(), after.schema(), after.name(), after.persistence(), columns);
  }

  private static List<Step> alterColumn(String table, Column old, Column now) {
    List<Step> steps = new ArrayList<>();
    String column = "ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(now.name());
    if (!old.type().equals(now.type()) || !Objects.equals(old.collation(), now.collation())) {
      String collate = now.collation() == null ? "" : " COLLATE " + now.collation();
      steps.add(Step.of(column + " TYPE " + now.type() + collate + " USING " + Sql.ident(now.name()) + "::" + now.type() + ";",
          Bump.MAJOR, Hazard.TABLE_REWRITE, Hazard.DATA_LOSS));
    }
    if (!Objects.equals(old.defaultExpr(), now.defaultExpr())) {
      steps.add(Step.of(now.defaultExpr() == null ? column + " DROP DEFAULT;" : column + " SET DEFAULT " + now.defaultExpr() + ";",
          Bump.PATCH));
    }
    if (old.notNull() != now.notNull() && now.identity() == null && old.identity() == null) {
      steps.add(now.notNull()
          ? Step.of(column + " SET NOT NULL;", Bump.MAJOR, Hazard.VALIDATION)
          : Step.of(column + " DROP NOT NULL;", Bump.MINOR));
    }
    return steps;
  }
}
