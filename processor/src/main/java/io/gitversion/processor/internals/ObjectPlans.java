package io.gitversion.processor.internals;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.ddl.Plan;
import io.gitversion.catalog.ddl.PrivilegeSteps;
import io.gitversion.catalog.ddl.SchemaPlanner;
import io.gitversion.catalog.ddl.Step;
import io.gitversion.catalog.ddl.TablePlanner;
import io.gitversion.catalog.model.Column;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.Relation;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.catalog.model.Snapshots;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The forward SQL of one captured change of an object: the catalog's {@link SchemaPlanner} over the object before and
 * after, and renames as renames, since the source knows the object's identity (its OID, a column's attribute number)
 * where a diff of two databases does not.
 */
final class ObjectPlans {
  private static final String CHECK_BODIES = "SET check_function_bodies = false;";

  private ObjectPlans() {}

  /**
   * @param before the object as last recorded, or null when it is new
   * @param after the object now, or null when it was dropped
   */
  static Plan plan(DbObject before, DbObject after) {
    if (before != null && after != null && !before.id().equals(after.id())) {
      return renamed(before, after);
    }
    return withoutCheckBodies(SchemaPlanner.plan(model(before), model(after)), after != null ? after.kind() : before.kind());
  }

  /**
   * A captured change of a table: its renames first (another schema or name, columns by attribute number), then the
   * catalog's planner from the table so renamed to the table after (columns, partitioning, parents, options, row
   * security, replica identity, privileges, comments). So a renamed column is renamed, never dropped and added, and
   * everything else is planned as {@code gitversion diff} plans it.
   *
   * @param before the table as last recorded, or null when it is new
   * @param after the table now, or null when it was dropped
   */
  static Plan table(DbObject before, DbObject after) {
    if (before == null || after == null) {
      return withoutCheckBodies(SchemaPlanner.plan(model(before), model(after)), ObjectKind.TABLE);
    }
    Relation was = before.relation();
    Relation now = after.relation();
    List<Step> steps = new ArrayList<>(TablePlanner.renames(was, now).steps());
    steps.addAll(withoutCheckBodies(SchemaPlanner.plan(model(afterRenames(before, after)), model(after)), ObjectKind.TABLE).steps());
    return new Plan(steps);
  }

  /**
   * The table as it was, under its new name and with its columns' new names (by attribute number): what the renames
   * leave, for the planner to take on from. Its canonical text stays the old one, so it is never taken for unchanged.
   */
  private static DbObject afterRenames(DbObject before, DbObject after) {
    Map<String, String> names = new HashMap<>();
    for (Column c : before.relation().columns()) {
      after.relation().column(c.num()).ifPresent(now -> names.put(c.name(), now.name()));
    }
    Relation was = before.relation();
    Relation renamed = new Relation(was.kind(), after.schema(), after.name(), was.persistence(),
        was.columns().stream().map(c -> c.renamed(names.getOrDefault(c.name(), c.name()))).toList());
    ObjectNode facts = before.extra().deepCopy();
    if (facts.path("localColumns").isArray()) {
      ArrayNode local = facts.putArray("localColumns");
      before.localColumns().forEach(c -> local.add(names.getOrDefault(c, c)));
    }
    for (String perColumn : List.of("columnComments", "columnAcl")) {
      if (facts.path(perColumn).isObject()) {
        ObjectNode renamedKeys = facts.putObject(perColumn);
        before.extra().get(perColumn).fields().forEachRemaining(e -> renamedKeys.set(names.getOrDefault(e.getKey(), e.getKey()), e.getValue()));
      }
    }
    String tail = before.canonical().substring(before.body().length());
    return new DbObject("table", after.schema(), after.name(), after.identity(), null, before.ddl(), before.deps(), before.comment(),
        facts, Snapshots.json(renamed), before.canonical(), tail);
  }

  private static Plan withoutCheckBodies(Plan plan, ObjectKind kind) {
    // the planner's first step serves function bodies; a single object of another kind does not need it
    return new Plan(plan.steps().stream().filter(s -> kind == ObjectKind.FUNCTION || !s.sql().equals(CHECK_BODIES)).toList());
  }

  /**
   * The object has another identity: another name, another schema, or (for what lives on a table) its table was
   * renamed, which moves it along without a statement of its own. A rename is a statement of its own at the source,
   * so the record carries no other change.
   */
  private static Plan renamed(DbObject before, DbObject after) {
    List<Step> steps = new ArrayList<>();
    boolean sameName = Objects.equals(before.name(), after.name());
    boolean sameSchema = Objects.equals(before.schema(), after.schema());
    if (!sameSchema && after.table() == null && after.kind() != ObjectKind.INDEX) {
      steps.add(Step.of(alter(before) + " SET SCHEMA " + Sql.ident(after.schema()) + ";"));
    }
    if (!sameName) {
      String statement = switch (after.kind()) {
        case CONSTRAINT -> "ALTER TABLE " + Sql.qualified(after.schema(), after.table()) + " RENAME CONSTRAINT "
            + Sql.ident(before.name()) + " TO " + Sql.ident(after.name()) + ";";
        case TRIGGER, RULE, POLICY -> "ALTER " + after.kind().name() + " " + Sql.ident(before.name())
            + " ON " + Sql.qualified(after.schema(), after.table()) + " RENAME TO " + Sql.ident(after.name()) + ";";
        default -> alter(before).replace(Sql.qualified(before.schema(), before.name()), Sql.qualified(after.schema(), before.name()))
            + " RENAME TO " + Sql.ident(after.name()) + ";";
      };
      steps.add(Step.of(statement));
    }
    // a rename is a statement of its own at the source: the record carries nothing else to do
    return new Plan(steps);
  }

  /**
   * What a table's column plan leaves out: its privileges, its comment and its columns' comments ({@code
   * TablePlanner} plans the columns by attribute number; the rest of a table's definition is compared here).
   */
  static List<Step> tableExtras(DbObject before, DbObject after) {
    List<Step> steps = new ArrayList<>(PrivilegeSteps.of(before, after));
    String table = Sql.qualified(after.schema(), after.name());
    if (!Objects.equals(before == null ? null : before.comment(), after.comment())) {
      steps.add(Step.of("COMMENT ON TABLE " + table + " IS " + Sql.literal(after.comment()) + ";"));
    }
    java.util.Map<String, String> was = before == null ? java.util.Map.of() : before.columnComments();
    java.util.Map<String, String> now = after.columnComments();
    java.util.Set<String> columns = new java.util.TreeSet<>(was.keySet());
    columns.addAll(now.keySet());
    for (String column : columns) {
      if (!Objects.equals(was.get(column), now.get(column)) && after.relation().columns().stream().anyMatch(c -> c.name().equals(column))) {
        steps.add(Step.of("COMMENT ON COLUMN " + table + "." + Sql.ident(column) + " IS " + Sql.literal(now.get(column)) + ";"));
      }
    }
    return steps;
  }

  /** The ALTER that names the object as it was ({@code ALTER VIEW s.v}, {@code ALTER FUNCTION s.f(int)}, ...). */
  private static String alter(DbObject o) {
    return switch (o.kind()) {
      case SCHEMA, VIEW, FUNCTION, TYPE, SEQUENCE, INDEX, COLLATION, EXTENSION -> "ALTER " + o.kind().target(o);
      default -> throw new IllegalArgumentException("cannot rename a " + o.kind());
    };
  }

  private static SchemaModel model(DbObject object) {
    return SchemaModel.of(object == null ? List.of() : List.of(object));
  }
}
