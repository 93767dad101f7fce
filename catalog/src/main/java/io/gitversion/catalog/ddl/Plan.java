package io.gitversion.catalog.ddl;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** An ordered migration: applying its steps in order turns one definition into another. */
public record Plan(List<Step> steps) {
  public Plan {
    steps = List.copyOf(steps);
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }

  public List<String> statements() {
    return steps.stream().map(Step::sql).toList();
  }

  public Set<Hazard> hazards() {
    Set<Hazard> all = EnumSet.noneOf(Hazard.class);
    steps.forEach(step -> all.addAll(step.hazards()));
    return all;
  }
}
