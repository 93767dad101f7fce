package io.gitversion.catalog.ddl;

import io.gitversion.catalog.model.Column;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.Relation;
import io.gitversion.catalog.model.SchemaModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides a {@link ChangeSet}: which objects of two models are dropped, created or re-created, what goes and comes
 * back with them (views over a reshaped table, what lives on a re-created table, a partition's index with its
 * parent's), and which objects are settled and need no look at all.
 */
final class ChangeDecider {
  private final ChangeSet changes;
  private final SchemaModel from;
  private final SchemaModel to;
  /** Tables whose columns change in a way that breaks views over them. */
  private final Set<String> reshapedTables = new HashSet<>();

  private ChangeDecider(SchemaModel from, SchemaModel to) {
    this.changes = new ChangeSet(from, to);
    this.from = from;
    this.to = to;
  }

  static ChangeSet decide(SchemaModel from, SchemaModel to) {
    ChangeDecider decider = new ChangeDecider(from, to);
    List<Match> matches = decider.matches();
    decider.decide(matches);
    decider.takeOverIndexes();
    decider.partitionsMadeInPlace();
    decider.settle(matches);
    return decider.changes;
  }

  /** One object matched by id across the two models: {@code old} or {@code now} is null when it is in one only. */
  private record Match(DbObject old, DbObject now) {}

  /**
   * The objects of both models matched by id, in id order: one merge of the two id-ordered models, so that the passes
   * over every object below look nothing up (at 100,000 objects, lookups by id were most of the planning time).
   */
  private List<Match> matches() {
    List<Match> matches = new ArrayList<>(Math.max(from.objects().size(), to.objects().size()));
    Iterator<DbObject> olds = from.objects().values().iterator();
    Iterator<DbObject> nows = to.objects().values().iterator();
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
    Set<String> dropped = changes.dropped;
    Set<String> created = changes.created;
    for (Match m : matches) {
      if (m.now() == null) {
        dropped.add(m.old().id());
      } else if (m.old() == null) {
        created.add(m.now().id());
      } else if (!changes.sameBody(m.old(), m.now()) && mustRecreate(m.old(), m.now())) {
        dropped.add(m.old().id());
        created.add(m.now().id());
      }
    }
    for (Match m : matches) {
      DbObject table = m.now();
      if (m.old() != null && table != null && table.kind() == ObjectKind.TABLE && !created.contains(table.id())
          && !changes.sameBody(m.old(), table) && reshapes(m.old().relation(), table.relation())) {
        reshapedTables.add(table.id());
      }
    }
    // views (and what hangs on them) over anything re-created or reshaped are rebuilt, transitively
    boolean grew = true;
    while (grew) {
      grew = false;
      for (DbObject view : from.ofKind(ObjectKind.VIEW)) {
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
        if (old == null || m.now() == null || (old.table() == null && old.kind() != ObjectKind.TRIGGER) || dropped.contains(old.id())) {
          continue;
        }
        boolean goes = changes.goesWithParent(old);
        for (String d : old.deps()) {
          goes = goes || (dropped.contains(d) && created.contains(d));
        }
        if (goes) {
          dropped.add(old.id());
          created.add(old.id());
          more = more || ChangeSet.attachedTo(old) != null;
        }
      }
    }
    // the tables are decided: which partitions the plan attaches (a table's facts say, or its parent is re-created)
    boolean parentsRecreated = !changes.recreatedTableNames().isEmpty();
    for (Match m : matches) {
      DbObject table = m.now();
      if (table != null && table.kind() == ObjectKind.TABLE
          && (m.old() == null || created.contains(table.id()) || parentsRecreated || !m.old().sameFacts(table))
          && changes.attachesLater(table)) {
        deferMatchingIndexes(table);
      }
    }
  }

  /** What PostgreSQL makes with a new partition of a parent that exists, when the plan makes it in place. */
  private void partitionsMadeInPlace() {
    for (DbObject table : to.ofKind(ObjectKind.TABLE)) {
      if (table.partitionOf() == null || !changes.created.contains(table.id()) || changes.attachesLater(table)) {
        continue;
      }
      DbObject parent = to.tableByQuotedName(table.partitionOf());
      if (parent == null || !from.objects().containsKey(parent.id()) || changes.created.contains(parent.id())) {
        continue; // a new parent's partitions get their indexes and keys from the plan
      }
      for (DbObject o : to.on(table.schema(), table.name())) {
        if ((o.kind() == ObjectKind.INDEX || o.kind() == ObjectKind.CONSTRAINT) && ChangeSet.attachedTo(o) != null) {
          changes.madeWithPartition.add(o.id());
        }
      }
    }
  }

  /**
   * A new primary key or unique constraint on a kept table whose columns are those of a unique btree index that goes
   * (as {@code ADD CONSTRAINT ... USING INDEX} leaves it: the index becomes the key's) takes that index over.
   */
  private void takeOverIndexes() {
    for (DbObject key : to.ofKind(ObjectKind.CONSTRAINT)) {
      String type = key.constraintType();
      if (!changes.created.contains(key.id()) || !("p".equals(type) || "u".equals(type)) || key.extraText("definition") == null) {
        continue;
      }
      java.util.regex.Matcher columns = java.util.regex.Pattern.compile("(?:PRIMARY KEY|UNIQUE) (\\(.*\\))").matcher(key.extraText("definition"));
      if (!columns.matches()) {
        continue;
      }
      String on = " ON " + SchemaModel.printedName(key.schema(), key.table()) + " USING btree " + columns.group(1) + ";";
      for (DbObject index : from.on(key.schema(), key.table())) {
        String parent = ChangeSet.attachedTo(index);
        if (index.kind() == ObjectKind.INDEX && changes.dropped.contains(index.id()) && !to.objects().containsKey(index.id())
            // an index attached to a parent's that goes is dropped with it: nothing is left to take over
            && (parent == null || !changes.dropped.contains(parent))
            && index.ddl().equals("CREATE UNIQUE INDEX " + SchemaModel.printed(index.name()) + on)
            && !changes.takenOver.containsValue(index)) {
          changes.takenOver.put(key.id(), index);
          changes.dropped.remove(index.id());
          break;
        }
      }
    }
  }

  /**
   * ATTACH PARTITION attaches, for each index of the parent, the oldest index of the partition that matches it and is
   * not attached yet. An index that the partition keeps to itself but that matches one the target has attached would
   * be taken in its place: it is made after the attach (and dropped before, when it exists).
   */
  private void deferMatchingIndexes(DbObject partition) {
    String on = " ON " + ChangeSet.printedName(partition) + " ";
    List<DbObject> indexes = to.on(partition.schema(), partition.name()).stream().filter(o -> o.kind() == ObjectKind.INDEX).toList();
    Set<String> attached = new HashSet<>();
    for (DbObject index : indexes) {
      if (ChangeSet.attachedTo(index) != null) {
        attached.add(shape(index, on));
      }
    }
    for (DbObject index : indexes) {
      if (ChangeSet.attachedTo(index) == null && attached.contains(shape(index, on))) {
        changes.afterAttach.add(index.id());
        changes.created.add(index.id());
        if (from.objects().containsKey(index.id())) {
          changes.dropped.add(index.id());
        }
      }
    }
  }

  /** An index's definition without its name: whether it is unique, and what follows its table's name. */
  private static String shape(DbObject index, String on) {
    int at = index.ddl().indexOf(on);
    return at < 0 ? index.id() : (index.ddl().startsWith("CREATE UNIQUE ") ? "unique" : "") + index.ddl().substring(at + on.length());
  }

  /**
   * Fills the unsettled objects. An object is settled when it is in both models with the same hash and the same facts,
   * is neither dropped nor created, nothing it depends on changed, and (tables and views) nothing on it changed:
   * every phase would find nothing to do for it. A sequence owned by a column of a re-created table is released and
   * owned again, so it is never settled.
   */
  private void settle(List<Match> matches) {
    Set<String> unsettled = changes.unsettled;
    boolean[] changedAt = new boolean[matches.size()];
    Set<String> changed = new HashSet<>();
    for (int i = 0; i < matches.size(); i++) {
      Match m = matches.get(i);
      changedAt[i] = m.old() == null || m.now() == null || changes.dropped.contains(m.old().id()) || changes.created.contains(m.now().id())
          || !changes.sameHash(m.old(), m.now()) || !m.old().sameFacts(m.now());
      if (changedAt[i]) {
        changed.add(m.old() == null ? m.now().id() : m.old().id());
      }
    }
    unsettled.addAll(changed);
    Set<String> recreatedTables = changes.recreatedTableNames();
    for (int i = 0; i < matches.size(); i++) {
      Match m = matches.get(i);
      for (DbObject o : new DbObject[] {m.old(), m.now()}) {
        if (o == null) {
          continue;
        }
        if (changedAt[i]) {
          if (o.table() != null) { // what hangs on a table or view changed: so did its table's or view's state
            unsettled.add(ObjectKind.TABLE.id(o.schema(), o.table()).key());
            unsettled.add(ObjectKind.VIEW.id(o.schema(), o.table()).key());
          }
          continue;
        }
        for (String d : o.deps()) {
          if (changed.contains(d)) {
            unsettled.add(o.id());
            break;
          }
        }
        if (o.kind() == ObjectKind.SEQUENCE && !recreatedTables.isEmpty() && ChangeSet.ownedByOneOf(o, recreatedTables)) {
          unsettled.add(o.id());
        }
      }
    }
    for (Match m : matches) {
      if (m.now() != null && unsettled.contains(m.now().id())) {
        changes.unsettledTo.add(m.now());
      }
    }
  }

  private static boolean mustRecreate(DbObject old, DbObject now) {
    return switch (old.kind()) {
      case TABLE -> !Objects.equals(old.partitionKey(), now.partitionKey());
      case SEQUENCE, SCHEMA, EXTENSION -> false;
      case TYPE -> !enumOnlyAddsValues(old, now) && !(old.isComposite() && now.isComposite()) && !(old.isEnum() && now.isEnum())
          && !sameDomainBase(old, now);
      case FUNCTION -> !Objects.equals(old.extraText("returns"), now.extraText("returns"))
          || !Objects.equals(old.extraText("prokind"), now.extraText("prokind"))
          || !Objects.equals(old.extraText("arguments"), now.extraText("arguments"));
      case CONSTRAINT -> !onlyValidated(old, now);
      default -> true;
    };
  }

  /** Both are domains over the same base type (and collation): what else differs, ALTER DOMAIN changes in place. */
  static boolean sameDomainBase(DbObject old, DbObject now) {
    return old.isDomain() && now.isDomain() && old.extra().path("domain").has("base")
        && old.extra().path("domain").path("base").equals(now.extra().path("domain").path("base"));
  }

  /** The constraint was NOT VALID and is now validated, and nothing else changed. */
  static boolean onlyValidated(DbObject old, DbObject now) {
    return "false".equals(old.extraText("validated")) && "true".equals(now.extraText("validated"))
        && old.extraText("definition").replace(" NOT VALID", "").equals(now.extraText("definition"));
  }

  /** Both are enums, and the new one has every label of the old in the same order, and maybe more. */
  static boolean enumOnlyAddsValues(DbObject old, DbObject now) {
    if (!old.isEnum() || !now.isEnum()) {
      return false;
    }
    List<String> before = old.labels();
    List<String> after = now.labels();
    return after.containsAll(before) && after.stream().filter(before::contains).toList().equals(before);
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
}
