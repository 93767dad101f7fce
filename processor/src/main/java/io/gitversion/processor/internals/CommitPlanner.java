package io.gitversion.processor.internals;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.ddl.Plan;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The forward SQL of one commit: one migration, planned by the catalog's {@link SchemaPlanner} over the source's state
 * before and after the commit, restricted to the objects the commit touched and their neighbours (what depends on
 * them, what they depend on, what lives on those tables), so that the planner sees what it must rebuild around a
 * change and what PostgreSQL makes along with another object (a partition's keys, a key's index). The source knows
 * identities where a diff of two databases does not: renames come first, as renames, and the planner takes on from
 * the objects so renamed. So the SQL a remote gets for a commit is what {@code gitversion diff} prints between the two
 * states, plus renames.
 */
final class CommitPlanner {
  private static final String CHECK_BODIES = "SET check_function_bodies = false;";

  /** One object the commit touched: its state before the commit (null: new) and after it (null: dropped). */
  record Touched(DbObject before, DbObject after) {
    Touched {
      if (before == null && after == null) {
        throw new IllegalArgumentException("an object touched must exist before or after");
      }
    }

    /** Its id after the commit, or before when it was dropped. */
    String id() {
      return after != null ? after.id() : before.id();
    }
  }

  private CommitPlanner() {}

  /**
   * @param touched the commit's objects (each once, with its first state and its last)
   * @param neighbours given the commit's objects, the objects around them as they are (the commit did not change
   *     them): what depends on them, what they depend on, what lives on those tables
   */
  static Plan plan(Collection<Touched> touched, Function<Collection<Touched>, Collection<DbObject>> neighbours) {
    List<Step> steps = new ArrayList<>();
    Map<String, DbObject> from = new LinkedHashMap<>();
    Map<String, DbObject> to = new LinkedHashMap<>();
    Set<String> ids = new java.util.HashSet<>();
    for (Touched t : touched) {
      if (t.before() != null) {
        ids.add(t.before().id());
      }
      if (t.after() != null) {
        ids.add(t.after().id());
      }
    }
    for (DbObject around : neighbours.apply(touched)) {
      if (!ids.contains(around.id())) {
        from.put(around.id(), around);
        to.put(around.id(), around);
      }
    }
    Map<String, Map<String, String>> renamedColumns = new HashMap<>();
    for (Touched t : touched) {
      if (t.before() != null && t.after() != null && t.after().kind() == ObjectKind.TABLE) {
        Map<String, String> names = columnRenames(t.before(), t.after());
        if (!names.isEmpty()) {
          renamedColumns.put(SchemaModel.printedName(t.after().schema(), t.after().name()), names);
        }
      }
    }
    for (Touched t : touched) {
      if (t.before() != null && t.after() != null) {
        steps.addAll(renames(t.before(), t.after()).stream().map(s -> s.on(t.after().id())).toList());
        DbObject renamed = asRenamed(t.before(), t.after(),
            t.after().table() == null ? Map.of() : renamedColumns.getOrDefault(SchemaModel.printedName(t.after().schema(), t.after().table()), Map.of()));
        from.put(renamed.id(), renamed);
      } else if (t.before() != null) {
        from.put(t.before().id(), t.before());
      }
      if (t.after() != null) {
        to.put(t.after().id(), t.after());
      }
    }
    Plan planned = SchemaPlanner.plan(SchemaModel.of(List.copyOf(from.values())), SchemaModel.of(List.copyOf(to.values())));
    // the planner's first step serves function bodies: a commit that writes no function does not need it
    boolean functions = planned.steps().stream().anyMatch(s -> s.object() != null && s.object().startsWith(ObjectKind.FUNCTION.label() + " "));
    planned.steps().stream().filter(s -> functions || !s.sql().equals(CHECK_BODIES)).forEach(steps::add);
    return new Plan(steps);
  }

  /**
   * The statements that give an object its new identity: a table's schema, name and columns' names (by attribute
   * number), another object's schema and name. What lives on a table moves with it without a statement of its own.
   */
  private static List<Step> renames(DbObject before, DbObject after) {
    if (after.kind() == ObjectKind.TABLE) {
      return TablePlanner.renames(before.relation(), after.relation()).steps();
    }
    List<Step> steps = new ArrayList<>();
    if (before.id().equals(after.id())) {
      return steps;
    }
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
    return steps;
  }

