package io.gitversion.catalog.ddl;

import static io.gitversion.catalog.model.ObjectKind.COLLATION;
import static io.gitversion.catalog.model.ObjectKind.CONSTRAINT;
import static io.gitversion.catalog.model.ObjectKind.EXTENSION;
import static io.gitversion.catalog.model.ObjectKind.FUNCTION;
import static io.gitversion.catalog.model.ObjectKind.INDEX;
import static io.gitversion.catalog.model.ObjectKind.POLICY;
import static io.gitversion.catalog.model.ObjectKind.RULE;
import static io.gitversion.catalog.model.ObjectKind.SCHEMA;
import static io.gitversion.catalog.model.ObjectKind.SEQUENCE;
import static io.gitversion.catalog.model.ObjectKind.TABLE;
import static io.gitversion.catalog.model.ObjectKind.TRIGGER;
import static io.gitversion.catalog.model.ObjectKind.TYPE;
import static io.gitversion.catalog.model.ObjectKind.VIEW;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectId;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.SchemaModel;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Plans the migration from one database's model to another's: the one planner of the project. Objects are matched by
 * id (kind, schema and identity), so across two databases a rename shows as a drop and a create; callers that know
 * identities use {@link TablePlanner} directly. First the {@link ChangeSet} is decided; then the plan is written in
 * phases: drops (dependents before what they depend on), creates and alters (dependencies first), drops of what is
 * only removed, owners (when asked: {@link Ownership}), privileges, comments.
 */
public final class SchemaPlanner {
  private final ChangeSet changes;
  private final PlanSteps out = new PlanSteps();
  private final TypeSteps types;
  private final TableSteps tables;

  private final Ownership ownership;

  private SchemaPlanner(SchemaModel from, SchemaModel to, Ownership ownership) {
    this.changes = ChangeDecider.decide(from, to);
    this.ownership = ownership;
    this.types = new TypeSteps(changes, out);
    this.tables = new TableSteps(changes, out);
  }

  /** The migration from {@code from} to {@code to}, leaving owners alone. */
  public static Plan plan(SchemaModel from, SchemaModel to) {
    return plan(from, to, Ownership.IGNORED);
  }

  /** The migration from {@code from} to {@code to}, stating the owners {@code ownership} asks for. */
  public static Plan plan(SchemaModel from, SchemaModel to, Ownership ownership) {
    return new SchemaPlanner(from, to, ownership).plan();
  }

  private Plan plan() {
    out.add("SET check_function_bodies = false;");
    DropSteps drops = new DropSteps(changes, out);
    drops.dropChanged();
    createAndAlter();
    drops.dropRemoved();
    ownership.plan(changes, out);
    PrivilegeSteps.plan(changes, out);
    CommentSteps.plan(changes, out);
    return new Plan(out.steps().size() == 1 ? List.of() : out.steps());
  }

