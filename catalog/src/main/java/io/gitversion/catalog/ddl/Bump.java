package io.gitversion.catalog.ddl;

/** How much a change moves an object's semantic version (DESIGN.md, "Versions"). */
public enum Bump {
  /** Additive: create, add column, drop NOT NULL. */
  MINOR,
  /** Neither breaking nor additive: defaults, comments, grants, same-signature bodies. */
  PATCH,
  /** Can break readers or lose data: drop, rename, drop column, type change, new NOT NULL. */
  MAJOR;

  public Bump max(Bump other) {
    return severity(other) > severity(this) ? other : this;
  }

  private static int severity(Bump bump) {
    return switch (bump) {
      case PATCH -> 0;
      case MINOR -> 1;
      case MAJOR -> 2;
    };
  }

  /** The next semantic version after {@code semver} for a change of this size. */
  public String next(String semver) {
    String[] parts = semver.split("\\.");
    int major = Integer.parseInt(parts[0]);
    int minor = Integer.parseInt(parts[1]);
    int patch = Integer.parseInt(parts[2]);
    return switch (this) {
      case MAJOR -> (major + 1) + ".0.0";
      case MINOR -> major + "." + (minor + 1) + ".0";
      case PATCH -> major + "." + minor + "." + (patch + 1);
    };
  }
}
