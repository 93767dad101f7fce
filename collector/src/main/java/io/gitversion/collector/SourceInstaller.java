package io.gitversion.collector;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.SqlResource;
import io.gitversion.catalog.UserError;
import io.gitversion.catalog.inspect.SnapshotSql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.ReplicationSlotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs capture in a source database: the numbered migrations (tables and data, each applied once, recorded in
 * {@code gitversion.migrations}), then the functions, views and triggers of every concern, applied anew on every
 * install (the catalog's snapshot functions, versioning, capture, reconciliation, the SQL interface), and the logical
 * replication slot the collector reads. Running it again upgrades an older install in place, keeping its history, and
 * changes nothing on a current one.
 */
public final class SourceInstaller {
  private static final Logger log = LoggerFactory.getLogger(SourceInstaller.class);

  private static final String SQL = "/io/gitversion/collector/sql/";
  /** The migrations, in order: tables and data only. A new version is added here and never edited after release. */
  static final List<String> MIGRATIONS = List.of("V1__capture.sql", "V2__every_kind.sql", "V3__untracked_versions.sql",
      "V4__origin.sql", "V5__sync.sql", "V6__capture_lookups.sql", "V7__child_lookups.sql",
      "V8__slots.sql");
  /**
   * The functions, views and triggers of each concern, re-applied on every install after the migrations and the
   * catalog functions, in this order (a SQL function's body is checked when it is created: what it calls comes first).
   */
  static final List<String> CONCERNS = List.of("versioning.sql", "capture.sql", "reconcile.sql", "api.sql", "sync.sql", "advanced.sql");

  private SourceInstaller() {}

  /** Installs or upgrades capture; returns how many migrations were applied now. */
  public static int install(PgUrl source, String slotName) {
    try (Connection c = Database.connect(source)) {
      requireSuperuser(c, source);
      requireLogicalWal(c, source);
      c.setAutoCommit(false);
      int applied = 0;
      try (Statement st = c.createStatement()) {
        st.execute(SqlResource.load(SQL + "bootstrap.sql"));
        for (String migration : MIGRATIONS) {
          int version = Integer.parseInt(migration.substring(1, migration.indexOf("__")));
          if (!isApplied(c, version)) {
            st.execute(SqlResource.load(SQL + "migrations/" + migration));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO gitversion.migrations (version, name) VALUES (?, ?)")) {
              ps.setInt(1, version);
              ps.setString(2, migration);
              ps.executeUpdate();
            }
            applied++;
            log.info("applied {} to {}", migration, source);
          }
        }
        st.execute(SnapshotSql.forSchema("gitversion"));
        for (String concern : CONCERNS) {
          st.execute(io.gitversion.catalog.Rendering.into(SqlResource.load(SQL + concern)));
        }
      }
      c.commit();
      c.setAutoCommit(true);
      // a logical slot cannot be created in a transaction that has written anything
      createSlot(c, source, slotName);
      // after the slot: the baseline commit is streamed like any change
      int baseline = baseline(c);
      if (baseline > 0) {
        log.info("baseline of {}: {} existing objects recorded as their first version", source, baseline);
      }
      return applied;
    } catch (SQLException e) {
      throw new UserError("cannot install capture in " + source + ": " + Database.firstLine(e.getMessage()), e);
    }
  }

  /** Records every object that exists before capture as its first version, in one transaction; once. */
  static int baseline(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT gitversion.baseline()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Removes capture from a source: the event triggers first (so that nothing is captured half-way), the
   * publication, the replication slot (refused while a collector reads it), and schema {@code gitversion} with the
   * log and the recorded versions. The history already in Kafka stays.
   */
  public static void uninstall(PgUrl source, String slotName) {
    try (Connection c = Database.connect(source)) {
      requireSuperuser(c, source);
      try (Statement st = c.createStatement()) {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT active_pid FROM pg_catalog.pg_replication_slots WHERE slot_name = ? AND active")) {
          ps.setString(1, slotName);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              throw new UserError("cannot uninstall from " + source + ": replication slot " + slotName
                  + " is in use by process " + rs.getInt(1) + " (stop the collector first)");
            }
          }
        }
        c.setAutoCommit(false);
        st.execute(SqlResource.load(SQL + "uninstall.sql"));
        c.commit();
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
          ps.setString(1, slotName);
          ps.execute();
        }
      }
      log.info("capture removed from {}", source);
    } catch (SQLException e) {
      throw new UserError("cannot uninstall capture from " + source + ": " + Database.firstLine(e.getMessage()), e);
    }
  }

  /**
   * Makes the slot, when there is none, and records where it begins (gitversion.slots): its consistent point, and the
   * snapshot PostgreSQL exports with it, in which exactly the transactions committed before the slot are visible. A
   * slot made again after it was dropped does not stream what was captured while it was gone; the collector finds
   * those transactions in the log by that snapshot and publishes them first ({@code Collector}).
   */
  private static void createSlot(Connection c, PgUrl source, String slotName) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, slotName);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    Properties props = source.jdbcProperties();
    PGProperty.REPLICATION.set(props, "database");
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
    PGProperty.PREFER_QUERY_MODE.set(props, "simple");
    Connection replication;
    try {
      replication = DriverManager.getConnection(source.jdbcUrl(), props);
    } catch (SQLException e) {
      // no replication session for this host: its wal senders all taken, or a pooler between that has none
      createSlotBySql(c, source, slotName, Database.firstLine(e.getMessage()));
      return;
    }
    try (replication) {
      ReplicationSlotInfo slot = replication.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
          .withSlotName(slotName).withOutputPlugin("pgoutput").make();
      // the exported snapshot lives as long as the replication session does nothing else: imported now
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      String snapshot;
      try (Statement st = c.createStatement()) {
        st.execute("SET TRANSACTION SNAPSHOT " + io.gitversion.catalog.Sql.literal(slot.getSnapshotName()));
        snapshot = currentSnapshot(c);
      }
      c.commit();
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      c.setAutoCommit(true);
      recordSlot(c, slotName, slot.getConsistentPoint().asString(), snapshot);
    }
  }

  /**
   * The slot made by SQL, when the server has no replication session for this host (every wal sender taken, or a
   * pooler between that does not pass them on): the snapshot recorded is taken just before, so a transaction that
   * commits while the slot is being made is in neither. Said in the log; it matters only for a slot made again after a
   * drop while DDL runs (docs/operations.md).
   */
  private static void createSlotBySql(Connection c, PgUrl source, String slotName, String refused) throws SQLException {
    log.warn("{} has no replication session for this host ({}): slot {} is made by SQL instead; were it made again after a drop, "
        + "a transaction committed while it is made would not be caught up with (install from where the collector connects to be exact)",
        source, refused, slotName);
    String snapshot = currentSnapshot(c);
    try (PreparedStatement ps = c.prepareStatement("SELECT lsn::text FROM pg_catalog.pg_create_logical_replication_slot(?, 'pgoutput')")) {
      ps.setString(1, slotName);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        recordSlot(c, slotName, rs.getString(1), snapshot);
      }
    }
  }

  private static String currentSnapshot(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_catalog.pg_current_snapshot()::text")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Records where the slot begins: its consistent point, and the snapshot its unstreamed transactions are visible in. */
  private static void recordSlot(Connection c, String slotName, String startLsn, String snapshot) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO gitversion.slots (slot_name, made_at, start_lsn, before)"
        + " VALUES (?, clock_timestamp(), ?::pg_lsn, ?::pg_snapshot)"
        + " ON CONFLICT (slot_name) DO UPDATE SET made_at = EXCLUDED.made_at, start_lsn = EXCLUDED.start_lsn,"
        + " before = EXCLUDED.before, caught_up_at = NULL")) {
      ps.setString(1, slotName);
      ps.setString(2, startLsn);
      ps.setString(3, snapshot);
      ps.executeUpdate();
    }
  }

  private static boolean isApplied(Connection c, int version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM gitversion.migrations WHERE version = ?")) {
      ps.setInt(1, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * What the collector needs of its source before it streams, each missing one a user error in one line:
   * {@code wal_level=logical}, capture installed, and its replication slot there (a slot dropped while no collector
   * read it would be made again empty by the engine, and what capture logged meanwhile would never be streamed).
   */
  public static void requireReady(PgUrl source, String slotName) {
    try (Connection c = Database.connect(source)) {
      requireLogicalWal(c, source);
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT to_regclass('gitversion.ddl_log') IS NOT NULL")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw new UserError("capture is not installed in " + source + ": gitversion install " + source);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
        ps.setString(1, slotName);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new UserError(source + " has no replication slot " + slotName + " (dropped?): gitversion install " + source
                + " makes it again; the collector then publishes what was captured while it was gone (docs/operations.md)");
          }
        }
      }
    } catch (SQLException e) {
      throw new UserError("cannot reach the source " + source + ": " + Database.firstLine(e.getMessage()), e);
    }
  }

  private static void requireSuperuser(Connection c, PgUrl source) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
      if (!rs.next() || !rs.getBoolean(1)) {
        throw new UserError("installing capture needs a superuser (event triggers); " + source.user() + " is not one");
      }
    }
  }

  private static void requireLogicalWal(Connection c, PgUrl source) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW wal_level")) {
      rs.next();
      if (!"logical".equals(rs.getString(1))) {
        throw new UserError(source + " has wal_level=" + rs.getString(1) + "; capture needs wal_level=logical (then restart the server)");
      }
    }
  }

}
