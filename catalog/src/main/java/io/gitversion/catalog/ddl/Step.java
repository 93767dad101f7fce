package io.gitversion.catalog.ddl;

import java.util.Set;

/**
 * One statement of a migration plan, with what it risks and the object it was written for (its id, {@code kind
 * schema.identity}; null when the statement serves the whole plan), so that a plan over many objects can say which
 * statements belong to which object.
 */
public record Step(String sql, Set<Hazard> hazards, String object) {
  public Step {
    hazards = Set.copyOf(hazards);
  }

  public static Step of(String sql, Hazard... hazards) {
    return new Step(sql, Set.of(hazards), null);
  }

  /** This step, written for the object {@code id} (unless it names its object already). */
  public Step on(String id) {
    return object != null ? this : new Step(sql, hazards, id);
  }
}
