package io.gitversion.catalog.ddl;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.model.Column;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.Relation;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.catalog.model.Snapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Plans the migration from one database's model to another's. Objects are matched by id (kind, schema and identity),
 * so across two databases a rename shows as a drop and a create; callers that know identities use
 * {@link TablePlanner} directly. The plan runs in phases: first drops, dependents before what they depend on, then
 * creates and alters, dependencies first. Views over changed tables or functions are rebuilt.
 */
public final class SchemaPlanner {
  private final SchemaModel from;
  private final SchemaModel to;
  private final List<Step> steps = new ArrayList<>();
  /** Objects of {@code from} that are dropped (gone, or re-created). */
  private final Set<String> dropped = new LinkedHashSet<>();
  /** Objects of {@code to} that are created (new, or re-created). */
  private final Set<String> created = new LinkedHashSet<>();
  /**
   * New partitions of parents that already exist: created as plain tables with their own keys and indexes, then
   * attached, so that PostgreSQL adopts those indexes under the parent's (as it would have when they were built).
   */
  private final Set<String> attachLater = new LinkedHashSet<>();
  /**
   * Indexes of partitions attached by the plan that are made after the attach: they match an index of the parent but
   * are not attached to it, and PostgreSQL would attach them in place of the ones the target has attached.
   */
  private final Set<String> afterAttach = new LinkedHashSet<>();
  /** Tables whose columns change in a way that breaks views over them. */
  private final Set<String> reshapedTables = new HashSet<>();
  /**
   * Ids (of either model) of the objects a step can come of: all but those that are the same in both models and
   * whose dependencies, and for tables and views the objects on them, are the same too. A diff of a large database
   * where little changed then plans in the time of its changes, not of its size.
   */
  private final Set<String> unsettled = new HashSet<>();
  /** The objects of {@code to} among {@link #unsettled}, in id order. */
  private final List<DbObject> unsettledTo = new ArrayList<>();

  private SchemaPlanner(SchemaModel from, SchemaModel to) {
    this.from = from;
    this.to = to;
  }

  public static Plan plan(SchemaModel from, SchemaModel to) {
    return new SchemaPlanner(from, to).plan();
  }

  private Plan plan() {
    List<Match> matches = matches();
    decide(matches);
    settle(matches);
    steps.add(Step.of("SET check_function_bodies = false;", Bump.PATCH));
    dropPhase();
    createPhase();
    lateDropPhase();
    privileges();
    comments();
    return new Plan(steps.size() == 1 ? List.of() : steps);
  }

  // ---------------------------------------------------------------- what changes

  /** One object matched by id across the two models: {@code old} or {@code now} is null when it is in one only. */
  private record Match(DbObject old, DbObject now) {}

  /**
   * The objects of both models matched by id, in id order: one merge of the two id-ordered models, so that the passes
   * over every object below look nothing up (at 100,000 objects, lookups by id were most of the planning time).
   */
  private List<Match> matches() {
    List<Match> matches = new ArrayList<>(Math.max(from.objects().size(), to.objects().size()));
    java.util.Iterator<DbObject> olds = from.objects().values().iterator();
    java.util.Iterator<DbObject> nows = to.objects().values().iterator();
    DbObject old = olds.hasNext() ? olds.next() : null;
    DbObject now = nows.hasNext() ? nows.next() : null;
    while (old != null || now != null) {
      int order = old == null ? 1 : now == null ? -1 : old.id().compareTo(now.id());
      matches.add(new Match(order <= 0 ? old : null, order >= 0 ? now : null));
      if (order <= 0) {
        old = olds.hasNext() ? olds.next() : null;
      }
      if (order >= 0) {
        now = nows.hasNext() ? nows.next() : null;
      }
    }
    return matches;
  }

  private void decide(List<Match> matches) {
    for (Match m : matches) {
      if (m.now() == null) {
        dropped.add(m.old().id());
      } else if (m.old() == null) {
        created.add(m.now().id());
      } else if (!sameBody(m.old(), m.now()) && mustRecreate(m.old(), m.now())) {
        dropped.add(m.old().id());
        created.add(m.now().id());
      }
    }
    for (Match m : matches) {
      DbObject table = m.now();
      if (m.old() != null && table != null && table.kind().equals("table") && !created.contains(table.id())
          && !sameBody(m.old(), table) && reshapes(relation(m.old()), relation(table))) {
        reshapedTables.add(table.id());
      }
    }
    // views (and what hangs on them) over anything re-created or reshaped are rebuilt, transitively
    boolean grew = true;
    while (grew) {
      grew = false;
      for (DbObject view : from.ofKind("view")) {
        if (!dropped.contains(view.id()) && to.objects().containsKey(view.id())
            && view.deps().stream().anyMatch(d -> dropped.contains(d) || reshapedTables.contains(d))) {
          dropped.add(view.id());
          created.add(view.id());
          grew = true;
        }
      }
    }
    // objects that live on a re-created table or view, or call a re-created function, go and come back with it; so
    // does an index or key attached to one that goes (a partition's, to its parent's), in as many rounds as a
    // hierarchy of partitions has levels
    boolean more = true;
    while (more) {
      more = false;
      for (Match m : matches) {
        DbObject old = m.old();
        if (old == null || m.now() == null || (old.table() == null && !old.kind().equals("trigger")) || dropped.contains(old.id())) {
          continue;
        }
        boolean goes = goesWithParent(old);
        for (String d : old.deps()) {
          goes = goes || (dropped.contains(d) && created.contains(d));
        }
        if (goes) {
          dropped.add(old.id());
          created.add(old.id());
          more = more || attachedTo(old) != null;
        }
      }
    }
    // the tables are decided: which partitions the plan attaches (a table's facts say, or its parent is re-created)
    boolean parentsRecreated = !recreatedTableNames().isEmpty();
    for (Match m : matches) {
      DbObject table = m.now();
      if (table != null && table.kind().equals("table")
          && (m.old() == null || created.contains(table.id()) || parentsRecreated || !m.old().sameFacts(table))
          && attachesLater(table)) {
        deferMatchingIndexes(table);
      }
    }
  }

  /**
   * ATTACH PARTITION attaches, for each index of the parent, the oldest index of the partition that matches it and is
   * not attached yet. An index that the partition keeps to itself but that matches one the target has attached would
   * be taken in its place: it is made after the attach (and dropped before, when it exists).
   */
  private void deferMatchingIndexes(DbObject partition) {
    String on = " ON " + SchemaModel.printedName(partition.schema(), partition.name()) + " ";
    List<DbObject> indexes = to.on(partition.schema(), partition.name()).stream().filter(o -> o.kind().equals("index")).toList();
    Set<String> attached = new HashSet<>();
    for (DbObject index : indexes) {
      if (attachedTo(index) != null) {
        attached.add(shape(index, on));
      }
    }
    for (DbObject index : indexes) {
      if (attachedTo(index) == null && attached.contains(shape(index, on))) {
        afterAttach.add(index.id());
        created.add(index.id());
        if (from.objects().containsKey(index.id())) {
          dropped.add(index.id());
        }
      }
    }
  }

  /** An index's definition without its name: whether it is unique, and what follows its table's name. */
  private static String shape(DbObject index, String on) {
    int at = index.ddl().indexOf(on);
    return at < 0 ? index.id() : (index.ddl().startsWith("CREATE UNIQUE ") ? "unique" : "") + index.ddl().substring(at + on.length());
  }

