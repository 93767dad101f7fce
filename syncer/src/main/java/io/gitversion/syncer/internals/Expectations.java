package io.gitversion.syncer.internals;

import io.gitversion.catalog.inspect.LiveHashes;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.Mismatch;
import io.gitversion.schemas.ObjectVersion;
import io.gitversion.syncer.Subscription;
import io.gitversion.syncer.Verification;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the objects a commit touches must hash to on a remote, before it is applied (what the source had before: else
 * the remote was changed by hand, a conflict) and after (what the source has after: else the plan did not do what
 * the source did, a divergence). A name the commit creates (or renames to) must be free before; one it drops (or
 * renames away), free after, unless the commit takes it again (a table dropped and made again). An object the
 * transaction changes several times is expected as it was before the first change and after the last.
 * A baseline says what the remote holds already: it has no "before". Objects without a definition (kinds the model
 * does not track) cannot be checked; their changes carry problems instead.
 */
final class Expectations {
  /** Expected hash by id (null: absent), and the object that names each id. */
  private final Map<String, String> before = new LinkedHashMap<>();
  private final Map<String, String> after = new LinkedHashMap<>();
  private final Map<String, DbObject> objects = new LinkedHashMap<>();
  /** The state each expected hash is of (the object's first state before, its last after; none for absence). */
  private final Map<String, DbObject> beforeStates = new LinkedHashMap<>();
  private final Map<String, DbObject> afterStates = new LinkedHashMap<>();
  /** The objects the commit leaves (after it), under the remote's names, and what each depends on in the source. */
  private final Map<String, List<String>> taken = new LinkedHashMap<>();

  static Expectations of(Commit commit) {
    return of(commit, Subscription.all());
  }

  /**
   * The expectations of the part of a commit a subscription takes, under the remote's names (a mapped object's hash
   * is its mapped definition's).
   */
  static Expectations of(Commit commit, Subscription subscription) {
    Expectations e = new Expectations();
    // a transaction can change one object several times: its first state counts before, its last after
    for (Change change : commit.getChanges()) {
      DbObject was = state(change.getBefore(), subscription);
      DbObject now = state(change.getAfter(), subscription);
      boolean renamed = was != null && now != null && !was.id().equals(now.id());
      if (!"baseline".equals(change.getAction())) {
        if (was != null) {
          e.first(e.name(was), hash(change.getBefore(), was, subscription));
          e.beforeStates.putIfAbsent(was.id(), was);
        }
        if (now != null && (was == null || renamed)) {
          e.first(e.name(now), null); // a name the commit creates or renames to is free before it
        }
      }
      if (was != null && (now == null || renamed)) {
        e.after.put(e.name(was), null); // a name the commit drops or renames away is free after it, unless taken again
      }
      if (now != null) {
        e.after.put(e.name(now), hash(change.getAfter(), now, subscription));
        e.afterStates.put(now.id(), now);
        e.taken.put(now.id(), Snapshots.object(change.getAfter().getDefinition()).deps());
      }
    }
    return e;
  }

  /** The object a version describes, when it exists, has a definition and the subscription takes it; null otherwise. */
  private static DbObject state(ObjectVersion version, Subscription subscription) {
    if (version == null || version.getDropped() || version.getDefinition() == null || version.getHash() == null) {
      return null;
    }
    DbObject o = Snapshots.object(version.getDefinition());
    return subscription.takes(o) ? subscription.map().object(o) : null;
  }

  private static String hash(ObjectVersion version, DbObject mapped, Subscription subscription) {
    return subscription.map().isEmpty() ? version.getHash() : mapped.hash();
  }

  /**
   * What the objects the commit leaves depend on outside the subscription: each such object (under the remote's
   * names) and the objects of the commit that depend on it. The remote must have them already, else the commit
   * crosses the subscription's boundary.
   */
  Map<String, List<String>> outside(Subscription subscription) {
    Map<String, List<String>> outside = new LinkedHashMap<>();
    taken.forEach((id, deps) -> {
      for (String dep : deps) {
        if (!subscription.takesId(dep)) {
          outside.computeIfAbsent(subscription.map().id(dep), d -> new ArrayList<>()).add(id);
        }
      }
    });
    return outside;
  }

  /** The expectation before the commit is the object's first state in it (null, absence, counts: not putIfAbsent). */
  private void first(String id, String hash) {
    if (!before.containsKey(id)) {
      before.put(id, hash);
    }
  }

  private String name(DbObject o) {
    objects.putIfAbsent(o.id(), o);
    return o.id();
  }

  List<DbObject> afterObjects() {
    return after.keySet().stream().map(objects::get).toList();
  }

  /** The objects whose hashes on the remote now (null: absent) are not the expected ones before the commit. */
  List<Mismatch> beforeMismatches(LiveHashes hashes) throws SQLException {
    return Verification.mismatches(before, withStates(beforeStates), hashes);
  }

  /** The same, after the commit. */
  List<Mismatch> afterMismatches(LiveHashes hashes) throws SQLException {
    return Verification.mismatches(after, withStates(afterStates), hashes);
  }

  /** The object naming each id: the state its hash is expected of where there is one. */
  private Map<String, DbObject> withStates(Map<String, DbObject> states) {
    Map<String, DbObject> named = new LinkedHashMap<>(objects);
    named.putAll(states);
    return named;
  }
}