  /** The ALTER that names the object as it was ({@code ALTER VIEW s.v}, {@code ALTER FUNCTION s.f(int)}, ...). */
  private static String alter(DbObject o) {
    return switch (o.kind()) {
      case SCHEMA, VIEW, FUNCTION, TYPE, SEQUENCE, INDEX, COLLATION, EXTENSION -> "ALTER " + o.kind().target(o);
      default -> throw new IllegalArgumentException("cannot rename a " + o.kind());
    };
  }

  /**
   * The object as it was, with the identity the renames gave it: what the planner takes on from. A table keeps its
   * old definition under its new name and columns' names (so it is never taken for unchanged when it changed more); an
   * object of another kind has its old names replaced by the new ones in its text, and is the object after when that
   * is all that changed. An object on a table whose columns were renamed has them renamed in its text too (an index
   * on a renamed column is the same index: rebuilding it would be a needless rewrite).
   *
   * @param columns the new names of the renamed columns of the table the object lives on
   */
  static DbObject asRenamed(DbObject before, DbObject after, Map<String, String> columns) {
    if (after.kind() == ObjectKind.TABLE) {
      return before.id().equals(after.id()) && before.relation().columns().stream()
          .allMatch(c -> after.relation().column(c.num()).map(now -> now.name().equals(c.name())).orElse(true))
          ? before : tableAsRenamed(before, after);
    }
    if (before.id().equals(after.id()) && columns.isEmpty()) {
      return before;
    }
    Map<String, String> words = new HashMap<>(columns);
    if (before.table() != null || before.kind() == ObjectKind.INDEX) {
      // what lives on a table is named without its schema (CREATE INDEX name ON ..., ADD CONSTRAINT name ...)
      words.putIfAbsent(before.name(), after.name());
    }
    Function<String, String> rename = text -> {
      if (text == null) {
        return null;
      }
      String renamed = replaceWords(replaceName(text, before.schema(), before.name(), after.schema(), after.name()), words);
      return before.table() == null || after.table() == null ? renamed
          : replaceName(renamed, before.schema(), before.table(), after.schema(), after.table());
    };
    String canonical = rename.apply(before.canonical());
    if (canonical.equals(after.canonical())) {
      return after;
    }
    String tail = before.canonical().substring(before.body().length());
    return new DbObject(before.kind().label(), after.schema(), after.name(), after.identity(), after.table(),
        rename.apply(before.ddl()), before.deps(), before.comment(), before.extra(), null, canonical, rename.apply(tail));
  }

  /** {@code text} with a schema-qualified name replaced, as PostgreSQL prints it and quoted. */
  private static String replaceName(String text, String schema, String name, String newSchema, String newName) {
    if (Objects.equals(schema, newSchema) && Objects.equals(name, newName)) {
      return text;
    }
    return text.replace(Sql.qualified(schema, name), Sql.qualified(newSchema, newName))
        .replace(SchemaModel.printedName(schema, name), SchemaModel.printedName(newSchema, newName));
  }

  /** {@code text} with names, as PostgreSQL prints them and as whole words, replaced in one pass (a swap stays a swap). */
  private static String replaceWords(String text, Map<String, String> names) {
    Map<String, String> printed = new HashMap<>();
    names.forEach((old, now) -> {
      if (!old.equals(now)) {
        printed.put(SchemaModel.printed(old), SchemaModel.printed(now));
      }
    });
    if (printed.isEmpty()) {
      return text;
    }
    String any = printed.keySet().stream().map(java.util.regex.Pattern::quote).collect(java.util.stream.Collectors.joining("|"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<![\\w$\"])(" + any + ")(?![\\w$\"])").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(printed.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A table's columns renamed by the commit (by attribute number): old name to new. */
  private static Map<String, String> columnRenames(DbObject before, DbObject after) {
    Map<String, String> names = new HashMap<>();
    for (Column c : before.relation().columns()) {
      after.relation().column(c.num()).filter(now -> !now.name().equals(c.name())).ifPresent(now -> names.put(c.name(), now.name()));
    }
    return names;
  }

  /**
   * The table as it was, under its new name and with its columns' new names (by attribute number): what the renames
   * leave. Its canonical text stays the old one, so it is never taken for unchanged.
   */
  private static DbObject tableAsRenamed(DbObject before, DbObject after) {
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
}
