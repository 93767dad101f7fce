package io.gitversion.processor.internals;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.ddl.Ownership;
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
   * @param owners which owners the plan states (the commit's: {@link Ownership#changesBy})
   */
  static Plan plan(Collection<Touched> touched, Function<Collection<Touched>, Collection<DbObject>> neighbours, Ownership owners) {
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
    Renames renames = Renames.of(touched);
    for (Touched t : touched) {
      if (t.before() != null && t.after() != null) {
        steps.addAll(renames(t.before(), t.after()).stream().map(s -> s.on(t.after().id())).toList());
        DbObject renamed = asRenamed(t.before(), t.after(), renames);
        from.put(renamed.id(), renamed);
      } else if (t.before() != null) {
        from.put(t.before().id(), t.before());
      }
      if (t.after() != null) {
        to.put(t.after().id(), t.after());
      }
    }
    Plan planned = SchemaPlanner.plan(SchemaModel.of(List.copyOf(from.values())), SchemaModel.of(List.copyOf(to.values())), owners);
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
    if (!sameSchema && after.table() == null && after.kind() != ObjectKind.INDEX || !sameSchema && after.kind() == ObjectKind.STATISTICS) {
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
      case SCHEMA, VIEW, FUNCTION, TYPE, SEQUENCE, INDEX, COLLATION, EXTENSION, STATISTICS, EVENT_TRIGGER, TEXT_SEARCH_DICTIONARY,
           TEXT_SEARCH_CONFIGURATION -> "ALTER " + o.kind().target(o);
      default -> throw new IllegalArgumentException("cannot rename a " + o.kind());
    };
  }

  /**
   * What the commit renamed, for the texts of the objects as they were: objects not on a table by their qualified
   * names (a type, a sequence, a view, a table, a function), and the renamed columns of each table. Replaced in one
   * pass over a text, as whole names, plain and quoted as PostgreSQL prints them (so a swap stays a swap).
   */
  record Renames(Map<String, String> qualified, Map<String, Map<String, String>> columns) {
    static Renames of(Collection<Touched> touched) {
      Map<String, String> qualified = new HashMap<>();
      Map<String, Map<String, String>> columns = new HashMap<>();
      for (Touched t : touched) {
        DbObject was = t.before();
        DbObject now = t.after();
        if (was == null || now == null) {
          continue;
        }
        if (!was.id().equals(now.id()) && was.table() == null && was.kind() != ObjectKind.SCHEMA && was.schema() != null) {
          qualified.put(SchemaModel.printedName(was.schema(), was.name()), SchemaModel.printedName(now.schema(), now.name()));
          qualified.put(Sql.qualified(was.schema(), was.name()), Sql.qualified(now.schema(), now.name()));
        }
        if (now.kind() == ObjectKind.TABLE) {
          Map<String, String> names = new HashMap<>();
          for (Column c : was.relation().columns()) {
            now.relation().column(c.num()).filter(n -> !n.name().equals(c.name())).ifPresent(n -> names.put(c.name(), n.name()));
          }
          if (!names.isEmpty()) {
            columns.put(SchemaModel.printedName(now.schema(), now.name()), names);
          }
        }
      }
      return new Renames(qualified, columns);
    }

    /** The renamed columns of the table an object lives on (by the table's name after the commit). */
    Map<String, String> columnsOf(String schema, String table) {
      return table == null ? Map.of() : columns.getOrDefault(SchemaModel.printedName(schema, table), Map.of());
    }

    boolean isEmpty() {
      return qualified.isEmpty() && columns.isEmpty();
    }

    /** {@code text} with the renamed qualified names, and the plain {@code names} given, replaced. */
    String apply(String text, Map<String, String> names) {
      if (text == null) {
        return null;
      }
      Map<String, String> all = new HashMap<>(qualified);
      names.forEach((old, now) -> {
        if (!old.equals(now)) {
          all.putIfAbsent(SchemaModel.printed(old), SchemaModel.printed(now));
          all.putIfAbsent(Sql.ident(old), Sql.ident(now));
        }
      });
      if (all.isEmpty()) {
        return text;
      }
      String any = all.keySet().stream().sorted(java.util.Comparator.comparingInt(String::length).reversed())
          .map(java.util.regex.Pattern::quote).collect(java.util.stream.Collectors.joining("|"));
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<![\\w$\"])(" + any + ")(?![\\w$\"])").matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(all.get(m.group(1))));
      }
      m.appendTail(out);
      return out.toString();
    }
  }

  /**
   * The object as it was, with the identity and the names the commit's renames gave it: what the planner takes on
   * from. A table keeps its old definition under its new name and columns' names (so it is never taken for unchanged
   * when it changed more), with renamed types and sequences renamed in its columns; an object of another kind has the
   * renamed names replaced in its text (an index on a renamed column is the same index: rebuilding it would be a
   * needless rewrite), and is the object after when that is all that changed.
   */
  static DbObject asRenamed(DbObject before, DbObject after, Renames renames) {
    if (after.kind() == ObjectKind.TABLE) {
      return before.id().equals(after.id()) && renames.isEmpty() ? before : tableAsRenamed(before, after, renames);
    }
    if (before.table() != null && after.table() != null && !before.table().equals(after.table())) {
      // its table was renamed (a rename the commit may not list, when it records the object alone)
      Map<String, String> qualified = new HashMap<>(renames.qualified());
      qualified.putIfAbsent(SchemaModel.printedName(before.schema(), before.table()), SchemaModel.printedName(after.schema(), after.table()));
      qualified.putIfAbsent(Sql.qualified(before.schema(), before.table()), Sql.qualified(after.schema(), after.table()));
      renames = new Renames(qualified, renames.columns());
    }
    Map<String, String> words = new HashMap<>(renames.columnsOf(after.schema(), after.table()));
    if (before.table() != null || before.kind() == ObjectKind.INDEX) {
      // what lives on a table is named without its schema (CREATE INDEX name ON ..., ADD CONSTRAINT name ...)
      words.putIfAbsent(before.name(), after.name());
    }
    String canonical = renames.apply(before.canonical(), words);
    if (before.id().equals(after.id()) && canonical.equals(before.canonical())) {
      return before;
    }
    if (canonical.equals(after.canonical()) && java.util.Objects.equals(before.owner(), after.owner())) {
      return after; // an owner is outside the text: one that changed too is planned from the object as it was
    }
    String tail = before.canonical().substring(before.body().length());
    return new DbObject(before.kind().label(), after.schema(), after.name(), after.identity(), after.table(),
        renames.apply(before.ddl(), words), before.deps(), before.comment(), before.extra(), null, canonical,
        renames.apply(tail, words));
  }

  /**
   * The table as it was, under its new name and with its columns' new names (by attribute number): what the renames
   * leave. Its canonical text stays the old one, so it is never taken for unchanged.
   */
  private static DbObject tableAsRenamed(DbObject before, DbObject after, Renames renames) {
    Map<String, String> names = new HashMap<>();
    for (Column c : before.relation().columns()) {
      after.relation().column(c.num()).ifPresent(now -> names.put(c.name(), now.name()));
    }
    Relation was = before.relation();
    Relation renamed = new Relation(was.kind(), after.schema(), after.name(), was.persistence(),
        was.columns().stream().map(c -> c.renamed(names.getOrDefault(c.name(), c.name())))
            .map(c -> new Column(c.num(), c.name(), renames.apply(c.type(), Map.of()), c.notNull(), renames.apply(c.defaultExpr(), Map.of()),
                renames.apply(c.generated(), Map.of()), c.identity(), c.collation(), c.statistics(), c.identityOptions(),
                renames.apply(c.definition(), Map.of())))
            .toList());
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