  /** The id of the index or key that this index or key is attached to (a partition's, to its parent's), or null. */
  private static String attachedTo(DbObject o) {
    if (o.kind().equals("index") || o.kind().equals("constraint")) {
      for (String d : o.deps()) {
        if (d.startsWith("index ") || d.startsWith("constraint ")) {
          return d;
        }
      }
    }
    return null;
  }

  /**
   * The index or key (of {@code from}) is attached to one that is dropped, and PostgreSQL drops it with that one:
   * unless that one goes with its table and this one's partition is detached before (it is the partition's own then).
   */
  private boolean goesWithParent(DbObject o) {
    String parentId = attachedTo(o);
    if (parentId == null || !dropped.contains(parentId)) {
      return false;
    }
    DbObject parent = from.objects().get(parentId);
    DbObject table = from.objects().get("table " + o.schema() + "." + o.table());
    return !(parent != null && isDroppedTable(parent.schema(), parent.table()) && table != null && detached(table));
  }

  /**
   * Fills {@link #unsettled}. An object is settled when it is in both models with the same hash and the same facts,
   * is neither dropped nor created, nothing it depends on changed, and (tables and views) nothing on it changed:
   * every phase below would find nothing to do for it. A sequence owned by a column of a re-created table is
   * released and owned again, so it is never settled.
   */
  private void settle(List<Match> matches) {
    boolean[] changedAt = new boolean[matches.size()];
    Set<String> changed = new HashSet<>();
    for (int i = 0; i < matches.size(); i++) {
      Match m = matches.get(i);
      changedAt[i] = m.old() == null || m.now() == null || dropped.contains(m.old().id()) || created.contains(m.now().id())
          || !sameHash(m.old(), m.now()) || !m.old().sameFacts(m.now());
      if (changedAt[i]) {
        changed.add(m.old() == null ? m.now().id() : m.old().id());
      }
    }
    unsettled.addAll(changed);
    Set<String> recreatedTables = recreatedTableNames();
    for (int i = 0; i < matches.size(); i++) {
      Match m = matches.get(i);
      for (DbObject o : new DbObject[] {m.old(), m.now()}) {
        if (o == null) {
          continue;
        }
        if (changedAt[i]) {
          if (o.table() != null) { // what hangs on a table or view changed: so did its table's or view's state
            unsettled.add("table " + o.schema() + "." + o.table());
            unsettled.add("view " + o.schema() + "." + o.table());
          }
          continue;
        }
        for (String d : o.deps()) {
          if (changed.contains(d)) {
            unsettled.add(o.id());
            break;
          }
        }
        if (o.kind().equals("sequence") && !recreatedTables.isEmpty() && ownedByOneOf(o, recreatedTables)) {
          unsettled.add(o.id());
        }
      }
    }
    for (Match m : matches) {
      if (m.now() != null && unsettled.contains(m.now().id())) {
        unsettledTo.add(m.now());
      }
    }
  }

  /** The sequence is owned by a column of one of these tables (printed names, as {@code ownedBy} prints them). */
  private static boolean ownedByOneOf(DbObject sequence, Set<String> tables) {
    String owner = sequence.extraText("ownedBy");
    return owner != null && tables.stream().anyMatch(t -> owner.startsWith(t + "."));
  }

  /** The action, for unsettled objects only (for the passes in dependency order, which order every object). */
  private java.util.function.Consumer<DbObject> unlessSettled(java.util.function.Consumer<DbObject> action) {
    return o -> {
      if (unsettled.contains(o.id())) {
        action.accept(o);
      }
    };
  }

  private boolean mustRecreate(DbObject old, DbObject now) {
    return switch (old.kind()) {
      case "table" -> !Objects.equals(old.extraText("partitionKey"), now.extraText("partitionKey"));
      case "sequence", "schema", "extension" -> false;
      case "type" -> !enumOnlyAddsValues(old, now) && !bothComposite(old, now) && !bothEnums(old, now);
      case "function" -> !Objects.equals(old.extraText("returns"), now.extraText("returns"))
          || !Objects.equals(old.extraText("prokind"), now.extraText("prokind"))
          || !Objects.equals(old.extraText("arguments"), now.extraText("arguments"));
      case "constraint" -> !onlyValidated(old, now);
      default -> true;
    };
  }

  private static boolean bothEnums(DbObject old, DbObject now) {
    return "e".equals(old.extraText("typtype")) && "e".equals(now.extraText("typtype"));
  }

  private static boolean bothComposite(DbObject old, DbObject now) {
    return "c".equals(old.extraText("typtype")) && "c".equals(now.extraText("typtype"));
  }

  private static Map<String, String> attributes(DbObject type) {
    Map<String, String> attributes = new java.util.LinkedHashMap<>();
    if (type.extra().has("attributes") && type.extra().get("attributes").isArray()) {
      type.extra().get("attributes").forEach(a -> attributes.put(a.get(0).asText(), a.get(1).asText()));
    }
    return attributes;
  }

  private static boolean onlyValidated(DbObject old, DbObject now) {
    return "false".equals(old.extraText("validated")) && "true".equals(now.extraText("validated"))
        && old.extraText("definition").replace(" NOT VALID", "").equals(now.extraText("definition"));
  }

  private static boolean enumOnlyAddsValues(DbObject old, DbObject now) {
    if (!"e".equals(old.extraText("typtype")) || !"e".equals(now.extraText("typtype"))) {
      return false;
    }
    List<String> before = labels(old);
    List<String> after = labels(now);
    return after.containsAll(before) && after.stream().filter(before::contains).toList().equals(before);
  }

  private static List<String> labels(DbObject type) {
    List<String> labels = new ArrayList<>();
    if (type.extra().has("labels") && type.extra().get("labels").isArray()) {
      type.extra().get("labels").forEach(l -> labels.add(l.asText()));
    }
    return labels;
  }

