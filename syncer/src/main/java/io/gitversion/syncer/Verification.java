package io.gitversion.syncer;

import io.gitversion.catalog.inspect.LiveHashes;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.schemas.Mismatch;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a planned migration expects of a remote, by hash: the objects as they must be before it (what the plan was made
 * from: else the remote changed since, a conflict) and after it (what the plan was made to: else it did not do what it
 * was made to, a divergence). A null hash: the object must not exist. Checked inside the applying transaction, so a
 * mismatch rolls everything back.
 */
public record Verification(Map<String, DbObject> objects, Map<String, String> before, Map<String, String> after) {
  public Verification {
    objects = Map.copyOf(objects);
    before = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(before));
    after = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(after));
  }

  /** The objects whose hashes are not those expected before the migration. */
  public List<Mismatch> beforeMismatches(LiveHashes hashes) throws SQLException {
    return mismatches(before, hashes);
  }

  /** The objects whose hashes are not those expected after it. */
  public List<Mismatch> afterMismatches(LiveHashes hashes) throws SQLException {
    return mismatches(after, hashes);
  }

  private List<Mismatch> mismatches(Map<String, String> expected, LiveHashes hashes) throws SQLException {
    List<DbObject> named = expected.keySet().stream().map(objects::get).toList();
    Map<String, String> actual = hashes.of(named);
    List<Mismatch> mismatches = new ArrayList<>();
    expected.forEach((id, hash) -> {
      if (!Objects.equals(hash, actual.get(id))) {
        mismatches.add(Mismatch.newBuilder().setObject(id).setExpected(hash).setActual(actual.get(id)).build());
      }
    });
    return mismatches;
  }

  /** Expectations between two states of the same objects: each of {@code from} before, each of {@code to} after. */
  public static Verification between(Map<String, DbObject> from, Map<String, DbObject> to) {
    Map<String, DbObject> objects = new LinkedHashMap<>(from);
    objects.putAll(to);
    Map<String, String> before = new LinkedHashMap<>();
    Map<String, String> after = new LinkedHashMap<>();
    from.forEach((id, o) -> before.put(id, o.hash()));
    to.keySet().stream().filter(id -> !from.containsKey(id)).forEach(id -> before.put(id, null));
    to.forEach((id, o) -> after.put(id, o.hash()));
    from.keySet().stream().filter(id -> !to.containsKey(id)).forEach(id -> after.put(id, null));
    return new Verification(objects, before, after);
  }
}
