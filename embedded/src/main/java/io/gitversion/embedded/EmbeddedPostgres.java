package io.gitversion.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the binaries embedded in a Maven artifact (the release {@link PostgresBinaries} names),
 * on a free port, configured for logical replication. User {@code postgres}, trust authentication on loopback.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final String name;
  private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
  private final Path dataDir;

  private EmbeddedPostgres(String name, io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Path dataDir) {
    this.name = name;
    this.server = server;
    this.dataDir = dataDir;
  }

  /**
   * Starts a fresh server; {@code name} labels it in logs, its port is from {@link Ports}. A start that fails is tried
   * once more on another port: the free port can be taken by another process in the meantime, and the readiness check
   * then meets a listener that never answers. Its connections time out after 10 s,
   * so such a start fails instead of hanging.
   */
  public static EmbeddedPostgres start(String name) {
    return start(name, 100);
  }

  /** A server that takes {@code maxConnections} sessions (a benchmark's fleet of remotes on one server). */
  public static EmbeddedPostgres start(String name, int maxConnections) {
    return start(name, maxConnections, PostgresBinaries.fromEnvironment());
  }

  /** A server of the PostgreSQL release {@code binaries} names. */
  public static EmbeddedPostgres start(String name, PostgresBinaries binaries) {
    return start(name, 100, binaries);
  }

  private static EmbeddedPostgres start(String name, int maxConnections, PostgresBinaries binaries) {
    try {
      return startOnce(name, maxConnections, binaries);
    } catch (RuntimeException first) {
      log.warn("PostgreSQL {} did not start ({}); trying once more", name, first.getMessage());
      try {
        return startOnce(name, maxConnections, binaries);
      } catch (RuntimeException second) {
        second.addSuppressed(first);
        throw second;
      }
    }
  }

  private static EmbeddedPostgres startOnce(String name, int maxConnections, PostgresBinaries binaries) {
    Path dataDir = null;
    try {
      dataDir = Files.createTempDirectory("gitversion-pg-" + name + "-");
      var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder();
      binaries.resolver().ifPresent(builder::setPgBinaryResolver);
      var server = builder
          .setDataDirectory(dataDir)
          .setPort(Ports.free())
          .setCleanDataDirectory(true)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setConnectConfig("connectTimeout", "10")
          .setConnectConfig("socketTimeout", "10")
          .setServerConfig("wal_level", "logical")
          .setServerConfig("max_replication_slots", "10")
          .setServerConfig("max_wal_senders", "10")
          // walsenders ship only flushed WAL: without this each captured change waits for the WAL writer
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("fsync", "off")
          .setServerConfig("full_page_writes", "off")
          .setServerConfig("max_connections", String.valueOf(maxConnections))
          .start();
      startWatchdog(dataDir);
      log.info("PostgreSQL {} ready on port {} ({})", name, server.getPort(), serverVersion(server));
      return new EmbeddedPostgres(name, server, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL " + name, e);
    }
  }

  /**
   * The server runs detached from this JVM (pg_ctl daemonizes it), so if the JVM is killed outright nothing would stop
   * it. A small shell process per server waits for this JVM to go and then shuts the server down (fast mode) and removes
   * its data. After a normal close it finds no postmaster.pid and ends by itself.
   */
  private static void startWatchdog(Path dataDir) {
    String script = """
        while kill -0 "$1" 2>/dev/null && [ -f "$2/postmaster.pid" ]; do sleep 1; done
        if [ -f "$2/postmaster.pid" ]; then
          kill -INT "$(head -n 1 "$2/postmaster.pid")" 2>/dev/null
          for i in 1 2 3 4 5 6 7 8 9 10; do [ -f "$2/postmaster.pid" ] || break; sleep 1; done
          rm -rf "$2"
        fi
        """;
    try {
      new ProcessBuilder("sh", "-c", script, "gitversion-pg-watchdog", String.valueOf(ProcessHandle.current().pid()), dataDir.toString())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      log.warn("no watchdog for the server in {} ({}); if this JVM is killed, stop it by hand", dataDir, e.getMessage());
    }
  }

  private static String serverVersion(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
    try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      var rs = st.executeQuery("SHOW server_version");
      rs.next();
      return "PostgreSQL " + rs.getString(1);
    } catch (SQLException e) {
      return "version unknown: " + e.getMessage();
    }
  }

  public String name() {
    return name;
  }

  public int port() {
    return server.getPort();
  }

  /** {@code postgresql://postgres@127.0.0.1:PORT/database}. */
  public String url(String database) {
    return "postgresql://postgres@127.0.0.1:" + port() + "/" + database;
  }

  /** Creates a database named with a plain lower-case name (no quoting needed), if missing, and returns its URL. */
  public String createDatabase(String database) {
    if (!PLAIN_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException("embedded databases take plain names ([a-z_][a-z0-9_]*), got " + database);
    }
    try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
      if (!rs.next()) {
        st.execute("CREATE DATABASE " + database);
      }
      return url(database);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + database + " on " + name, e);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      log.warn("stopping PostgreSQL {} failed: {}", name, e.getMessage());
    }
    Paths.deleteRecursively(dataDir);
    log.info("PostgreSQL {} stopped", name);
  }
}
