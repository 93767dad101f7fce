package io.gitversion.catalog.ddl;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.model.Column;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.Relation;
import io.gitversion.catalog.model.SchemaModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Tables and what lives on them: a table created (plain, partition, inheriting child) or altered (its columns by
 * {@link TablePlanner}, inherited columns' defaults, parents, options), keys and indexes made and attached, partitions
 * attached, row security, replica identity, clustering and triggers' states.
 */
final class TableSteps {
  private final ChangeSet changes;
  private final PlanSteps out;
  private final SchemaModel from;
  private final SchemaModel to;

  TableSteps(ChangeSet changes, PlanSteps out) {
    this.changes = changes;
    this.out = out;
    this.from = changes.from;
    this.to = changes.to;
  }

  void createOrAlterTable(DbObject o) {
    DbObject old = changes.kept(o);
    if (old != null && changes.sameBody(old, o) && !changes.parentRecreated(old)) {
      return; // columns, partitioning, parents and options are all part of the body
    }
    if (old == null) {
      createTable(o);
    } else {
      alterTable(old, o);
    }
  }

  private void createTable(DbObject o) {
    Relation now = o.relation();
    String table = Sql.qualified(o.schema(), o.name());
    if (changes.attachesLater(o)) {
      List<String> definitions = new ArrayList<>(now.columns().stream().map(TablePlanner::columnDefinition).toList());
      // attaching needs the parent's checks in place; PostgreSQL then marks them inherited, as in a partition made in place
      DbObject parent = to.tableByQuotedName(o.partitionOf());
      for (DbObject check : to.on(parent.schema(), parent.name())) {
        if (check.kind() == ObjectKind.CONSTRAINT && "c".equals(check.constraintType())) {
          definitions.add("CONSTRAINT " + Sql.ident(check.name()) + " " + check.extraText("definition"));
        }
      }
      out.add("CREATE " + (now.unlogged() ? "UNLOGGED " : "") + "TABLE " + table + " (\n    " + String.join(",\n    ", definitions) + "\n);");
      out.attachLater.add(o.id());
      return;
    }
    String partitionOf = o.partitionOf();
    StringBuilder sql = new StringBuilder("CREATE ").append(now.unlogged() ? "UNLOGGED " : "").append("TABLE ").append(table);
    List<String> local = o.localColumns();
    if (partitionOf != null) {
      sql.append(" PARTITION OF ").append(partitionOf).append(' ').append(o.partitionBound());
    } else {
      List<String> definitions = now.columns().stream().filter(c -> local.contains(c.name())).map(TablePlanner::columnDefinition).toList();
      sql.append(" (").append(definitions.isEmpty() ? "" : "\n    " + String.join(",\n    ", definitions) + "\n").append(")");
      if (o.extra().path("inherits").isArray()) {
        sql.append(" INHERITS (").append(String.join(", ", o.inherits())).append(")");
      }
    }
    if (o.partitionKey() != null) {
      sql.append(" PARTITION BY ").append(o.partitionKey());
    }
    if (o.extra().path("options").isArray()) {
      sql.append(" WITH (").append(String.join(", ", o.texts("options"))).append(")");
    }
    out.add(sql.append(";").toString());
    // inherited columns take the parent's default; a child's own default is set afterwards
    Map<String, String> parentDefaults = new HashMap<>();
    Set<String> parentNotNull = new HashSet<>();
    for (String parent : parents(o)) {
      DbObject p = to.tableByQuotedName(parent);
      if (p != null) {
        p.relation().columns().forEach(c -> parentDefaults.putIfAbsent(c.name(), c.defaultExpr()));
        p.relation().columns().stream().filter(Column::notNull).forEach(c -> parentNotNull.add(c.name()));
      }
    }
    for (Column c : now.columns()) {
      if (!local.contains(c.name()) && c.identity() == null && c.generated() == null
          && !Objects.equals(c.defaultExpr(), parentDefaults.get(c.name())) && c.defaultExpr() != null) {
        out.add("ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(c.name()) + " SET DEFAULT " + c.defaultExpr() + ";");
      }
      if (!local.contains(c.name()) && c.notNull() && c.identity() == null && !parentNotNull.contains(c.name())) {
        out.add("ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(c.name()) + " SET NOT NULL;");
      }
    }
  }

  private void alterTable(DbObject old, DbObject o) {
    Relation now = o.relation();
    Relation was = old.relation();
    String table = Sql.qualified(o.schema(), o.name());
    List<String> oldLocal = old.localColumns();
    List<String> newLocal = o.localColumns();
    Set<String> parentColumnsNow = new HashSet<>();
    for (String parent : parents(o)) {
      DbObject p = to.tableByQuotedName(parent);
      if (p != null) {
        p.relation().columns().forEach(c -> parentColumnsNow.add(c.name()));
      }
    }
    // a table leaving its parents keeps their columns as its own; those the new parents lack are dropped below
    boolean leavesParents = !parents(old).isEmpty() && !parents(o).containsAll(parents(old));
    Relation before = only(was, c -> oldLocal.contains(c.name()) || leavesParents
        || (newLocal.contains(c.name()) && parentColumnsNow.contains(c.name())));
    // a table moving to other parents keeps its columns (detached, they are its own) and is attached with them
    Relation after = only(now, c -> newLocal.contains(c.name()) || oldLocal.contains(c.name())
        || (leavesParents && parentColumnsNow.contains(c.name())));
    out.addAll(TablePlanner.plan(before, TablePlanner.matchColumnsByName(before, after)).steps());
    for (Column c : now.columns()) {
      Column w = was.columns().stream().filter(x -> x.name().equals(c.name())).findFirst().orElse(null);
      boolean inheritedInBoth = w != null && !newLocal.contains(c.name()) && !oldLocal.contains(c.name());
      if (inheritedInBoth && !Objects.equals(w.defaultExpr(), c.defaultExpr())) {
        out.add("ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(c.name())
            + (c.defaultExpr() == null ? " DROP DEFAULT;" : " SET DEFAULT " + c.defaultExpr() + ";"));
      }
      if (inheritedInBoth && w.notNull() != c.notNull() && c.identity() == null && w.identity() == null) {
        out.add("ALTER TABLE " + table + " ALTER COLUMN " + Sql.ident(c.name()) + (c.notNull() ? " SET NOT NULL;" : " DROP NOT NULL;"));
      }
    }
    if (changes.attachesLater(o)) {
      out.attachLater.add(o.id()); // after its indexes exist, so that PostgreSQL adopts them
    }
    List<String> oldInherits = old.inherits();
    o.inherits().stream().filter(p -> !oldInherits.contains(p)).forEach(p -> out.add("ALTER TABLE " + table + " INHERIT " + p + ";"));
    List<String> oldOptions = old.texts("options");
    List<String> newOptions = o.texts("options");
    if (!oldOptions.equals(newOptions)) {
      List<String> reset = oldOptions.stream().map(opt -> opt.substring(0, opt.indexOf('=')))
          .filter(k -> newOptions.stream().noneMatch(n -> n.startsWith(k + "="))).toList();
      if (!reset.isEmpty()) {
        out.add("ALTER TABLE " + table + " RESET (" + String.join(", ", reset) + ");");
      }
      if (!newOptions.isEmpty()) {
        out.add("ALTER TABLE " + table + " SET (" + String.join(", ", newOptions) + ");");
      }
    }
  }

  /** A table's parents: those it inherits from, and the one it is a partition of. */
  private static List<String> parents(DbObject table) {
    List<String> parents = new ArrayList<>(table.inherits());
    if (table.partitionOf() != null) {
      parents.add(table.partitionOf());
    }
    return parents;
  }

  private static Relation only(Relation r, Predicate<Column> keep) {
    return new Relation(r.kind(), r.schema(), r.name(), r.persistence(), r.columns().stream().filter(keep).toList());
  }

  void attachPartition(DbObject o) {
    if (out.attachLater.contains(o.id())) {
      out.add("ALTER TABLE " + o.partitionOf() + " ATTACH PARTITION " + Sql.qualified(o.schema(), o.name()) + " "
          + o.partitionBound() + ";", Hazard.VALIDATION);
    }
  }

  /** A key, unique, check, exclusion or foreign key constraint made, or validated. */
  void addConstraint(DbObject o) {
    if (changes.madeWithPartition.contains(o.id())) {
      return; // PostgreSQL made it with its partition
    }
    DbObject old = from.objects().get(o.id());
    if (changes.takenOver.containsKey(o.id())) {
      out.add("ALTER TABLE " + Sql.qualified(o.schema(), o.table()) + " ADD CONSTRAINT " + Sql.ident(o.name())
          + ("p".equals(o.constraintType()) ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX "
          + Sql.ident(changes.takenOver.get(o.id()).name()) + ";", Hazard.VALIDATION);
    } else if (changes.created.contains(o.id())) {
      String ddl = o.ddl();
      DbObject table = to.objects().get(ObjectKind.TABLE.id(o.schema(), o.table()).key());
      if (List.of("p", "u", "x").contains(o.constraintType()) && table != null && table.partitionKey() != null) {
        // as pg_dump makes it: on the partitioned table only; its partitions' keys are made by name and attached
        ddl = "ALTER TABLE ONLY " + ddl.substring("ALTER TABLE ".length());
      }
      out.add(ddl, Hazard.VALIDATION);
    } else if (old != null && ChangeDecider.onlyValidated(old, o)) {
      out.add("ALTER TABLE " + Sql.qualified(o.schema(), o.table()) + " VALIDATE CONSTRAINT " + Sql.ident(o.name()) + ";",
          Hazard.VALIDATION);
    }
  }

  /** An index on a partitioned table is made ON ONLY that table; its partitions' indexes are created and attached. */
  void createIndex(DbObject index) {
    if (changes.madeWithPartition.contains(index.id())) {
      return; // PostgreSQL made it with its partition
    }
    out.add(index.ddl());
  }

  /** A partition's index or key attached to its parent's (unless the whole partition is attached later). */
  void attachIndex(DbObject index) {
    if (changes.madeWithPartition.contains(index.id())) {
      return; // made attached
    }
    if (index.table() != null && out.attachLater.contains(ObjectKind.TABLE.id(index.schema(), index.table()).key())) {
      return; // attached with its partition
    }
    String parent = index.parentIndex();
    DbObject old = changes.kept(index);
    if (parent != null && (old == null || !parent.equals(old.parentIndex()))) {
      String name = index.kind() == ObjectKind.CONSTRAINT ? index.indexName() : index.name();
      out.add("ALTER INDEX " + parent + " ATTACH PARTITION " + Sql.qualified(index.schema(), name) + ";");
    }
  }

  /** Row security enabled or forced, and a replica identity other than an index's. */
  void tableFlags(DbObject o) {
    DbObject old = changes.kept(o);
    String table = Sql.qualified(o.schema(), o.name());
    if (flag(old, "rls") != flag(o, "rls")) {
      out.add("ALTER TABLE " + table + (flag(o, "rls") ? " ENABLE" : " DISABLE") + " ROW LEVEL SECURITY;");
    }
    if (flag(old, "forceRls") != flag(o, "forceRls")) {
      out.add("ALTER TABLE " + table + (flag(o, "forceRls") ? " FORCE" : " NO FORCE") + " ROW LEVEL SECURITY;");
    }
    String identity = o.extraText("replicaIdentity");
    String oldIdentity = old == null ? "d" : old.extraText("replicaIdentity");
    if (!Objects.equals(identity, oldIdentity) && !"i".equals(identity)) {
      out.add("ALTER TABLE " + table + " REPLICA IDENTITY " + switch (identity) {
        case "f" -> "FULL";
        case "n" -> "NOTHING";
        default -> "DEFAULT";
      } + ";");
    }
  }

  private static boolean flag(DbObject o, String field) {
    return o != null && o.flag(field);
  }

  void replicaIdentityIndex(DbObject table) {
    if (!"i".equals(table.extraText("replicaIdentity"))) {
      return;
    }
    DbObject old = changes.kept(table);
    String now = markedIndex(to, table, "replicaIdentity");
    String before = old == null || !"i".equals(old.extraText("replicaIdentity")) ? null : markedIndex(from, old, "replicaIdentity");
    boolean recreated = to.on(table.schema(), table.name()).stream().anyMatch(o -> changes.created.contains(o.id()) && o.name().equals(now));
    if (now != null && (!now.equals(before) || recreated)) {
      out.add("ALTER TABLE " + Sql.qualified(table.schema(), table.name()) + " REPLICA IDENTITY USING INDEX " + Sql.ident(now) + ";");
    }
  }

  /**
   * A view's column defaults (for what is inserted through it): set where new or changed, dropped where gone. A view
   * that is created, or re-created, starts without any.
   */
  void viewDefaults(DbObject view) {
    DbObject old = changes.kept(view);
    Map<String, String> was = old == null ? Map.of() : old.textMap("columnDefaults");
    Map<String, String> now = view.textMap("columnDefaults");
    String name = Sql.qualified(view.schema(), view.name());
    new java.util.TreeMap<>(now).forEach((column, expression) -> {
      if (!expression.equals(was.get(column))) {
        out.add("ALTER VIEW " + name + " ALTER COLUMN " + Sql.ident(column) + " SET DEFAULT " + expression + ";");
      }
    });
    new java.util.TreeSet<>(was.keySet()).stream().filter(c -> !now.containsKey(c))
        .forEach(c -> out.add("ALTER VIEW " + name + " ALTER COLUMN " + Sql.ident(c) + " DROP DEFAULT;"));
  }

  void clustering(DbObject table) {
    DbObject old = changes.kept(table);
    String now = markedIndex(to, table, "clustered");
    String before = old == null ? null : markedIndex(from, old, "clustered");
    String name = Sql.qualified(table.schema(), table.name());
    boolean indexRecreated = now != null && to.on(table.schema(), table.name()).stream().anyMatch(o -> changes.created.contains(o.id())
        && (now.equals(o.name()) || now.equals(o.indexName())));
    if (now != null && (!now.equals(before) || indexRecreated)) {
      out.add("ALTER TABLE " + name + " CLUSTER ON " + Sql.ident(now) + ";");
    } else if (now == null && before != null) {
      out.add("ALTER TABLE " + name + " SET WITHOUT CLUSTER;");
    }
  }

  /** The name of the table's index (an index, or a key's) that has the mark ({@code clustered}, {@code replicaIdentity}), or null. */
  private static String markedIndex(SchemaModel model, DbObject table, String mark) {
    return model.on(table.schema(), table.name()).stream().filter(o -> o.flag(mark))
        .map(o -> o.kind() == ObjectKind.INDEX ? o.name() : o.indexName()).findFirst().orElse(null);
  }

  void triggerState(DbObject trigger) {
    String state = switch (Objects.requireNonNullElse(trigger.extraText("enabled"), "O")) {
      case "D" -> "DISABLE TRIGGER ";
      case "R" -> "ENABLE REPLICA TRIGGER ";
      case "A" -> "ENABLE ALWAYS TRIGGER ";
      default -> null;
    };
    if (state != null) {
      out.add("ALTER TABLE " + Sql.qualified(trigger.schema(), trigger.table()) + " " + state + Sql.ident(trigger.name()) + ";");
    }
  }
}
