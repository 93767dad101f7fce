package io.gitversion.collector;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.UserError;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reconciliation: the live hash of every object against the last one captured ({@code gitversion.detect_changes_by_hash()}
 * in the source). Recording the differences ({@code gitversion.reconcile()}) writes them to the DDL log in one
 * transaction, so they reach Kafka as one drift commit, by the same road as every captured change.
 */
public final class Reconciler {
  /** One object whose live definition differs from the recorded one. */
  public record Drift(String kind, String schema, String name, String recordedHash, String liveHash, String change) {
    @Override
    public String toString() {
      return change + " " + kind + " " + schema + "." + name;
    }
  }

  private Reconciler() {}

  /** What differs now, without recording anything. */
  public static List<Drift> detect(PgUrl source) {
    try (Connection c = Database.connect(source); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT kind, schema_name, identity, recorded_hash, live_hash, change FROM gitversion.detect_changes_by_hash()")) {
      List<Drift> drifts = new ArrayList<>();
      while (rs.next()) {
        drifts.add(new Drift(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
      }
      return drifts;
    } catch (SQLException e) {
      throw failure(source, e);
    }
  }

  /** Records every difference as a drift change (one source transaction); returns how many objects. */
  public static int reconcile(PgUrl source) {
    try (Connection c = Database.connect(source); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT gitversion.reconcile()")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw failure(source, e);
    }
  }

  /**
   * What keeps capture from working in the source now, empty when nothing: an event trigger missing (a user's
   * {@code DROP EXTENSION plpgsql CASCADE} takes it) or disabled. A plain catalog query: it needs none of capture's
   * functions, which may be gone too.
   */
  public static List<String> captureProblems(PgUrl source) {
    try (Connection c = Database.connect(source); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(io.gitversion.catalog.SqlResource.load("/io/gitversion/collector/sql/capture_check.sql"))) {
      List<String> problems = new ArrayList<>();
      while (rs.next()) {
        problems.add("event trigger " + rs.getString(1) + " is " + rs.getString(2));
      }
      return problems;
    } catch (SQLException e) {
      throw failure(source, e);
    }
  }

  /** Bytes of WAL the slot still holds for the collector (0 when the slot is missing). */
  public static long slotLagBytes(PgUrl source, String slotName) {
    Slot slot = slot(source, slotName);
    return slot == null ? 0L : slot.lagBytes();
  }

  /**
   * Deletes the log rows up to {@code publishedUpTo} (the collector has published them) older than {@code keep}
   * (capture.sql's prune_log); returns how many.
   */
  public static long pruneLog(PgUrl source, long publishedUpTo, java.time.Duration keep) {
    try (Connection c = Database.connect(source); PreparedStatement ps = c.prepareStatement("SELECT gitversion.prune_log(?, ?)")) {
      ps.setLong(1, publishedUpTo);
      ps.setDouble(2, keep.toMillis() / 1000.0);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw failure(source, e);
    }
  }

  /** A replication slot as the source has it: whether a consumer holds it now, and the WAL it keeps for it. */
  public record Slot(boolean active, long lagBytes) {}

  /** The slot of that name; null when the source has none (dropped). */
  public static Slot slot(PgUrl source, String slotName) {
    try (Connection c = Database.connect(source); PreparedStatement ps = c.prepareStatement(
        "SELECT active, COALESCE(pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint"
            + " FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, slotName);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Slot(rs.getBoolean(1), rs.getLong(2)) : null;
      }
    } catch (SQLException e) {
      throw failure(source, e);
    }
  }

  private static UserError failure(PgUrl source, SQLException e) {
    String message = Database.firstLine(e.getMessage());
    if ("3F000".equals(e.getSQLState()) || "42883".equals(e.getSQLState())) {
      message = "capture is not installed (run 'gitversion install " + source + "' first)";
    }
    return new UserError("cannot reconcile " + source + ": " + message, e);
  }
}
