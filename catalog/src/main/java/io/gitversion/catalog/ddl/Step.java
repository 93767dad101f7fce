package io.gitversion.catalog.ddl;

import java.util.Set;

/** One statement of a migration plan, with what it risks. */
public record Step(String sql, Set<Hazard> hazards) {
  public Step {
    hazards = Set.copyOf(hazards);
  }

  public static Step of(String sql, Hazard... hazards) {
    return new Step(sql, Set.of(hazards));
  }
}
