package io.gitversion.syncer.tenants;

import io.gitversion.syncer.Remote;
import io.gitversion.syncer.internals.RemoteApplier;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A few sessions per tenant database, shared by its tenants: a database of a thousand tenant schemas is not opened a
 * thousand times (nor are the live-hash functions created in each). At most {@code limit} sessions per database;
 * a tenant that finds none free waits for one.
 */
final class SessionPools implements AutoCloseable {
  private final Map<String, Deque<RemoteApplier.Session>> idle = new HashMap<>();
  private final Map<String, Integer> open = new HashMap<>();
  private boolean closed;

  /** A session to the tenant's database: an idle one, a new one while fewer than {@code limit} are open, or the next one given back. */
  RemoteApplier.Session borrow(Remote remote, int limit) throws SQLException, InterruptedException {
    String key = remote.url().toString();
    synchronized (this) {
      while (true) {
        if (closed) {
          throw new SQLException("the rollout is closing", "08003");
        }
        Deque<RemoteApplier.Session> free = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (!free.isEmpty()) {
          return free.pop();
        }
        if (open.getOrDefault(key, 0) < Math.max(1, limit)) {
          open.merge(key, 1, Integer::sum);
          break;
        }
        wait();
      }
    }
    try {
      return RemoteApplier.Session.open(remote);
    } catch (SQLException | RuntimeException e) {
      synchronized (this) {
        open.merge(key, -1, Integer::sum);
        notifyAll();
      }
      throw e;
    }
  }

  synchronized void giveBack(Remote remote, RemoteApplier.Session session) {
    if (closed) {
      session.close();
      return;
    }
    idle.computeIfAbsent(remote.url().toString(), k -> new ArrayDeque<>()).push(session);
    notifyAll();
  }

  /** A session that failed (its connection broke): closed, and its place freed. */
  synchronized void discard(Remote remote, RemoteApplier.Session session) {
    session.close();
    open.merge(remote.url().toString(), -1, Integer::sum);
    notifyAll();
  }

  @Override
  public synchronized void close() {
    closed = true;
    List<RemoteApplier.Session> all = new ArrayList<>();
    idle.values().forEach(all::addAll);
    idle.clear();
    all.forEach(RemoteApplier.Session::close);
    notifyAll();
  }
}
