package io.gitversion.catalog.ddl;

import static io.gitversion.catalog.model.ObjectKind.CONSTRAINT;
import static io.gitversion.catalog.model.ObjectKind.FUNCTION;
import static io.gitversion.catalog.model.ObjectKind.INDEX;
import static io.gitversion.catalog.model.ObjectKind.POLICY;
import static io.gitversion.catalog.model.ObjectKind.RULE;
import static io.gitversion.catalog.model.ObjectKind.SEQUENCE;
import static io.gitversion.catalog.model.ObjectKind.TABLE;
import static io.gitversion.catalog.model.ObjectKind.TRIGGER;
import static io.gitversion.catalog.model.ObjectKind.TYPE;
import static io.gitversion.catalog.model.ObjectKind.VIEW;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.SchemaModel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The drops: first what hangs on tables, views before what they read, keys and indexes, re-created functions; then
 * sequences released, partitions detached, tables and re-created types; at the end ({@link #dropRemoved}) what is
 * only removed, once nothing uses it any more.
 */
final class DropSteps {
  private final ChangeSet changes;
  private final PlanSteps out;
  private final SchemaModel from;
  private Set<String> indexesWithKeys;

  DropSteps(ChangeSet changes, PlanSteps out) {
    this.changes = changes;
    this.out = out;
    this.from = changes.from;
  }

  void dropChanged() {
    Set<String> dropped = changes.dropped;
    // what hangs on functions, types, tables and dictionaries, and is re-created or gone, goes first
    for (ObjectKind kind : List.of(ObjectKind.EVENT_TRIGGER, ObjectKind.CAST, ObjectKind.STATISTICS, ObjectKind.TEXT_SEARCH_CONFIGURATION)) {
      out.forEach(Order.ANY, from, dropped, kind, this::drop);
    }
    out.forEach(Order.ANY, from, changes.recreated(), ObjectKind.TEXT_SEARCH_DICTIONARY, this::drop);
    for (ObjectKind kind : List.of(TRIGGER, RULE, POLICY)) {
      out.forEach(Order.ANY, from, dropped, kind, this::drop);
    }
    out.forEach(Order.DEPENDENTS_FIRST, from, dropped, VIEW, this::drop);
    out.forEach(Order.ANY, from, dropped, CONSTRAINT, o -> {
      if (o.isForeignKey()) drop(o);
    });
    out.forEach(Order.ANY, from, dropped, CONSTRAINT, o -> {
      if (!o.isForeignKey() && !changes.onDetachedPartition(o)) drop(o);
    });
    out.forEach(Order.ANY, from, dropped, INDEX, o -> {
      if (!changes.onDetachedPartition(o)) drop(o);
    });
    // re-created functions and types go now; objects that are only removed go after the tables stopped using them
    out.forEach(Order.DEPENDENTS_FIRST, from, changes.recreated(), FUNCTION, this::drop);
    out.forEach(Order.ANY, from, changes.unsettled, SEQUENCE, this::releaseSequence);
    out.forEach(Order.ANY, from, changes.unsettled, TABLE, this::detach);
    // a detached partition's index or key is its own: it can be dropped only now
    for (ObjectKind kind : List.of(CONSTRAINT, INDEX)) {
      out.forEach(Order.ANY, from, dropped, kind, o -> {
        if (changes.onDetachedPartition(o)) drop(o);
      });
    }
    out.forEach(Order.DEPENDENTS_FIRST, from, dropped, TABLE, this::drop);
    out.forEach(Order.DEPENDENTS_FIRST, from, changes.recreated(), TYPE, this::drop);
  }

  void dropRemoved() {
    Set<String> removed = changes.removed();
    out.forEach(Order.ANY, from, removed, ObjectKind.TEXT_SEARCH_DICTIONARY, this::drop);
    out.forEach(Order.DEPENDENTS_FIRST, from, removed, FUNCTION, this::drop);
    out.forEach(Order.DEPENDENTS_FIRST, from, removed, SEQUENCE, this::drop);
    out.forEach(Order.DEPENDENTS_FIRST, from, removed, TYPE, this::drop);
    out.forEach(Order.ANY, from, removed, ObjectKind.COLLATION, this::drop);
    out.forEach(Order.DEPENDENTS_FIRST, from, removed, ObjectKind.EXTENSION, this::drop);
    out.forEach(Order.DEPENDENTS_FIRST, from, removed, ObjectKind.SCHEMA, this::drop);
  }

  /** Sequences that outlive their owning column are released first, so that dropping the column keeps them. */
  private void releaseSequence(DbObject old) {
    DbObject now = changes.to.objects().get(old.id());
    String owner = old.ownedBy();
    boolean kept = now != null && !changes.created.contains(now.id());
    if (owner != null && (kept && (ChangeSet.ownedByOneOf(old, changes.recreatedTableNames()) || !owner.equals(now.ownedBy()))
        || !kept && usedByAnotherTable(old, owner))) {
      // a sequence that goes but that another table's default still uses (an inheriting child's, say) must not go
      // with its column, before that default changes: it is dropped with the removed sequences, at the end
      out.add("ALTER SEQUENCE " + Sql.qualified(old.schema(), old.name()) + " OWNED BY NONE;");
      out.released.add(old.id());
    }
  }

  /** A table other than the sequence's owner has a default that calls it (as PostgreSQL prints such a default). */
  private boolean usedByAnotherTable(DbObject sequence, String owner) {
    String call = "nextval('" + ChangeSet.printedName(sequence) + "'::regclass)";
    return from.ofKind(TABLE).stream().anyMatch(t -> !owner.startsWith(ChangeSet.printedName(t) + ".") && t.ddl().contains(call));
  }

  /** Partitions leave their old parent, and children their old parents, before any table changes. */
  private void detach(DbObject old) {
    DbObject now = changes.to.objects().get(old.id());
    if (now == null || changes.created.contains(now.id())) {
      return;
    }
    String table = Sql.qualified(old.schema(), old.name());
    if (changes.detached(old)) {
      out.add("ALTER TABLE " + old.partitionOf() + " DETACH PARTITION " + table + ";", Hazard.BREAKS_CLIENTS);
    }
    List<String> newInherits = now.inherits();
    old.inherits().stream().filter(p -> !newInherits.contains(p))
        .forEach(p -> out.add("ALTER TABLE " + table + " NO INHERIT " + p + ";"));
  }

  private void drop(DbObject o) {
    if (o.table() != null && changes.isDroppedTable(o.schema(), o.table()) && o.kind() != CONSTRAINT) {
      return; // goes with its table
    }
    if (o.kind() == CONSTRAINT && changes.isDroppedTable(o.schema(), o.table()) && !o.isForeignKey()) {
      return; // goes with its table (a foreign key to another table is dropped before either goes)
    }
    if (changes.goesWithParent(o)) {
      return; // goes with the partitioned index or key it is attached to
    }
    String target = o.kind().target(o);
    switch (o.kind()) {
      case TRIGGER, RULE, POLICY, COLLATION, STATISTICS, EVENT_TRIGGER, CAST, TEXT_SEARCH_DICTIONARY, TEXT_SEARCH_CONFIGURATION ->
          out.add("DROP " + target + ";");
      case VIEW, FUNCTION, TYPE, EXTENSION, SCHEMA -> out.add("DROP " + target + ";", Hazard.BREAKS_CLIENTS);
      case CONSTRAINT -> out.add("ALTER TABLE " + Sql.qualified(o.schema(), o.table()) + " DROP CONSTRAINT " + Sql.ident(o.name()) + ";");
      // a partition's key attached to a plain index holds it, and the index the key: only CASCADE drops the pair
      // (the key is dropped too in this plan: goesWithParent)
      case INDEX -> out.add("DROP " + target + (holdsKeys(o) ? " CASCADE;" : ";"));
      case TABLE -> out.add("DROP " + target + ";", Hazard.DATA_LOSS, Hazard.BREAKS_CLIENTS);
      case SEQUENCE -> out.add("DROP SEQUENCE IF EXISTS " + Sql.qualified(o.schema(), o.name()) + ";", Hazard.DATA_LOSS);
    }
  }

  /** A key (of a partition) is attached to this plain index (of its parent). */
  private boolean holdsKeys(DbObject index) {
    if (indexesWithKeys == null) {
      indexesWithKeys = new HashSet<>();
      for (DbObject key : from.ofKind(CONSTRAINT)) {
        String parent = ChangeSet.attachedTo(key);
        if (parent != null && parent.startsWith("index ")) {
          indexesWithKeys.add(parent);
        }
      }
    }
    return indexesWithKeys.contains(index.id());
  }
}
