package io.gitversion.processor.internals;

import io.gitversion.catalog.ddl.Ownership;
import io.gitversion.catalog.ddl.Plan;
import io.gitversion.catalog.model.DbObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The migration between two points of one source's history (two tags, two commits), planned as a commit is
 * ({@link CommitPlanner}): objects are matched by their object key (kind and OID), so an object renamed between the
 * two points is renamed, not dropped and made again; what did not change is around them.
 */
public final class PointPlanner {
  private PointPlanner() {}

  /**
   * @param from the objects at the first point, by object key
   * @param to the objects at the second point, by object key
   */
  public static Plan between(Map<String, DbObject> from, Map<String, DbObject> to) {
    List<CommitPlanner.Touched> touched = new ArrayList<>();
    List<DbObject> unchanged = new ArrayList<>();
    for (String key : new TreeSet<>(union(from, to))) {
      DbObject before = from.get(key);
      DbObject after = to.get(key);
      if (before != null && after != null && before.id().equals(after.id()) && before.hash().equals(after.hash())
          && Objects.equals(before.owner(), after.owner())) {
        unchanged.add(after);
      } else {
        touched.add(new CommitPlanner.Touched(before, after));
      }
    }
    if (touched.isEmpty()) {
      return new Plan(List.of());
    }
    return CommitPlanner.plan(touched, t -> unchanged, Ownership.IGNORED); // owners are outside the hash: left to the database
  }

  private static java.util.Set<String> union(Map<String, DbObject> a, Map<String, DbObject> b) {
    java.util.Set<String> keys = new java.util.HashSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }
}
