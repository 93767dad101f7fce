package io.gitversion.syncer;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.model.Sha256;
import io.gitversion.syncer.internals.Ledger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Applies a script of statements to a remote on demand ({@code gitversion apply}): in one transaction with capture
 * off, under the syncer's advisory lock and a lock timeout, a lock timeout retried; each statement's outcome, duration
 * and the locks it took are reported. A dry run rolls back (nothing is left behind); a real apply is recorded in the
 * remote's ledger ({@code gitversion_sync.applied}, source {@code apply}, commit {@code apply:SHA-256 of the script}),
 * so the same script is never applied twice. {@code CREATE INDEX CONCURRENTLY} cannot run in a transaction: it runs
 * after the commit, on its own (a dry run leaves it out and says so).
 */
public final class ScriptApplier {
  /** The syncer's lock: a script and a commit never apply at once on one remote. */
  private static final long ADVISORY_LOCK = io.gitversion.syncer.internals.RemoteApplier.ADVISORY_LOCK;

  /** One statement's outcome. */
  public record Step(String sql, String outcome, double millis, List<String> locks) {}

  /**
   * The whole outcome: applied, rolled back (dry run), already applied, failed at a statement, or (a verified plan)
   * conflict (the remote was not what the plan was made from) or divergence (it did not become what the plan was made
   * to), with the objects whose hashes were not the expected ones.
   */
  public record Result(String outcome, String scriptId, List<Step> steps, String error, List<io.gitversion.schemas.Mismatch> mismatches) {
    Result(String outcome, String scriptId, List<Step> steps, String error) {
      this(outcome, scriptId, steps, error, List.of());
    }
  }

  private ScriptApplier() {}

  public static Result apply(Remote remote, List<String> statements, boolean dryRun, Duration lockTimeout, int retries)
      throws SQLException, InterruptedException {
    return apply(remote, statements, null, dryRun, lockTimeout, retries);
  }

  /**
   * Applies a script; with a {@link Verification} (a planned migration), the remote's hashes are checked in the same
   * transaction before the first statement and after the last, and a mismatch rolls it all back.
   */
  public static Result apply(Remote remote, List<String> statements, Verification verification, boolean dryRun, Duration lockTimeout,
                             int retries) throws SQLException, InterruptedException {
    String scriptId = "apply:" + Sha256.of(String.join("\n", statements));
    List<String> inTransaction = statements.stream().filter(s -> !concurrently(s)).toList();
    List<String> outside = statements.stream().filter(ScriptApplier::concurrently).toList();
    for (int attempt = 0; ; attempt++) {
      try (Connection c = Database.connect(remote.url())) {
        c.setAutoCommit(false);
        List<Step> steps = new ArrayList<>();
        try (Statement st = c.createStatement()) {
          st.execute("SET LOCAL gitversion.capture = 'off'");
          st.execute("SET LOCAL lock_timeout = '" + lockTimeout.toMillis() + "ms'");
          st.execute("SELECT pg_catalog.pg_advisory_xact_lock(" + ADVISORY_LOCK + ")");
          io.gitversion.catalog.inspect.LiveHashes hashes = verification == null ? null : new io.gitversion.catalog.inspect.LiveHashes(c);
          if (hashes != null) {
            // a plan is judged by the remote's hashes, not by the ledger: its result may be there by another way
            List<io.gitversion.schemas.Mismatch> changed = verification.beforeMismatches(hashes);
            if (!changed.isEmpty()) {
              boolean there = verification.afterMismatches(hashes).isEmpty();
              c.rollback();
              if (there) {
                return new Result("duplicate", scriptId, List.of(), "the remote has the plan's result already");
              }
              return new Result("conflict", scriptId, steps, "the remote is not what the plan was made from (changed since?)", changed);
            }
          } else if (!dryRun && applied(c, scriptId)) {
            c.rollback();
            return new Result("duplicate", scriptId, List.of(), null);
          }
          for (String sql : inTransaction) {
            Set<String> before = locks(c);
            long start = System.nanoTime();
            try {
              st.execute(sql);
            } catch (SQLException e) {
              if ("55P03".equals(e.getSQLState()) && attempt < retries) {
                throw e; // a lock not granted in time: the whole script again, after a pause
              }
              steps.add(new Step(sql, "failed: " + Database.firstLine(e.getMessage()), (System.nanoTime() - start) / 1e6, List.of()));
              c.rollback();
              return new Result("failed", scriptId, steps, Database.firstLine(e.getMessage()));
            }
            double millis = (System.nanoTime() - start) / 1e6;
            Set<String> taken = locks(c);
            taken.removeAll(before);
            steps.add(new Step(sql, "ok", millis, List.copyOf(taken)));
          }
          if (hashes != null) {
            List<io.gitversion.schemas.Mismatch> diverged = verification.afterMismatches(hashes);
            if (!diverged.isEmpty()) {
              c.rollback();
              return new Result("divergence", scriptId, steps, "the plan did not make the remote what it was made to", diverged);
            }
          }
          if (dryRun) {
            c.rollback();
            outside.forEach(sql -> steps.add(new Step(sql, "not run in a dry run: CONCURRENTLY runs outside a transaction", 0, List.of())));
            return new Result("rolled back", scriptId, steps, null);
          }
          if (verification != null) {
            applied(c, scriptId); // makes sure the ledger exists
          }
          Ledger.record(c, "apply", scriptId, null, statements.size());
          c.commit();
        } catch (SQLException e) {
          c.rollback();
          if ("55P03".equals(e.getSQLState()) && attempt < retries) {
            Thread.sleep(1_000L * (attempt + 1));
            continue;
          }
          throw e;
        }
        c.setAutoCommit(true);
        for (String sql : outside) {
          long start = System.nanoTime();
          try (Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = '" + lockTimeout.toMillis() + "ms'");
            st.execute(sql);
            steps.add(new Step(sql, "ok (outside the transaction)", (System.nanoTime() - start) / 1e6, List.of()));
          } catch (SQLException e) {
            steps.add(new Step(sql, "failed: " + Database.firstLine(e.getMessage()), (System.nanoTime() - start) / 1e6, List.of()));
            return new Result("failed", scriptId, steps, "the transaction was applied; then " + Database.firstLine(e.getMessage()));
          }
        }
        return new Result("applied", scriptId, steps, null);
      }
    }
  }

  private static boolean concurrently(String sql) {
    return sql.toUpperCase(Locale.ROOT).matches("(?s).*\\bINDEX\\s+CONCURRENTLY\\b.*");
  }

  /** The locks this session holds now, as {@code MODE on RELATION} (or on its lock type). */
  private static Set<String> locks(Connection c) throws SQLException {
    Set<String> locks = new LinkedHashSet<>();
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT mode, COALESCE(relation::regclass::text, locktype) FROM pg_catalog.pg_locks "
             + "WHERE pid = pg_catalog.pg_backend_pid() AND granted AND locktype NOT IN ('virtualxid', 'transactionid', 'advisory') "
             + "AND (relation IS NULL OR relation NOT IN (SELECT oid FROM pg_catalog.pg_class WHERE relnamespace = 'pg_catalog'::regnamespace)) "
             + "ORDER BY 2, 1")) {
      while (rs.next()) {
        locks.add(rs.getString(1) + " on " + rs.getString(2));
      }
    }
    return locks;
  }

  private static boolean applied(Connection c, String scriptId) throws SQLException {
    Ledger.ensure(c);
    return Ledger.has(c, "apply", scriptId);
  }
}