  private void createAndAlter() {
    SchemaModel to = changes.to;
    Set<String> created = changes.created;
    Set<String> unsettled = changes.unsettled;
    Set<String> all = ChangeSet.all(to);
    out.forEach(Order.ANY, to, created, SCHEMA, o -> out.add("CREATE SCHEMA IF NOT EXISTS " + Sql.ident(o.name())
        + (o.flag("databaseOwner") ? " AUTHORIZATION pg_database_owner;" : ";")));
    out.forEach(Order.ANY, to, unsettled, SCHEMA, o -> {
      DbObject old = changes.kept(o);
      if (old != null && o.flag("databaseOwner") && !old.flag("databaseOwner")) {
        out.add("ALTER SCHEMA " + Sql.ident(o.name()) + " OWNER TO pg_database_owner;");
      }
    });
    out.forEach(Order.DEPENDENCIES_FIRST, to, created, EXTENSION, this::create);
    out.forEach(Order.ANY, to, unsettled, EXTENSION, types::alterExtension);
    out.forEach(Order.ANY, to, created, COLLATION, this::create);
    out.forEach(Order.ANY, to, created, ObjectKind.TEXT_SEARCH_DICTIONARY, this::create);
    out.forEach(Order.ANY, to, created, ObjectKind.TEXT_SEARCH_CONFIGURATION, this::create);
    out.forEach(Order.ANY, to, unsettled, ObjectKind.TEXT_SEARCH_CONFIGURATION, types::mappings);
    out.forEach(Order.DEPENDENCIES_FIRST, to, all, TYPE, unlessSettled(types::createOrAlterType));
    // a function new here that takes or returns a table's or a view's row type is made after that table or view
    // (check_function_bodies is off for the rest: their bodies may name what comes later)
    out.forEach(Order.DEPENDENCIES_FIRST, to, all, FUNCTION, unlessSettled(o -> {
      if (rowTypeOf(o, created) == null) types.createOrReplaceFunction(o);
    }));
    out.forEach(Order.ANY, to, created, ObjectKind.CAST, this::create);
    out.forEach(Order.ANY, to, unsettled, SEQUENCE, types::createOrAlterSequence);
    out.forEach(Order.DEPENDENCIES_FIRST, to, all, TABLE, unlessSettled(tables::createOrAlterTable));
    out.forEach(Order.DEPENDENCIES_FIRST, to, created, FUNCTION, o -> {
      if (ObjectKind.TABLE.equals(rowTypeOf(o, created))) types.createOrReplaceFunction(o);
    });
    out.forEach(Order.ANY, to, unsettled, SEQUENCE, o -> types.sequenceOwnership(o, ownership.alignsLinkedSequence(o, changes)));
    out.forEach(Order.ANY, to, unsettled, CONSTRAINT, o -> {
      if (!o.isForeignKey()) tables.addConstraint(o);
    });
    out.forEach(Order.DEPENDENCIES_FIRST, to, created, INDEX, o -> {
      if (!changes.onView(o) && !changes.afterAttach.contains(o.id())) tables.createIndex(o);
    });
    out.forEach(Order.DEPENDENCIES_FIRST, to, all, TABLE, unlessSettled(tables::attachPartition));
    out.forEach(Order.ANY, to, unsettled, INDEX, o -> {
      if (!changes.onView(o)) tables.attachIndex(o);
    });
    out.forEach(Order.ANY, to, changes.afterAttach, INDEX, tables::createIndex);
    out.forEach(Order.ANY, to, unsettled, CONSTRAINT, tables::attachIndex);
    out.forEach(Order.ANY, to, unsettled, CONSTRAINT, o -> {
      if (o.isForeignKey()) tables.addConstraint(o);
    });
    out.forEach(Order.ANY, to, unsettled, TABLE, tables::tableFlags);
    out.forEach(Order.DEPENDENCIES_FIRST, to, created, VIEW, this::create);
    out.forEach(Order.DEPENDENCIES_FIRST, to, created, FUNCTION, o -> {
      if (ObjectKind.VIEW.equals(rowTypeOf(o, created))) types.createOrReplaceFunction(o);
    });
    out.forEach(Order.ANY, to, unsettled, VIEW, tables::viewDefaults);
    out.forEach(Order.ANY, to, created, INDEX, o -> {
      if (changes.onView(o)) tables.createIndex(o);
    });
    out.forEach(Order.ANY, to, unsettled, TABLE, tables::replicaIdentityIndex);
    for (ObjectKind kind : List.of(TRIGGER, RULE, POLICY)) {
      out.forEach(Order.ANY, to, created, kind, this::create);
    }
    out.forEach(Order.ANY, to, created, TRIGGER, tables::triggerState);
    out.forEach(Order.ANY, to, unsettled, TABLE, tables::clustering);
    out.forEach(Order.ANY, to, created, ObjectKind.STATISTICS, this::create);
    out.forEach(Order.ANY, to, created, ObjectKind.EVENT_TRIGGER, this::create);
  }

  /**
   * For a function made by this plan: the kind of the latest object made by it too whose row type the function takes
   * or returns (a view's after a table's), or null when it needs none.
   */
  private static ObjectKind rowTypeOf(DbObject function, Set<String> created) {
    if (!created.contains(function.id())) {
      return null;
    }
    ObjectKind needs = null;
    for (String dep : function.deps()) {
      if (created.contains(dep)) {
        if (ObjectId.isOfKind(dep, VIEW)) {
          return VIEW;
        }
        if (ObjectId.isOfKind(dep, TABLE)) {
          needs = TABLE;
        }
      }
    }
    return needs;
  }

  /** The object's own creating statement, as PostgreSQL deparses it. */
  private void create(DbObject o) {
    out.add(o.ddl());
  }

  /** The action, for unsettled objects only (for the passes in dependency order, which order every object). */
  private Consumer<DbObject> unlessSettled(Consumer<DbObject> action) {
    return o -> {
      if (changes.unsettled.contains(o.id())) {
        action.accept(o);
      }
    };
  }
}
