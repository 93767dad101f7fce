package io.gitversion.syncer.internals;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.SqlResource;
import io.gitversion.catalog.inspect.LiveHashes;
import io.gitversion.syncer.Remote;
import io.gitversion.contract.Changes;
import io.gitversion.contract.Commits;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.Mismatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies commits to one remote: each commit in one remote transaction, together with its ledger row, with capture
 * switched off for the session (a remote that is itself a source does not capture what we apply). The transaction
 * checks the hashes of the objects the commit touches before applying and after ({@link Expectations}); a conflict or
 * a divergence rolls it back, and is never applied.
 */
public final class RemoteApplier implements AutoCloseable {
  /** The outcome of one commit on this remote. */
  public enum Outcome {
    /** Applied, and every touched object's hash verified. */
    APPLIED,
    /** The ledger had it already. */
    DUPLICATE,
    /** Before applying, a touched object's hash was not the one the source had before: the remote was changed by hand. */
    CONFLICT,
    /** After applying, a touched object's hash was not the source's: the plan did not do what the source did. */
    DIVERGENCE
  }

  /**
   * What became of a commit: what was applied, what could not be (changes of kinds not migrated yet), and the objects
   * whose hashes were not the expected ones (a conflict or a divergence, rolled back).
   */
  public record Applied(Outcome outcome, List<String> statements, List<String> notMigrated, List<Mismatch> mismatches, String reason) {
    Applied(Outcome outcome, List<String> statements, List<String> notMigrated, List<Mismatch> mismatches) {
      this(outcome, statements, notMigrated, mismatches, null);
    }
  }

  /** PostgreSQL's message for a role it does not know: roles are cluster objects, outside every database's model. */
  private static final java.util.regex.Pattern MISSING_ROLE = java.util.regex.Pattern.compile("role \"(.*)\" does not exist");

  private static final long ADVISORY_LOCK = 0x67697476L; // serialises syncer instances on one remote

  private final Remote remote;
  private Connection connection;
  private LiveHashes hashes;

  public RemoteApplier(Remote remote) {
    this.remote = remote;
  }

  /** Connects if needed and makes sure the ledger exists. Connection failures surface as {@link SQLException}. */
  private Connection connection() throws SQLException {
    if (connection != null && connection.isValid(2)) {
      return connection;
    }
    closeQuietly();
    connection = java.sql.DriverManager.getConnection(remote.url().jdbcUrl(), remote.url().jdbcProperties());
    try (Statement st = connection.createStatement()) {
      connection.setAutoCommit(false);
      st.execute("SET LOCAL gitversion.capture = 'off'");
      st.execute(SqlResource.load("/io/gitversion/syncer/sql/V1__ledger.sql"));
      hashes = new LiveHashes(connection);
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
    return connection;
  }

  /**
   * Applies a commit, or recognises it as already applied.
   *
   * @throws SQLException when the remote refuses a statement (rolled back, nothing applied) or cannot be reached
   */
  public Applied apply(Commit commit) throws SQLException {
    Connection c = connection();
    List<String> statements = Commits.forwardSql(commit);
    List<String> notMigrated = new ArrayList<>();
    for (Change change : commit.getChanges()) {
      if (!Changes.problems(change).isEmpty()) {
        notMigrated.add(change.getKind() + " " + name(change));
      }
    }
    try (Statement st = c.createStatement()) {
      st.execute("SET LOCAL gitversion.capture = 'off'");
      st.execute("SET LOCAL lock_timeout = '30s'");
      st.execute("SELECT pg_catalog.pg_advisory_xact_lock(" + ADVISORY_LOCK + ")");
      if (alreadyApplied(c, commit)) {
        c.rollback();
        return new Applied(Outcome.DUPLICATE, List.of(), List.of(), List.of());
      }
      Expectations expected = Expectations.of(commit);
      List<Mismatch> conflicts = expected.beforeMismatches(hashes.of(expected.beforeObjects()));
      if (!conflicts.isEmpty()) {
        c.rollback();
        return new Applied(Outcome.CONFLICT, List.of(), notMigrated, conflicts);
      }
      for (String sql : statements) {
        try {
          st.execute(sql);
        } catch (SQLException e) {
          java.util.regex.Matcher role = MISSING_ROLE.matcher(String.valueOf(e.getMessage()));
          if (!"42704".equals(e.getSQLState()) || !role.find()) {
            throw e;
          }
          // a GRANT (or an owner, a policy) names a role the remote lacks: the remote differs from the source, a conflict
          c.rollback();
          return new Applied(Outcome.CONFLICT, List.of(), notMigrated, List.of(),
              "role \"" + role.group(1) + "\" does not exist on the remote (roles belong to the server: create it there, then resume)");
        }
      }
      List<Mismatch> divergences = expected.afterMismatches(hashes.of(expected.afterObjects()));
      if (!divergences.isEmpty()) {
        c.rollback();
        return new Applied(Outcome.DIVERGENCE, statements, notMigrated, divergences);
      }
      try (PreparedStatement ledger = c.prepareStatement(
          "INSERT INTO gitversion_sync.applied (source, commit_id, parent_id, statements) VALUES (?, ?, ?, ?)")) {
        ledger.setString(1, commit.getDatabase());
        ledger.setString(2, commit.getId());
        ledger.setString(3, commit.getParent());
        ledger.setInt(4, statements.size());
        ledger.executeUpdate();
      }
      c.commit();
      return new Applied(Outcome.APPLIED, statements, notMigrated, List.of());
    } catch (SQLException e) {
      try {
        c.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      if (Database.isConnectionFailure(e)) {
        closeQuietly();
      }
      throw e;
    }
  }

  private static boolean alreadyApplied(Connection c, Commit commit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM gitversion_sync.applied WHERE source = ? AND commit_id = ?")) {
      ps.setString(1, commit.getDatabase());
      ps.setString(2, commit.getId());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String name(Change change) {
    var state = change.getAfter() != null ? change.getAfter() : change.getBefore();
    return state == null ? change.getObjectKey() : (state.getSchema$() == null ? "" : state.getSchema$() + ".") + state.getName();
  }

  private void closeQuietly() {
    hashes = null;
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the connection is being replaced because it is broken
      }
      connection = null;
    }
  }


  @Override
  public void close() {
    closeQuietly();
  }
}
