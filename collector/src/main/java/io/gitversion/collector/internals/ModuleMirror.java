package io.gitversion.collector.internals;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.TopicFollower;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.ModuleState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the source's {@code gitversion.modules} as the pipeline's {@code gitversion.modules} topic says, so that
 * {@code gitversion.enabled_modules} in every source answers as the CLI and the API do: reads the topic from its
 * beginning and writes each module's state through {@code gitversion.follow_module()}; a write that fails is tried
 * again a second later.
 */
public final class ModuleMirror extends TopicFollower {
  private static final Logger log = LoggerFactory.getLogger(ModuleMirror.class);

  private final PgUrl source;

  public ModuleMirror(Map<String, Object> clientProperties, PgUrl source, String database) {
    super(clientProperties, "gitversion-collector-modules-" + database);
    this.source = source;
  }

  public ModuleMirror start() {
    startThread("gitversion-collector-modules");
    return this;
  }

  @Override
  protected void begin() {
    assignAll(true, Topics.MODULES.name());
  }

  @Override
  protected void handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
    if (record.value() == null) {
      return;
    }
    ModuleState state = Topics.MODULES.valueSerde().deserializer().deserialize(record.topic(), record.value());
    while (running() && !follow(state)) {
      Thread.sleep(1_000);
    }
  }

  @Override
  protected String does() {
    return "follows the modules into " + source + " (the collector)";
  }

  private boolean follow(ModuleState state) {
    try (Connection c = Database.connect(source);
         PreparedStatement st = c.prepareStatement("SELECT gitversion.follow_module(?, ?, ?, ?)")) {
      st.setString(1, state.getName());
      st.setBoolean(2, state.getEnabled());
      st.setString(3, state.getChangedBy());
      st.setTimestamp(4, Timestamp.from(state.getChangedAt()));
      st.execute();
      return true;
    } catch (SQLException | RuntimeException e) {
      log.warn("cannot record module {} in {} yet: {}", state.getName(), source, e.getMessage());
      return false;
    }
  }
}
