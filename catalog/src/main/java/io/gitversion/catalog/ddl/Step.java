package io.gitversion.catalog.ddl;

import java.util.Set;

/** One statement of a migration plan, with how much it moves the version and what it risks. */
public record Step(String sql, Bump bump, Set<Hazard> hazards) {
  public Step {
    hazards = Set.copyOf(hazards);
  }

  public static Step of(String sql, Bump bump, Hazard... hazards) {
    return new Step(sql, bump, Set.of(hazards));
  }
}
