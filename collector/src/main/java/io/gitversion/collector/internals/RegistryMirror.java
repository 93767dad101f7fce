package io.gitversion.collector.internals;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.Subscriptions;
import io.gitversion.contract.TopicFollower;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.schemas.SyncResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the source's {@code gitversion.remote_databases} as the pipeline's registry ({@code gitversion.remotes}) says,
 * with each remote's last sync result ({@code gitversion.sync-results}): the design note's table of remotes, never a
 * password (the registry holds none). A write that fails is tried again a second later.
 */
public final class RegistryMirror extends TopicFollower {
  private static final Logger log = LoggerFactory.getLogger(RegistryMirror.class);

  private final PgUrl source;
  private Connection connection;

  public RegistryMirror(Map<String, Object> clientProperties, PgUrl source, String database) {
    super(clientProperties, "gitversion-collector-remotes-" + database);
    this.source = source;
  }

  public RegistryMirror start() {
    startThread("gitversion-collector-remotes");
    return this;
  }

  @Override
  protected void begin() {
    assignAll(true, Topics.REMOTES.name(), Topics.SYNC_RESULTS.name());
  }

  @Override
  protected void handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
    while (running() && !write(record)) {
      Thread.sleep(1_000);
    }
  }

  @Override
  protected String does() {
    return "follows the registry of remotes into " + source + " (the collector)";
  }

  private boolean write(ConsumerRecord<String, byte[]> record) {
    try {
      if (connection == null || !connection.isValid(2)) {
        connection = Database.connect(source);
      }
      if (record.topic().equals(Topics.REMOTES.name())) {
        registry(record.key(), record.value() == null ? null : Topics.REMOTES.valueSerde().deserializer().deserialize(record.topic(), record.value()));
      } else if (record.value() != null) {
        result(Topics.SYNC_RESULTS.valueSerde().deserializer().deserialize(record.topic(), record.value()));
      }
      return true;
    } catch (SQLException | RuntimeException e) {
      log.warn("cannot record remote {} in {} yet: {}", record.key(), source, Database.firstLine(String.valueOf(e.getMessage())));
      closeConnection();
      return false;
    }
  }

  /** The remotes mirrored (not the tenants: entries that name a template are the advanced module's, not remotes). */
  private final java.util.Set<String> remotes = new java.util.HashSet<>();

  private void registry(String name, RemoteSpec spec) throws SQLException {
    if (spec != null && spec.getTemplate() != null) {
      spec = null; // a tenant: not a remote of this table (gitversion tenants list)
    }
    if (spec == null) {
      remotes.remove(name);
      try (PreparedStatement ps = connection.prepareStatement("DELETE FROM gitversion.remote_databases WHERE name = ?")) {
        ps.setString(1, name);
        ps.executeUpdate();
      }
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(
        "INSERT INTO gitversion.remote_databases (name, url, password_from, sources, takes, strategy, paused, changed_by, changed_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET url = EXCLUDED.url, password_from = EXCLUDED.password_from, "
            + "sources = EXCLUDED.sources, takes = EXCLUDED.takes, strategy = EXCLUDED.strategy, paused = EXCLUDED.paused, "
            + "changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at")) {
      ps.setString(1, name);
      ps.setString(2, spec.getUrl());
      ps.setString(3, spec.getPasswordFrom());
      ps.setArray(4, connection.createArrayOf("text", spec.getSources().stream().map(CharSequence::toString).toArray()));
      ps.setString(5, Subscriptions.describe(spec));
      ps.setString(6, spec.getStrategy());
      ps.setBoolean(7, spec.getPaused());
      ps.setString(8, spec.getChangedBy());
      ps.setTimestamp(9, Timestamp.from(spec.getChangedAt()));
      ps.executeUpdate();
    }
    remotes.add(name);
  }

  private void result(SyncResult result) throws SQLException {
    if (result.getRequestId() != null && result.getCommitId().isEmpty() || !remotes.contains(result.getRemote())) {
      return; // an answer to a request about the remote, not a commit's outcome; or a tenant's, or no remote's now
    }
    try (PreparedStatement ps = connection.prepareStatement(
        "UPDATE gitversion.remote_databases SET last_status = ?, last_commit = ?, last_result_at = ? WHERE name = ?")) {
      ps.setString(1, result.getStatus());
      ps.setString(2, result.getCommitId());
      ps.setTimestamp(3, Timestamp.from(result.getAt()));
      ps.setString(4, result.getRemote());
      ps.executeUpdate();
    }
  }

  private void closeConnection() {
    Database.closeQuietly(connection);
    connection = null;
  }

  @Override
  public void close() {
    super.close();
    closeConnection();
  }
}
