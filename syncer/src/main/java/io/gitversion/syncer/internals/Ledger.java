package io.gitversion.syncer.internals;

import io.gitversion.catalog.SqlResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The syncer's ledger in a remote ({@code gitversion_sync.applied}, sql/V1__ledger.sql): one row per commit, rebase or
 * script applied, written in the transaction that applied it, so that nothing is applied twice. The one owner of its
 * SQL; every call runs in the caller's transaction.
 */
public final class Ledger {
  private Ledger() {}

  /** Makes sure the ledger exists (idempotent). */
  public static void ensure(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(SqlResource.load("/io/gitversion/syncer/sql/V1__ledger.sql"));
    }
  }

  /** Whether the ledger has a row for this source's commit (or a script: source {@code apply}). */
  public static boolean has(Connection c, String source, String commitId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM gitversion_sync.applied WHERE source = ? AND commit_id = ?")) {
      ps.setString(1, source);
      ps.setString(2, commitId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Records what was applied (a second row for the same commit is no error: nothing changes). */
  public static void record(Connection c, String source, String commitId, String parent, int statements) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO gitversion_sync.applied (source, commit_id, parent_id, statements) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, source);
      ps.setString(2, commitId);
      ps.setString(3, parent);
      ps.setInt(4, statements);
      ps.executeUpdate();
    }
  }
}