  /** A column dropped or retyped: views over the table must be rebuilt around the change. */
  private static boolean reshapes(Relation old, Relation now) {
    for (Column column : old.columns()) {
      Column same = now.columns().stream().filter(c -> c.name().equals(column.name())).findFirst().orElse(null);
      if (same == null || !same.type().equals(column.type()) || !Objects.equals(same.collation(), column.collation())) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- drops

  private void dropPhase() {
    for (String kind : List.of("trigger", "rule", "policy")) {
      forEach(from, dropped, kind, Order.ANY, this::drop);
    }
    forEach(from, dropped, "view", Order.DEPENDENTS_FIRST, this::drop);
    forEach(from, dropped, "constraint", Order.ANY, o -> {
      if ("f".equals(o.extraText("type"))) drop(o);
    });
    forEach(from, dropped, "constraint", Order.ANY, o -> {
      if (!"f".equals(o.extraText("type")) && !onDetachedPartition(o)) drop(o);
    });
    forEach(from, dropped, "index", Order.ANY, o -> {
      if (!onDetachedPartition(o)) drop(o);
    });
    // re-created functions and types go now; objects that are only removed go after the tables stopped using them
    forEach(from, recreated(), "function", Order.DEPENDENTS_FIRST, this::drop);
    forEach(from, unsettled, "sequence", Order.ANY, this::releaseSequence);
    forEach(from, unsettled, "table", Order.ANY, this::detach);
    // a detached partition's index or key is its own: it can be dropped only now
    for (String kind : List.of("constraint", "index")) {
      forEach(from, dropped, kind, Order.ANY, o -> {
        if (onDetachedPartition(o)) drop(o);
      });
    }
    forEach(from, dropped, "table", Order.DEPENDENTS_FIRST, this::drop);
    forEach(from, recreated(), "type", Order.DEPENDENTS_FIRST, this::drop);
  }

  private void lateDropPhase() {
    Set<String> removed = new LinkedHashSet<>(dropped);
    removed.removeAll(created);
    forEach(from, removed, "function", Order.DEPENDENTS_FIRST, this::drop);
    forEach(from, removed, "sequence", Order.DEPENDENTS_FIRST, this::drop);
    forEach(from, removed, "type", Order.DEPENDENTS_FIRST, this::drop);
    forEach(from, removed, "collation", Order.ANY, this::drop);
    forEach(from, removed, "extension", Order.DEPENDENTS_FIRST, this::drop);
    forEach(from, removed, "schema", Order.DEPENDENTS_FIRST, this::drop);
  }

  /** Sequences that outlive their owning column are released first, so that dropping the column keeps them. */
  private final Set<String> released = new HashSet<>();

  private void releaseSequence(DbObject old) {
    DbObject now = to.objects().get(old.id());
    String owner = old.extraText("ownedBy");
    boolean kept = now != null && !created.contains(now.id());
    if (owner != null && (kept && (ownedByOneOf(old, recreatedTableNames()) || !owner.equals(now.extraText("ownedBy")))
        || !kept && usedByAnotherTable(old, owner))) {
      // a sequence that goes but that another table's default still uses (an inheriting child's, say) must not go
      // with its column, before that default changes: it is dropped with the removed sequences, at the end
      add("ALTER SEQUENCE " + Sql.qualified(old.schema(), old.name()) + " OWNED BY NONE;", Bump.PATCH);
      released.add(old.id());
    }
  }

  /** A table other than the sequence's owner has a default that calls it (as PostgreSQL prints such a default). */
  private boolean usedByAnotherTable(DbObject sequence, String owner) {
    String call = "nextval('" + SchemaModel.printedName(sequence.schema(), sequence.name()) + "'::regclass)";
    return from.ofKind("table").stream()
        .anyMatch(t -> !owner.startsWith(quotedName(t) + ".") && t.ddl().contains(call));
  }

  /** The partition's parent is dropped and created again: the partition is detached first and attached afterwards. */
  private boolean parentRecreated(DbObject partition) {
    String parent = partition.extraText("partitionOf");
    DbObject p = parent == null ? null : from.tableByQuotedName(parent);
    return p != null && dropped.contains(p.id()) && created.contains(p.id());
  }

  private Set<String> recreatedTableNames;

  /** Printed names of the tables that are dropped and created again (computed once: sequences ask for each). */
  private Set<String> recreatedTableNames() {
    if (recreatedTableNames == null) {
      recreatedTableNames = new HashSet<>();
      for (DbObject t : from.ofKind("table")) {
        if (created.contains(t.id()) && dropped.contains(t.id())) {
          recreatedTableNames.add(quotedName(t));
        }
      }
    }
    return recreatedTableNames;
  }

  private Set<String> recreated() {
    Set<String> both = new LinkedHashSet<>(dropped);
    both.retainAll(created);
    return both;
  }

  /** A kept partition that leaves its parent (another parent or bound, or the parent is re-created): detached first. */
  private boolean detached(DbObject old) {
    DbObject now = to.objects().get(old.id());
    String oldParent = old.extraText("partitionOf");
    return now != null && !created.contains(now.id()) && oldParent != null
        && (!oldParent.equals(now.extraText("partitionOf")) || parentRecreated(old)
            || !Objects.equals(old.extraText("partitionBound"), now.extraText("partitionBound")));
  }

  /** A partition's index or key (attached to its parent's), on a partition that is detached before the drops. */
  private boolean onDetachedPartition(DbObject index) {
    DbObject table = index.table() == null ? null : from.objects().get("table " + index.schema() + "." + index.table());
    return attachedTo(index) != null && table != null && detached(table);
  }

  /** Partitions leave their old parent, and children their old parents, before any table changes. */
  private void detach(DbObject old) {
    DbObject now = to.objects().get(old.id());
    if (now == null || created.contains(now.id())) {
      return;
    }
    String table = Sql.qualified(old.schema(), old.name());
    if (detached(old)) {
      add("ALTER TABLE " + old.extraText("partitionOf") + " DETACH PARTITION " + table + ";", Bump.MAJOR, Hazard.BREAKS_CLIENTS);
    }
    List<String> newInherits = texts(now, "inherits");
    texts(old, "inherits").stream().filter(p -> !newInherits.contains(p))
        .forEach(p -> add("ALTER TABLE " + table + " NO INHERIT " + p + ";", Bump.MAJOR));
  }

  private void drop(DbObject o) {
    if (o.table() != null && isDroppedTable(o.schema(), o.table()) && !o.kind().equals("constraint")) {
      return; // goes with its table
    }
    if (o.kind().equals("constraint") && isDroppedTable(o.schema(), o.table())) {
      if (!"f".equals(o.extraText("type"))) {
        return;
      }
    }
    if (goesWithParent(o)) {
      return; // goes with the partitioned index or key it is attached to
    }
    String on = o.table() == null ? null : " ON " + Sql.qualified(o.schema(), o.table());
    String name = Sql.qualified(o.schema(), o.name());
    switch (o.kind()) {
      case "trigger" -> add("DROP TRIGGER " + Sql.ident(o.name()) + on + ";", Bump.MAJOR);
      case "rule" -> add("DROP RULE " + Sql.ident(o.name()) + on + ";", Bump.MAJOR);
      case "policy" -> add("DROP POLICY " + Sql.ident(o.name()) + on + ";", Bump.MAJOR);
      case "view" -> add((materialized(o) ? "DROP MATERIALIZED VIEW " : "DROP VIEW ") + name + ";", Bump.MAJOR, Hazard.BREAKS_CLIENTS);
      case "constraint" -> add("ALTER TABLE " + Sql.qualified(o.schema(), o.table()) + " DROP CONSTRAINT " + Sql.ident(o.name()) + ";",
          Bump.MAJOR);
      // a partition's key attached to a plain index holds it, and the index the key: only CASCADE drops the pair
      // (the key is dropped too in this plan: goesWithParent)
      case "index" -> add("DROP INDEX " + name + (holdsKeys(o) ? " CASCADE;" : ";"), Bump.MAJOR);
      case "function" -> add("DROP " + o.routine() + ";",
          Bump.MAJOR, Hazard.BREAKS_CLIENTS);
      case "table" -> add("DROP TABLE " + name + ";", Bump.MAJOR, Hazard.DATA_LOSS, Hazard.BREAKS_CLIENTS);
      case "sequence" -> add("DROP SEQUENCE IF EXISTS " + name + ";", Bump.MAJOR, Hazard.DATA_LOSS);
      case "type" -> add(("d".equals(o.extraText("typtype")) ? "DROP DOMAIN " : "DROP TYPE ") + name + ";", Bump.MAJOR, Hazard.BREAKS_CLIENTS);
      case "collation" -> add("DROP COLLATION " + name + ";", Bump.MAJOR);
      case "extension" -> add("DROP EXTENSION " + Sql.ident(o.name()) + ";", Bump.MAJOR, Hazard.BREAKS_CLIENTS);
      case "schema" -> add("DROP SCHEMA " + Sql.ident(o.name()) + ";", Bump.MAJOR, Hazard.BREAKS_CLIENTS);
      default -> throw new IllegalStateException("cannot drop a " + o.kind());
    }
  }

  private Set<String> indexesWithKeys;

  /** A key (of a partition) is attached to this plain index (of its parent). */
  private boolean holdsKeys(DbObject index) {
    if (indexesWithKeys == null) {
      indexesWithKeys = new HashSet<>();
      for (DbObject key : from.ofKind("constraint")) {
        String parent = attachedTo(key);
        if (parent != null && parent.startsWith("index ")) {
          indexesWithKeys.add(parent);
        }
      }
    }
    return indexesWithKeys.contains(index.id());
  }

  /** The table or view is dropped (for good or to be re-created): what hangs on it goes with it. */
  private boolean isDroppedTable(String schema, String table) {
    return dropped.contains("table " + schema + "." + table) || dropped.contains("view " + schema + "." + table);
  }

  // ---------------------------------------------------------------- creates and alters

  private void createPhase() {
    forEach(to, created, "schema", Order.ANY, o -> add("CREATE SCHEMA IF NOT EXISTS " + Sql.ident(o.name()) + ";", Bump.MINOR));
    forEach(to, created, "extension", Order.DEPENDENCIES_FIRST, o -> add(o.ddl(), Bump.MINOR));
    forEach(to, unsettled, "extension", Order.ANY, this::alterExtension);
    forEach(to, created, "collation", Order.ANY, o -> add(o.ddl(), Bump.MINOR));
    forEach(to, all(to), "type", Order.DEPENDENCIES_FIRST, unlessSettled(this::createOrAlterType));
    forEach(to, all(to), "function", Order.DEPENDENCIES_FIRST, unlessSettled(this::createOrReplaceFunction));
    forEach(to, unsettled, "sequence", Order.ANY, this::createOrAlterSequence);
    forEach(to, all(to), "table", Order.DEPENDENCIES_FIRST, unlessSettled(this::createOrAlterTable));
    forEach(to, unsettled, "sequence", Order.ANY, this::sequenceOwnership);
    forEach(to, unsettled, "constraint", Order.ANY, o -> {
      if (!"f".equals(o.extraText("type"))) addConstraint(o);
    });
    forEach(to, created, "index", Order.DEPENDENCIES_FIRST, o -> {
      if (!onView(o) && !afterAttach.contains(o.id())) createIndex(o);
    });
    forEach(to, all(to), "table", Order.DEPENDENCIES_FIRST, unlessSettled(this::attachPartition));
    forEach(to, unsettled, "index", Order.ANY, o -> {
      if (!onView(o)) attachIndex(o);
    });
    forEach(to, afterAttach, "index", Order.ANY, this::createIndex);
    forEach(to, unsettled, "constraint", Order.ANY, this::attachIndex);
    forEach(to, unsettled, "constraint", Order.ANY, o -> {
      if ("f".equals(o.extraText("type"))) addConstraint(o);
    });
    forEach(to, unsettled, "table", Order.ANY, this::tableFlags);
    forEach(to, created, "view", Order.DEPENDENCIES_FIRST, o -> add(o.ddl(), Bump.MINOR));
    forEach(to, created, "index", Order.ANY, o -> {
      if (onView(o)) createIndex(o);
    });
    forEach(to, unsettled, "table", Order.ANY, this::replicaIdentityIndex);
    for (String kind : List.of("trigger", "rule", "policy")) {
      forEach(to, created, kind, Order.ANY, o -> add(o.ddl(), Bump.MINOR));
    }
    forEach(to, created, "trigger", Order.ANY, this::triggerState);
    forEach(to, unsettled, "table", Order.ANY, this::clustering);
  }

  private boolean onView(DbObject index) {
    return to.objects().containsKey("view " + index.schema() + "." + index.table());
  }

  /** An index on a partitioned table is made ON ONLY that table; its partitions' indexes are created and attached. */
  private void createIndex(DbObject index) {
    add(index.ddl(), Bump.MINOR);
  }

  private void attachIndex(DbObject index) {
    if (index.table() != null && attachLater.contains("table " + index.schema() + "." + index.table())) {
      return; // attached with its partition
    }
    String parent = index.extraText("parentIndex");
    DbObject old = created.contains(index.id()) ? null : from.objects().get(index.id());
    if (parent != null && (old == null || !parent.equals(old.extraText("parentIndex")))) {
      String name = index.kind().equals("constraint") ? index.extraText("indexName") : index.name();
      add("ALTER INDEX " + parent + " ATTACH PARTITION " + Sql.qualified(index.schema(), name) + ";", Bump.MINOR);
    }
  }

  private void replicaIdentityIndex(DbObject table) {
    if (!"i".equals(table.extraText("replicaIdentity"))) {
      return;
    }
    DbObject old = created.contains(table.id()) ? null : from.objects().get(table.id());
    String now = replicaIndex(to, table);
    String before = old == null || !"i".equals(old.extraText("replicaIdentity")) ? null : replicaIndex(from, old);
    boolean recreated = to.on(table.schema(), table.name()).stream().anyMatch(o -> created.contains(o.id()) && o.name().equals(now));
    if (now != null && (!now.equals(before) || recreated)) {
      add("ALTER TABLE " + Sql.qualified(table.schema(), table.name()) + " REPLICA IDENTITY USING INDEX " + Sql.ident(now) + ";", Bump.PATCH);
    }
  }

  private static String replicaIndex(SchemaModel model, DbObject table) {
    return model.on(table.schema(), table.name()).stream().filter(o -> "true".equals(o.extraText("replicaIdentity")))
        .map(o -> o.kind().equals("index") ? o.name() : o.extraText("indexName")).findFirst().orElse(null);
  }

  private static String quotedName(DbObject o) {
    return SchemaModel.printedName(o.schema(), o.name());
  }

  private void triggerState(DbObject trigger) {
    String state = switch (Objects.requireNonNullElse(trigger.extraText("enabled"), "O")) {
      case "D" -> "DISABLE TRIGGER ";
      case "R" -> "ENABLE REPLICA TRIGGER ";
      case "A" -> "ENABLE ALWAYS TRIGGER ";
      default -> null;
    };
    if (state != null) {
      add("ALTER TABLE " + Sql.qualified(trigger.schema(), trigger.table()) + " " + state + Sql.ident(trigger.name()) + ";", Bump.PATCH);
    }
  }

  /** The index a table is clustered on, by index name, or null. */
  private static String clusteredIndex(SchemaModel model, DbObject table) {
    return model.on(table.schema(), table.name()).stream()
        .filter(o -> "true".equals(o.extraText("clustered")))
        .map(o -> o.kind().equals("index") ? o.name() : o.extraText("indexName")).findFirst().orElse(null);
  }

  private void clustering(DbObject table) {
    DbObject old = created.contains(table.id()) ? null : from.objects().get(table.id());
    String now = clusteredIndex(to, table);
    String before = old == null ? null : clusteredIndex(from, old);
    String name = Sql.qualified(table.schema(), table.name());
    boolean indexRecreated = now != null && to.on(table.schema(), table.name()).stream().anyMatch(o -> created.contains(o.id())
        && (now.equals(o.name()) || now.equals(o.extraText("indexName"))));
    if (now != null && (!now.equals(before) || indexRecreated)) {
      add("ALTER TABLE " + name + " CLUSTER ON " + Sql.ident(now) + ";", Bump.PATCH);
    } else if (now == null && before != null) {
      add("ALTER TABLE " + name + " SET WITHOUT CLUSTER;", Bump.PATCH);
    }
  }

  private Set<String> all(SchemaModel model) {
    return model.objects().keySet();
  }

  private void alterExtension(DbObject o) {
    DbObject old = from.objects().get(o.id());
    if (old != null && !created.contains(o.id()) && !Objects.equals(old.extraText("version"), o.extraText("version"))) {
      add("ALTER EXTENSION " + Sql.ident(o.name()) + " UPDATE TO " + Sql.literal(o.extraText("version")) + ";", Bump.PATCH);
    }
  }

  private void createOrAlterType(DbObject o) {
    if (created.contains(o.id())) {
      add(o.ddl(), Bump.MINOR);
      return;
    }
    DbObject old = from.objects().get(o.id());
    if (old == null || sameBody(old, o)) {
      return;
    }
    String type = Sql.qualified(o.schema(), o.name());
    if (bothComposite(old, o)) {
      Map<String, String> was = attributes(old);
      Map<String, String> now = attributes(o);
      was.keySet().stream().filter(a -> !now.containsKey(a))
          .forEach(a -> add("ALTER TYPE " + type + " DROP ATTRIBUTE " + Sql.ident(a) + ";", Bump.MAJOR, Hazard.DATA_LOSS));
      now.forEach((a, t) -> {
        if (!was.containsKey(a)) {
          add("ALTER TYPE " + type + " ADD ATTRIBUTE " + Sql.ident(a) + " " + t + ";", Bump.MINOR);
        } else if (!was.get(a).equals(t)) {
          add("ALTER TYPE " + type + " ALTER ATTRIBUTE " + Sql.ident(a) + " TYPE " + t + ";", Bump.MAJOR, Hazard.DATA_LOSS);
        }
      });
      return;
    }
    List<String> before = labels(old);
    List<String> after = labels(o);
    if (!enumOnlyAddsValues(old, o)) {
      swapEnum(old, o, Hazard.DATA_LOSS);
      return;
    }
    if (newLabelUsed(o, before, after)) {
      // a value ADD VALUE makes cannot be used before the transaction commits; one a type created in it has can be
      swapEnum(old, o, Hazard.TABLE_REWRITE);
      return;
    }
    for (int i = 0; i < after.size(); i++) {
      String label = after.get(i);
      if (before.contains(label)) {
        continue;
      }
      String position = i + 1 < after.size() && before.contains(after.get(i + 1))
          ? " BEFORE " + Sql.literal(after.get(i + 1))
          : i > 0 ? " AFTER " + Sql.literal(after.get(i - 1)) : "";
      add("ALTER TYPE " + type + " ADD VALUE " + Sql.literal(label) + position + ";", Bump.MINOR);
      before.add(label);
    }
  }

  /**
   * A label the enum gains appears as a constant of the type (PostgreSQL prints them {@code 'label'::schema.type}) in
   * an object the plan creates or changes: a default, a check, a view, an index predicate. PostgreSQL refuses such a
   * use of a value ALTER TYPE ... ADD VALUE added in the same transaction ("unsafe use of new value").
   */
  private boolean newLabelUsed(DbObject type, List<String> before, List<String> after) {
    String cast = "::" + SchemaModel.printedName(type.schema(), type.name());
    // as ruleutils.c prints a constant (standard_conforming_strings on): quotes doubled, backslashes as they are,
    // never E'' (which Sql.literal writes for a backslash, for statements of ours)
    List<String> constants = after.stream().filter(l -> !before.contains(l))
        .map(l -> "'" + l.replace("'", "''") + "'" + cast).toList();
    return unsettledTo.stream().filter(o -> !o.id().equals(type.id()))
        .anyMatch(o -> constants.stream().anyMatch(o.ddl()::contains));
  }

  /**
   * An enum that loses or reorders values, or whose new values the plan uses, cannot be altered in place: the old type
   * is renamed, the new one created, every column of it converted through text (its default set again), and the old
   * type dropped. The conversion carries {@code conversion}: data loss when values go, a rewrite when none do.
   */
  private void swapEnum(DbObject old, DbObject now, Hazard conversion) {
    String type = Sql.qualified(now.schema(), now.name());
    String oldName = now.name().length() > 50 ? now.name().substring(0, 50) + "_old" : now.name() + "__gitversion_old";
    String printed = SchemaModel.printedName(now.schema(), now.name());
    add("ALTER TYPE " + type + " RENAME TO " + Sql.ident(oldName) + ";", Bump.MAJOR);
    add(now.ddl(), Bump.MAJOR);
    for (DbObject table : from.ofKind("table")) {
      for (Column c : table.relation().columns()) {
        String array = c.type().equals(printed + "[]") ? "[]" : ""; // an array of it converts through text[]
        if (!c.type().equals(printed) && array.isEmpty()) {
          continue;
        }
        String column = "ALTER TABLE " + Sql.qualified(table.schema(), table.name()) + " ALTER COLUMN " + Sql.ident(c.name());
        if (c.defaultExpr() != null) {
          add(column + " DROP DEFAULT;", Bump.PATCH);
        }
        add(column + " TYPE " + type + array + " USING " + Sql.ident(c.name()) + "::text" + array + "::" + type + array + ";",
            Bump.MAJOR, conversion);
        if (c.defaultExpr() != null) {
          add(column + " SET DEFAULT " + c.defaultExpr() + ";", Bump.PATCH);
        }
      }
    }
    add("DROP TYPE " + Sql.qualified(now.schema(), oldName) + ";", Bump.MAJOR);
  }

  private void createOrReplaceFunction(DbObject o) {
    DbObject old = from.objects().get(o.id());
    if (created.contains(o.id()) || (old != null && !sameBody(old, o))) {
      add(o.ddl(), old == null ? Bump.MINOR : Bump.PATCH);
    }
  }

  private void createOrAlterSequence(DbObject o) {
    DbObject old = from.objects().get(o.id());
    if (created.contains(o.id())) {
      add(o.ddl(), Bump.MINOR);
    } else if (old != null && !old.ddl().equals(o.ddl())) {
      boolean unloggedBefore = old.ddl().startsWith("CREATE UNLOGGED");
      boolean unloggedAfter = o.ddl().startsWith("CREATE UNLOGGED");
      String name = Sql.qualified(o.schema(), o.name());
      if (unloggedBefore != unloggedAfter) {
        add("ALTER SEQUENCE " + name + (unloggedAfter ? " SET UNLOGGED;" : " SET LOGGED;"), Bump.PATCH);
      }
      add(o.ddl().replaceFirst("^CREATE (UNLOGGED )?SEQUENCE", "ALTER SEQUENCE").replace(" START WITH ", " START WITH ")
          .replaceFirst(" START WITH (-?\\d+)", " START WITH $1 RESTART WITH $1"), Bump.PATCH);
    }
  }

  private void sequenceOwnership(DbObject o) {
    DbObject old = from.objects().get(o.id());
    String owner = o.extraText("ownedBy");
    String before = old == null || created.contains(o.id()) || released.contains(o.id()) ? null : old.extraText("ownedBy");
    if (!Objects.equals(owner, before)) {
      add("ALTER SEQUENCE " + Sql.qualified(o.schema(), o.name()) + " OWNED BY " + (owner == null ? "NONE" : owner) + ";", Bump.PATCH);
    }
  }

  private void createOrAlterTable(DbObject o) {
    DbObject old = created.contains(o.id()) ? null : from.objects().get(o.id());
    if (old != null && sameBody(old, o) && !parentRecreated(old)) {
      return; // columns, partitioning, parents and options are all part of the body
    }
    Relation now = relation(o);
    String table = Sql.qualified(o.schema(), o.name());
    if (old == null && attachesLater(o)) {
      List<String> definitions = new ArrayList<>(now.columns().stream().map(Canonical::columnDefinition).toList());
      // attaching needs the parent's checks in place; PostgreSQL then marks them inherited, as in a partition made in place
      DbObject parent = to.tableByQuotedName(o.extraText("partitionOf"));
      for (DbObject check : to.on(parent.schema(), parent.name())) {
        if (check.kind().equals("constraint") && "c".equals(check.extraText("type"))) {
          definitions.add("CONSTRAINT " + Sql.ident(check.name()) + " " + check.extraText("definition"));
        }
      }
      add("CREATE " + (now.unlogged() ? "UNLOGGED " : "") + "TABLE " + table + " (\n    " + String.join(",\n    ", definitions) + "\n);",
          Bump.MINOR);
      attachLater.add(o.id());
      return;
    }
    if (old == null) {
      String partitionOf = o.extraText("partitionOf");
      StringBuilder sql = new StringBuilder("CREATE ").append(now.unlogged() ? "UNLOGGED " : "").append("TABLE ").append(table);
      if (partitionOf != null) {
        sql.append(" PARTITION OF ").append(partitionOf).append(' ').append(o.extraText("partitionBound"));
      } else {
        List<String> local = localColumns(o);
        List<String> definitions = now.columns().stream().filter(c -> local.contains(c.name())).map(Canonical::columnDefinition).toList();
        sql.append(" (").append(definitions.isEmpty() ? "" : "\n    " + String.join(",\n    ", definitions) + "\n").append(")");
        if (o.extra().has("inherits") && o.extra().get("inherits").isArray()) {
          List<String> parents = new ArrayList<>();
          o.extra().get("inherits").forEach(p -> parents.add(p.asText()));
          sql.append(" INHERITS (").append(String.join(", ", parents)).append(")");
        }
      }
      if (o.extraText("partitionKey") != null) {
        sql.append(" PARTITION BY ").append(o.extraText("partitionKey"));
      }
      if (o.extra().has("options") && o.extra().get("options").isArray()) {
        List<String> options = new ArrayList<>();
        o.extra().get("options").forEach(p -> options.add(p.asText()));
        sql.append(" WITH (").append(String.join(", ", options)).append(")");
      }
      add(sql.append(";").toString(), Bump.MINOR);
      // inherited columns take the parent's default; a child's own default is set afterwards
      List<String> local = localColumns(o);
      Map<String, String> parentDefaults = new java.util.HashMap<>();
      Set<String> parentNotNull = new HashSet<>();
      for (String parent : newInherits(o)) {
        DbObject p = to.tableByQuotedName(parent);
        if (p != null) {
          relation(p).columns().forEach(c -> parentDefaults.putIfAbsent(c.name(), c.defaultExpr()));
          relation(p).columns().stream().filter(Column::notNull).forEach(c -> parentNotNull.add(c.name()));
        }
      }
      for (Column c : now.columns()) {
        if (!local.contains(c.name()) && c.identity() == null && c.generated() == null
            && !Objects.equals(c.defaultExpr(), parentDefaults.get(c.name())) && c.defaultExpr() != null) {
          add("ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(c.name()) + " SET DEFAULT " + c.defaultExpr() + ";", Bump.PATCH);
        }
        if (!local.contains(c.name()) && c.notNull() && c.identity() == null && !parentNotNull.contains(c.name())) {
          add("ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(c.name()) + " SET NOT NULL;", Bump.PATCH);
        }
      }
      return;
    }
    Relation was = relation(old);
    List<String> oldLocal = localColumns(old);
    List<String> newLocal = localColumns(o);
    Set<String> parentColumnsNow = new HashSet<>();
    for (String parent : newInherits(o)) {
      DbObject p = to.tableByQuotedName(parent);
      if (p != null) {
        relation(p).columns().forEach(c -> parentColumnsNow.add(c.name()));
      }
    }
    // a table leaving its parents keeps their columns as its own; those the new parents lack are dropped below
    boolean leavesParents = !newInherits(old).isEmpty() && !newInherits(o).containsAll(newInherits(old));
    Relation before = only(was, c -> oldLocal.contains(c.name()) || leavesParents
        || (newLocal.contains(c.name()) && parentColumnsNow.contains(c.name())));
    // a table moving to other parents keeps its columns (detached, they are its own) and is attached with them
    Relation after = only(now, c -> newLocal.contains(c.name()) || oldLocal.contains(c.name())
        || (leavesParents && parentColumnsNow.contains(c.name())));
    steps.addAll(TablePlanner.plan(before, TablePlanner.matchColumnsByName(before, after)).steps());
    for (Column c : now.columns()) {
      Column w = was.columns().stream().filter(x -> x.name().equals(c.name())).findFirst().orElse(null);
      boolean inheritedInBoth = w != null && !newLocal.contains(c.name()) && !oldLocal.contains(c.name());
      if (inheritedInBoth && !Objects.equals(w.defaultExpr(), c.defaultExpr())) {
        add("ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(c.name())
            + (c.defaultExpr() == null ? " DROP DEFAULT;" : " SET DEFAULT " + c.defaultExpr() + ";"), Bump.PATCH);
      }
      if (inheritedInBoth && w.notNull() != c.notNull() && c.identity() == null && w.identity() == null) {
        add("ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(c.name()) + (c.notNull() ? " SET NOT NULL;" : " DROP NOT NULL;"),
            c.notNull() ? Bump.MAJOR : Bump.MINOR);
      }
    }
    if (attachesLater(o)) {
      attachLater.add(o.id()); // after its indexes exist, so that PostgreSQL adopts them
    }
    List<String> oldInherits = texts(old, "inherits");
    List<String> newInherits = texts(o, "inherits");
    newInherits.stream().filter(p -> !oldInherits.contains(p)).forEach(p -> add("ALTER TABLE " + table + " INHERIT " + p + ";", Bump.MINOR));
    List<String> oldOptions = texts(old, "options");
    List<String> newOptions = texts(o, "options");
    if (!oldOptions.equals(newOptions)) {
      List<String> reset = oldOptions.stream().map(opt -> opt.substring(0, opt.indexOf('='))).filter(k -> newOptions.stream().noneMatch(n -> n.startsWith(k + "="))).toList();
      if (!reset.isEmpty()) {
        add("ALTER TABLE " + table + " RESET (" + String.join(", ", reset) + ");", Bump.PATCH);
      }
      if (!newOptions.isEmpty()) {
        add("ALTER TABLE " + table + " SET (" + String.join(", ", newOptions) + ");", Bump.PATCH);
      }
    }
  }

  /**
   * The table (of {@code to}) is a partition that the plan attaches to its parent after creating or altering it: a new
   * partition of a parent that exists, or a kept table that gets another parent or bound, or whose parent is re-created.
   */
  private boolean attachesLater(DbObject now) {
    String newParent = now.extraText("partitionOf");
    if (newParent == null) {
      return false;
    }
    DbObject old = created.contains(now.id()) ? null : from.objects().get(now.id());
    if (old == null) {
      return existingParent(now);
    }
    return !newParent.equals(old.extraText("partitionOf")) || parentRecreated(old)
        || !Objects.equals(old.extraText("partitionBound"), now.extraText("partitionBound"));
  }

  /** The partition's parent exists before the plan and is kept. */
  private boolean existingParent(DbObject partition) {
    DbObject parent = to.tableByQuotedName(partition.extraText("partitionOf"));
    return parent != null && from.objects().containsKey(parent.id()) && !created.contains(parent.id());
  }

  private void attachPartition(DbObject o) {
    if (attachLater.contains(o.id())) {
      add("ALTER TABLE " + o.extraText("partitionOf") + " ATTACH PARTITION " + Sql.qualified(o.schema(), o.name()) + " "
          + o.extraText("partitionBound") + ";", Bump.MINOR, Hazard.VALIDATION);
    }
  }

  private void tableFlags(DbObject o) {
    DbObject old = created.contains(o.id()) ? null : from.objects().get(o.id());
    String table = Sql.qualified(o.schema(), o.name());
    if (!Objects.equals(flag(old, "rls"), flag(o, "rls"))) {
      add("ALTER TABLE " + table + ("true".equals(flag(o, "rls")) ? " ENABLE" : " DISABLE") + " ROW LEVEL SECURITY;", Bump.MINOR);
    }
    if (!Objects.equals(flag(old, "forceRls"), flag(o, "forceRls"))) {
      add("ALTER TABLE " + table + ("true".equals(flag(o, "forceRls")) ? " FORCE" : " NO FORCE") + " ROW LEVEL SECURITY;", Bump.MINOR);
    }
    String identity = o.extraText("replicaIdentity");
    String oldIdentity = old == null ? "d" : old.extraText("replicaIdentity");
    if (!Objects.equals(identity, oldIdentity) && !"i".equals(identity)) {
      add("ALTER TABLE " + table + " REPLICA IDENTITY " + switch (identity) {
        case "f" -> "FULL";
        case "n" -> "NOTHING";
        default -> "DEFAULT";
      } + ";", Bump.PATCH);
    }
  }

  private static List<String> newInherits(DbObject table) {
    List<String> parents = new ArrayList<>(texts(table, "inherits"));
    if (table.extraText("partitionOf") != null) {
      parents.add(table.extraText("partitionOf"));
    }
    return parents;
  }

  private static String flag(DbObject o, String field) {
    return o == null ? "false" : Objects.requireNonNullElse(o.extraText(field), "false");
  }

  private void addConstraint(DbObject o) {
    DbObject old = from.objects().get(o.id());
    if (created.contains(o.id())) {
      String ddl = o.ddl();
      DbObject table = to.objects().get("table " + o.schema() + "." + o.table());
      if (List.of("p", "u", "x").contains(o.extraText("type")) && table != null && table.extraText("partitionKey") != null) {
        // as pg_dump makes it: on the partitioned table only; its partitions' keys are made by name and attached
        ddl = "ALTER TABLE ONLY " + ddl.substring("ALTER TABLE ".length());
      }
      add(ddl, "f".equals(o.extraText("type")) || "c".equals(o.extraText("type")) ? Bump.MAJOR : Bump.MINOR, Hazard.VALIDATION);
    } else if (old != null && onlyValidated(old, o)) {
      add("ALTER TABLE " + Sql.qualified(o.schema(), o.table()) + " VALIDATE CONSTRAINT " + Sql.ident(o.name()) + ";", Bump.PATCH, Hazard.VALIDATION);
    }
  }

  // ---------------------------------------------------------------- comments

  /**
   * GRANT and REVOKE, from the difference of each object's privileges with PostgreSQL's defaults (snapshot.sql's
   * acl_delta): '+role:PRIV' is granted beyond the defaults, '-role:PRIV' revoked from them. A new object starts from
   * the defaults. The owner's own privileges are not compared.
   */
  private void privileges() {
    for (DbObject o : unsettledTo) {
      DbObject old = created.contains(o.id()) ? null : from.objects().get(o.id());
      if (!sameHash(old, o)) { // privileges are part of the canonical text: an unchanged object keeps them
        steps.addAll(privilegeSteps(old, o));
      }
    }
  }

  /** The GRANTs and REVOKEs that turn one object's privileges into another's (before null: a new object). */
  public static List<Step> privilegeSteps(DbObject before, DbObject after) {
    String target = privilegeTarget(after);
    List<Step> grants = new ArrayList<>();
    if (target == null) {
      return grants;
    }
    changes(entries(before == null ? null : before.extraText("acl")), entries(after.extraText("acl")), target, null, grants);
    if (after.kind().equals("table")) {
      Map<String, String> was = columnAcl(before);
      Map<String, String> now = columnAcl(after);
      java.util.SortedSet<String> columns = new java.util.TreeSet<>(was.keySet());
      columns.addAll(now.keySet());
      for (String column : columns) {
        if (hasColumn(after, column)) { // a column dropped or renamed took its privileges with it
          changes(entries(was.get(column)), entries(now.get(column)), target, column, grants);
        }
      }
    }
    return grants;
  }

  private static void changes(java.util.Set<String> was, java.util.Set<String> now, String target, String column, List<Step> into) {
    for (String entry : was) {
      if (!now.contains(entry)) {
        into.add(Step.of(privilegeStatement(entry, target, column, !entry.startsWith("+")), Bump.PATCH));
      }
    }
    for (String entry : now) {
      if (!was.contains(entry)) {
        into.add(Step.of(privilegeStatement(entry, target, column, entry.startsWith("+")), Bump.PATCH));
      }
    }
  }

  private static java.util.Set<String> entries(String acl) {
    return acl == null ? java.util.Set.of() : new java.util.TreeSet<>(List.of(acl.split(", ")));
  }

  /** A table's column privileges (acl_delta per column), by column name. */
  private static Map<String, String> columnAcl(DbObject table) {
    Map<String, String> acl = new java.util.TreeMap<>();
    if (table != null && table.extra() != null && table.extra().path("columnAcl").isObject()) {
      table.extra().get("columnAcl").fields().forEachRemaining(e -> acl.put(e.getKey(), e.getValue().asText()));
    }
    return acl;
  }

  /** GRANT (or REVOKE) of one entry ('+role:PRIV', '-role:PRIV*'), on the object or one of its columns. */
  private static String privilegeStatement(String entry, String target, String column, boolean grant) {
    String body = entry.substring(1);
    boolean grantable = body.endsWith("*");
    if (grantable) {
      body = body.substring(0, body.length() - 1);
    }
    int colon = body.lastIndexOf(':');
    String role = body.substring(0, colon);
    String privilege = body.substring(colon + 1) + (column == null ? "" : " (" + Sql.ident(column) + ")");
    String grantee = role.equals("PUBLIC") ? "PUBLIC" : Sql.ident(role);
    return grant
        ? "GRANT " + privilege + " ON " + target + " TO " + grantee + (grantable ? " WITH GRANT OPTION" : "") + ";"
        : "REVOKE " + privilege + " ON " + target + " FROM " + grantee + ";";
  }

  /** How GRANT names the object, or null for kinds without privileges. */
  private static String privilegeTarget(DbObject o) {
    return switch (o.kind()) {
      case "table", "view" -> "TABLE " + Sql.qualified(o.schema(), o.name());
      case "sequence" -> "SEQUENCE " + Sql.qualified(o.schema(), o.name());
      // GRANT has no AGGREGATE: an aggregate is a FUNCTION there, and one of no arguments name()
      case "function" -> o.routine().startsWith("AGGREGATE ")
          ? "FUNCTION " + o.extraText("signature").replaceFirst("\\(\\*\\)$", "()") : o.routine();
      case "schema" -> "SCHEMA " + Sql.ident(o.name());
      case "type" -> ("d".equals(o.extraText("typtype")) ? "DOMAIN " : "TYPE ") + Sql.qualified(o.schema(), o.name());
      default -> null;
    };
  }

  private void comments() {
    for (DbObject o : unsettledTo) {
      DbObject old = created.contains(o.id()) ? null : from.objects().get(o.id());
      if (sameHash(old, o)) { // so are comments, of columns and of a constraint's index too
        continue;
      }
      String before = old == null ? null : old.comment();
      if (!Objects.equals(before, o.comment()) && (o.comment() != null || old != null)) {
        add("COMMENT ON " + commentTarget(o) + " IS " + Sql.literal(o.comment()) + ";", Bump.PATCH);
      }
      if (o.kind().equals("constraint") && o.extraText("indexName") != null) {
        String was = old == null ? null : old.extraText("indexComment");
        if (!Objects.equals(was, o.extraText("indexComment")) && (o.extraText("indexComment") != null || old != null)) {
          add("COMMENT ON INDEX " + Sql.qualified(o.schema(), o.extraText("indexName")) + " IS " + Sql.literal(o.extraText("indexComment")) + ";",
              Bump.PATCH);
        }
      }
      if (o.kind().equals("table") || o.kind().equals("view")) {
        Map<String, String> now = columnComments(o);
        Map<String, String> was = old == null ? Map.of() : columnComments(old);
        now.forEach((column, comment) -> {
          if (!comment.equals(was.get(column))) {
            add("COMMENT ON COLUMN " + Sql.qualified(o.schema(), o.name()) + "." + Sql.ident(column) + " IS " + Sql.literal(comment) + ";", Bump.PATCH);
          }
        });
        was.keySet().stream().filter(c -> !now.containsKey(c) && hasColumn(o, c))
            .forEach(c -> add("COMMENT ON COLUMN " + Sql.qualified(o.schema(), o.name()) + "." + Sql.ident(c) + " IS NULL;", Bump.PATCH));
      }
    }
  }

  private static boolean hasColumn(DbObject o, String column) {
    return !o.kind().equals("table") || relation(o).columns().stream().anyMatch(c -> c.name().equals(column));
  }

  private static Map<String, String> columnComments(DbObject o) {
    Map<String, String> comments = new java.util.TreeMap<>();
    if (o.extra().has("columnComments") && o.extra().get("columnComments").isObject()) {
      o.extra().get("columnComments").fields().forEachRemaining(e -> comments.put(e.getKey(), e.getValue().asText()));
    }
    return comments;
  }

  private static String commentTarget(DbObject o) {
    String name = Sql.qualified(o.schema(), o.name());
    String on = o.table() == null ? "" : " ON " + Sql.qualified(o.schema(), o.table());
    return switch (o.kind()) {
      case "schema" -> "SCHEMA " + Sql.ident(o.name());
      case "collation" -> "COLLATION " + name;
      case "extension" -> "EXTENSION " + Sql.ident(o.name());
      case "type" -> ("d".equals(o.extraText("typtype")) ? "DOMAIN " : "TYPE ") + name;
      case "sequence" -> "SEQUENCE " + name;
      case "table" -> "TABLE " + name;
      case "view" -> (materialized(o) ? "MATERIALIZED VIEW " : "VIEW ") + name;
      case "index" -> "INDEX " + name;
      case "function" -> o.routine();
      case "constraint" -> "CONSTRAINT " + Sql.ident(o.name()) + on;
      case "trigger" -> "TRIGGER " + Sql.ident(o.name()) + on;
      case "rule" -> "RULE " + Sql.ident(o.name()) + on;
      case "policy" -> "POLICY " + Sql.ident(o.name()) + on;
      default -> throw new IllegalStateException("no comment target for " + o.kind());
    };
  }

  // ---------------------------------------------------------------- helpers

  private void add(String sql, Bump bump, Hazard... hazards) {
    steps.add(Step.of(sql, bump, hazards));
  }

  /** In which order objects of one kind are visited. */
  private enum Order { ANY, DEPENDENCIES_FIRST, DEPENDENTS_FIRST }

  /** Visits the objects of one kind among {@code ids}, by id or in dependency order. */
  private static void forEach(SchemaModel model, Set<String> ids, String kind, Order order, java.util.function.Consumer<DbObject> action) {
    // ofKind lists are in id order already
    List<DbObject> objects = model.ofKind(kind).stream().filter(o -> ids.contains(o.id())).toList();
    if (order != Order.ANY) {
      objects = new ArrayList<>(topological(objects));
      if (order == Order.DEPENDENTS_FIRST) {
        java.util.Collections.reverse(objects);
      }
    }
    objects.forEach(action);
  }

  private static List<DbObject> topological(List<DbObject> objects) {
    Map<String, DbObject> byId = new java.util.LinkedHashMap<>();
    objects.forEach(o -> byId.put(o.id(), o));
    List<DbObject> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> visiting = new HashSet<>();
    for (DbObject o : objects) {
      visit(o, byId, done, visiting, order);
    }
    return order;
  }

  private static void visit(DbObject o, Map<String, DbObject> byId, Set<String> done, Set<String> visiting, List<DbObject> order) {
    if (done.contains(o.id()) || !visiting.add(o.id())) {
      return;
    }
    for (String dep : o.deps()) {
      DbObject d = byId.get(dep);
      if (d != null) {
        visit(d, byId, done, visiting, order);
      }
    }
    done.add(o.id());
    order.add(o);
  }

  private static boolean materialized(DbObject o) {
    return "true".equals(o.extraText("materialized"));
  }

  private static Relation relation(DbObject table) {
    return table.relation();
  }

  private static Relation only(Relation r, Predicate<Column> keep) {
    return new Relation(r.kind(), r.schema(), r.name(), r.persistence(), r.columns().stream().filter(keep).toList());
  }

  private static List<String> localColumns(DbObject table) {
    List<String> local = texts(table, "localColumns");
    return local;
  }

  private static List<String> texts(DbObject o, String field) {
    List<String> values = new ArrayList<>();
    if (o.extra().has(field) && o.extra().get(field).isArray()) {
      o.extra().get(field).forEach(v -> values.add(v.asText()));
    }
    return values;
  }

  /** Same definition apart from the comment: equal hashes (computed once per model, in parallel) settle most pairs. */
  private boolean sameBody(DbObject old, DbObject now) {
    return sameHash(old, now) || body(old).equals(body(now));
  }

  /** The same canonical text (privileges and comments included); false when there is no old object. */
  private boolean sameHash(DbObject old, DbObject now) {
    String before = old == null ? null : from.hash(old);
    return before != null && before.equals(to.hash(now));
  }

  /** The object's definition without its comment (comments change by COMMENT ON, never by re-creating). */
  private static String body(DbObject o) {
    return o.body();
  }
}
