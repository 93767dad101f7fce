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
public record Verification(Map<String, DbObject> beforeStates, Map<String, DbObject> afterStates, Map<String, String> before,
                           Map<String, String> after) {
  public Verification {
    beforeStates = Map.copyOf(beforeStates);
    afterStates = Map.copyOf(afterStates);
    before = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(before));
    after = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(after));
  }

  /** The objects whose hashes are not those expected before the migration. */
  public List<Mismatch> beforeMismatches(LiveHashes hashes) throws SQLException {
    return mismatches(before, beforeStates, hashes);
  }

  /** The objects whose hashes are not those expected after it. */
  public List<Mismatch> afterMismatches(LiveHashes hashes) throws SQLException {
    return mismatches(after, afterStates, hashes);
  }

  /**
   * The objects whose hashes in the database now are not those {@code expected} (by id; null: absent), each read by
   * the object {@code states} names for its id (the state its hash is of). A hash that differs is compared once more
   * as this server writes the expected state's definition ({@link LiveHashes#renderedHash}): a state read on a server
   * of another PostgreSQL release is equal when this server makes the same of it.
   */
  public static List<Mismatch> mismatches(Map<String, String> expected, Map<String, DbObject> states, LiveHashes hashes)
      throws SQLException {
    List<DbObject> named = expected.keySet().stream().map(states::get).toList();
    Map<String, String> actual = hashes.of(named);
    List<Mismatch> mismatches = new ArrayList<>();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String now = actual.get(e.getKey());
      if (Objects.equals(e.getValue(), now)
          || e.getValue() != null && now != null && now.equals(hashes.renderedHash(states.get(e.getKey())))) {
        continue;
      }
      mismatches.add(Mismatch.newBuilder().setObject(e.getKey()).setExpected(e.getValue()).setActual(now).build());
    }
    return mismatches;
  }

  /** Expectations between two states of the same objects: each of {@code from} before, each of {@code to} after. */
  public static Verification between(Map<String, DbObject> from, Map<String, DbObject> to) {
    Map<String, DbObject> beforeStates = new LinkedHashMap<>(to);
    beforeStates.putAll(from);
    Map<String, DbObject> afterStates = new LinkedHashMap<>(from);
    afterStates.putAll(to);
    Map<String, String> before = new LinkedHashMap<>();
    Map<String, String> after = new LinkedHashMap<>();
    from.forEach((id, o) -> before.put(id, o.hash()));
    to.keySet().stream().filter(id -> !from.containsKey(id)).forEach(id -> before.put(id, null));
    to.forEach((id, o) -> after.put(id, o.hash()));
    from.keySet().stream().filter(id -> !to.containsKey(id)).forEach(id -> after.put(id, null));
    return new Verification(beforeStates, afterStates, before, after);
  }
}
