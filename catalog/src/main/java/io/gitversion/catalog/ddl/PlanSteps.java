package io.gitversion.catalog.ddl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The steps of a plan being written, in order, and what one phase of the plan leaves for a later one. */
final class PlanSteps {
  private final List<Step> steps = new ArrayList<>();
  /** Sequences released from their owning column before it goes (they are owned again, or dropped, later). */
  final Set<String> released = new HashSet<>();
  /**
   * Partitions attached after their indexes exist (new ones of parents that exist, or kept ones that move), so that
   * PostgreSQL adopts those indexes under the parent's.
   */
  final Set<String> attachLater = new LinkedHashSet<>();

  void add(String sql, Hazard... hazards) {
    steps.add(Step.of(sql, hazards));
  }

  void addAll(List<Step> more) {
    steps.addAll(more);
  }

  List<Step> steps() {
    return steps;
  }
}
