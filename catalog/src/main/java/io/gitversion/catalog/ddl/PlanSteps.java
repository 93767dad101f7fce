package io.gitversion.catalog.ddl;

import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.SchemaModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The steps of a plan being written, in order, each marked with the object being visited when it was written, and
 * what one phase of the plan leaves for a later one.
 */
final class PlanSteps {
  private final List<Step> steps = new ArrayList<>();
  /** The id of the object whose steps are being written, or null. */
  private String current;
  /** Sequences released from their owning column before it goes (they are owned again, or dropped, later). */
  final Set<String> released = new HashSet<>();
  /**
   * Partitions attached after their indexes exist (new ones of parents that exist, or kept ones that move), so that
   * PostgreSQL adopts those indexes under the parent's.
   */
  final Set<String> attachLater = new LinkedHashSet<>();

  void add(String sql, Hazard... hazards) {
    steps.add(new Step(sql, Set.of(hazards), current));
  }

  void addAll(List<Step> more) {
    more.forEach(step -> steps.add(step.on(current)));
  }

  /** Visits the objects as {@code order} does, writing each one's steps for it. */
  void forEach(Order order, SchemaModel model, Set<String> ids, ObjectKind kind, Consumer<DbObject> action) {
    order.forEach(model, ids, kind, o -> on(o, action));
  }

  /** Writes the steps {@code action} adds for {@code o}. */
  void on(DbObject o, Consumer<DbObject> action) {
    String was = current;
    current = o.id();
    try {
      action.accept(o);
    } finally {
      current = was;
    }
  }

  List<Step> steps() {
    return steps;
  }
}
