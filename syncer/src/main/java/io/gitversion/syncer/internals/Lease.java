package io.gitversion.syncer.internals;

import io.gitversion.catalog.Database;
import io.gitversion.syncer.Remote;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Which syncer instance keeps a remote in step: the one whose session holds the remote's lease, a session-level
 * advisory lock in the remote database itself, keyed by the remote's name (two remotes of one database are two
 * leases). Instances of the same syncer share the remotes this way, one each; the others stand by, and take a remote
 * over within a retry when its holder's session ends (a stopped or killed process, a lost connection). Exactly once
 * does not rest on it: the ledger and the applying transaction's lock keep a commit from being applied twice anyway.
 */
final class Lease implements AutoCloseable {
  /** The first key of the lease locks (the second is the remote's name, hashed by the server). */
  private static final int LEASE_CLASS = 0x67766c73;

  /** Whether this instance holds the lease, another holds it, or the remote does not answer. */
  enum Standing { HELD, ELSEWHERE, UNREACHABLE }

  private final Remote remote;
  private Connection session;

  Lease(Remote remote) {
    this.remote = remote;
  }

  /** Holds the lease if it can (or still holds it); says where it stands. */
  Standing hold() {
    try {
      if (session != null && session.isValid(2)) {
        return Standing.HELD;
      }
      close();
      Connection c = Database.connect(remote.url());
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.pg_try_advisory_lock(?, pg_catalog.hashtext(?))")) {
        ps.setInt(1, LEASE_CLASS);
        ps.setString(2, remote.name());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getBoolean(1)) {
            session = c;
            return Standing.HELD;
          }
        }
      }
      c.close();
      return Standing.ELSEWHERE;
    } catch (SQLException | RuntimeException e) {
      close();
      return Standing.UNREACHABLE;
    }
  }

  @Override
  public void close() {
    Database.closeQuietly(session);
    session = null;
  }
}
