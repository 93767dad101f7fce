package io.gitversion.catalog.ddl;

import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectId;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.SchemaModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a migration between two models changes, decided before any statement is written: which objects are dropped,
 * which created (an object in both is re-created), which partitions' indexes wait for their attach, and which objects
 * are unsettled (a step can come of them). {@link ChangeDecider} is its only writer, before any step is planned; the
 * steps only ask it.
 */
final class ChangeSet {
  final SchemaModel from;
  final SchemaModel to;
  /** Objects of {@code from} that are dropped (gone, or re-created). */
  final Set<String> dropped = new LinkedHashSet<>();
  /** Objects of {@code to} that are created (new, or re-created). */
  final Set<String> created = new LinkedHashSet<>();
  /**
   * Indexes of partitions attached by the plan that are made after the attach: they match an index of the parent but
   * are not attached to it, and PostgreSQL would attach them in place of the ones the target has attached.
   */
  final Set<String> afterAttach = new LinkedHashSet<>();
  /**
   * New keys that take over a unique index the plan would otherwise drop ({@code ADD CONSTRAINT ... USING INDEX}), by
   * the key's id: the index stays (renamed to the key), rather than a new one built and the old one dropped.
   */
  final java.util.Map<String, DbObject> takenOver = new java.util.HashMap<>();
  /**
   * Indexes and keys that PostgreSQL makes itself with a new partition made in place ({@code PARTITION OF}) of a parent
   * that exists: its copies of the parent's, attached to them. The plan neither makes nor attaches them.
   */
  final Set<String> madeWithPartition = new HashSet<>();
  /**
   * Ids (of either model) of the objects a step can come of: all but those that are the same in both models and
   * whose dependencies, and for tables and views the objects on them, are the same too. A diff of a large database
   * where little changed then plans in the time of its changes, not of its size.
   */
  final Set<String> unsettled = new HashSet<>();
  /** The objects of {@code to} among {@link #unsettled}, in id order. */
  final List<DbObject> unsettledTo = new ArrayList<>();
  private Set<String> recreatedTableNames;

  ChangeSet(SchemaModel from, SchemaModel to) {
    this.from = from;
    this.to = to;
  }

  /** Dropped and created again. */
  Set<String> recreated() {
    Set<String> both = new LinkedHashSet<>(dropped);
    both.retainAll(created);
    return both;
  }

  /** Dropped for good. */
  Set<String> removed() {
    Set<String> gone = new LinkedHashSet<>(dropped);
    gone.removeAll(created);
    return gone;
  }

  /** Every object of {@code model}. */
  static Set<String> all(SchemaModel model) {
    return model.objects().keySet();
  }

  /**
   * Printed names of the tables that are dropped and created again; computed once (sequences ask for each), when
   * the tables are decided.
   */
  Set<String> recreatedTableNames() {
    if (recreatedTableNames == null) {
      recreatedTableNames = new HashSet<>();
      for (DbObject t : from.ofKind(ObjectKind.TABLE)) {
        if (created.contains(t.id()) && dropped.contains(t.id())) {
          recreatedTableNames.add(printedName(t));
        }
      }
    }
    return recreatedTableNames;
  }

  /** The object of {@code from} that {@code now} stays (neither new nor re-created), or null. */
  DbObject kept(DbObject now) {
    return created.contains(now.id()) ? null : from.objects().get(now.id());
  }

  /** The table or view is dropped (for good or to be re-created): what hangs on it goes with it. */
  boolean isDroppedTable(String schema, String table) {
    return dropped.contains(ObjectKind.TABLE.id(schema, table).key()) || dropped.contains(ObjectKind.VIEW.id(schema, table).key());
  }

  /** The id of the index or key that this index or key is attached to (a partition's, to its parent's), or null. */
  static String attachedTo(DbObject o) {
    if (o.kind() == ObjectKind.INDEX || o.kind() == ObjectKind.CONSTRAINT) {
      for (String d : o.deps()) {
        if (ObjectId.isOfKind(d, ObjectKind.INDEX) || ObjectId.isOfKind(d, ObjectKind.CONSTRAINT)) {
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
  boolean goesWithParent(DbObject o) {
    String parentId = attachedTo(o);
    if (parentId == null || !dropped.contains(parentId)) {
      return false;
    }
    DbObject parent = from.objects().get(parentId);
    DbObject table = from.objects().get(ObjectKind.TABLE.id(o.schema(), o.table()).key());
    return !(parent != null && isDroppedTable(parent.schema(), parent.table()) && table != null && detached(table));
  }

  /** A kept partition that leaves its parent (another parent or bound, or the parent is re-created): detached first. */
  boolean detached(DbObject old) {
    DbObject now = to.objects().get(old.id());
    String oldParent = old.partitionOf();
    return now != null && !created.contains(now.id()) && oldParent != null
        && (!oldParent.equals(now.partitionOf()) || parentRecreated(old) || !Objects.equals(old.partitionBound(), now.partitionBound()));
  }

  /** The partition's parent is dropped and created again: the partition is detached first and attached afterwards. */
  boolean parentRecreated(DbObject partition) {
    String parent = partition.partitionOf();
    DbObject p = parent == null ? null : from.tableByQuotedName(parent);
    return p != null && dropped.contains(p.id()) && created.contains(p.id());
  }

  /** A partition's index or key (attached to its parent's), on a partition that is detached before the drops. */
  boolean onDetachedPartition(DbObject index) {
    DbObject table = index.table() == null ? null : from.objects().get(ObjectKind.TABLE.id(index.schema(), index.table()).key());
    return attachedTo(index) != null && table != null && detached(table);
  }

  /**
   * The table (of {@code to}) is a partition that the plan attaches to its parent after creating or altering it: a new
   * partition of a parent that exists and is kept, or a kept table that gets another parent or bound, or whose parent
   * is re-created.
   */
  boolean attachesLater(DbObject now) {
    String newParent = now.partitionOf();
    if (newParent == null) {
      return false;
    }
    DbObject old = kept(now);
    if (old == null) {
      // a partition of a parent with an identity column is made in place: PostgreSQL attaches no table with one
      DbObject parent = to.tableByQuotedName(newParent);
      return parent != null && from.objects().containsKey(parent.id()) && !created.contains(parent.id())
          && parent.relation().columns().stream().noneMatch(c -> c.identity() != null);
    }
    return !newParent.equals(old.partitionOf()) || parentRecreated(old) || !Objects.equals(old.partitionBound(), now.partitionBound());
  }

  /** The index is on a (materialized) view of {@code to}. */
  boolean onView(DbObject index) {
    return to.objects().containsKey(ObjectKind.VIEW.id(index.schema(), index.table()).key());
  }

  /** Same definition apart from the comment: equal hashes (computed once per model, in parallel) settle most pairs. */
  boolean sameBody(DbObject old, DbObject now) {
    return sameHash(old, now) || old.body().equals(now.body());
  }

  /** The same canonical text (privileges and comments included); false when there is no old object. */
  boolean sameHash(DbObject old, DbObject now) {
    String before = old == null ? null : from.hash(old);
    return before != null && before.equals(to.hash(now));
  }

  /** The sequence is owned by a column of one of these tables (printed names, as {@code ownedBy} prints them). */
  static boolean ownedByOneOf(DbObject sequence, Set<String> tables) {
    String owner = sequence.ownedBy();
    return owner != null && tables.stream().anyMatch(t -> owner.startsWith(t + "."));
  }

  /** {@code schema.name} of the object as the catalog prints names inside deparsed text. */
  static String printedName(DbObject o) {
    return SchemaModel.printedName(o.schema(), o.name());
  }
}
