package io.gitversion.syncer.internals;

import io.gitversion.catalog.SqlResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The syncer's ledger in a remote ({@code gitversion_sync.applied}, sql/V1__ledger.sql, V2__ledger_subscriber.sql):
 * one row per commit, rebase or script applied for a subscriber (a remote: {@code ''}; a tenant: its name), written in
 * the transaction that applied it, so that nothing is applied twice. The one owner of its SQL; every call runs in the
 * caller's transaction.
 */
public final class Ledger {
  private Ledger() {}

  /** Makes sure the ledger exists (idempotent). */
  public static void ensure(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(SqlResource.load("/io/gitversion/syncer/sql/V1__ledger.sql"));
      st.execute(SqlResource.load("/io/gitversion/syncer/sql/V2__ledger_subscriber.sql"));
    }
  }

  /** Whether the ledger has a row for this source's commit (or a script: source {@code apply}), for a remote. */
  public static boolean has(Connection c, String source, String commitId) throws SQLException {
    return has(c, source, commitId, "");
  }

  /** Whether the ledger has a row for this source's commit for this subscriber ({@code ''}: a remote). */
  public static boolean has(Connection c, String source, String commitId, String subscriber) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM gitversion_sync.applied WHERE source = ? AND commit_id = ? AND subscriber = ?")) {
      ps.setString(1, source);
      ps.setString(2, commitId);
      ps.setString(3, subscriber);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Records what was applied for a remote (a second row for the same commit is no error: nothing changes). */
  public static void record(Connection c, String source, String commitId, String parent, int statements) throws SQLException {
    record(c, source, commitId, parent, statements, "");
  }

  /** Records what was applied for a subscriber ({@code ''}: a remote). */
  public static void record(Connection c, String source, String commitId, String parent, int statements, String subscriber)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO gitversion_sync.applied (source, commit_id, parent_id, statements, subscriber)"
        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, source);
      ps.setString(2, commitId);
      ps.setString(3, parent);
      ps.setInt(4, statements);
      ps.setString(5, subscriber);
      ps.executeUpdate();
    }
  }
}
