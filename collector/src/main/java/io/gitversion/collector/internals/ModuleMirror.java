package io.gitversion.collector.internals;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.ModuleState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the source's {@code gitversion.modules} as the pipeline's {@code gitversion.modules} topic says, so that
 * {@code gitversion.enabled_modules} in every source answers as the CLI and the API do: reads the topic from its
 * beginning and writes each module's state through {@code gitversion.follow_module()}; a write that fails is tried
 * again a second later.
 */
public final class ModuleMirror implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModuleMirror.class);

  private final KafkaConsumer<String, ModuleState> consumer;
  private final PgUrl source;
  private final Thread thread;
  private volatile boolean running = true;

  public ModuleMirror(Map<String, Object> clientProperties, PgUrl source, String database) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gitversion-collector-modules-" + database);
    this.consumer = new KafkaConsumer<>(props, Topics.MODULES.keySerde().deserializer(), Topics.MODULES.valueSerde().deserializer());
    this.source = source;
    this.thread = new Thread(this::run, "gitversion-collector-modules");
    this.thread.setDaemon(true);
  }

  public ModuleMirror start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.MODULES.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        for (ConsumerRecord<String, ModuleState> record : consumer.poll(Duration.ofMillis(500))) {
          while (running && record.value() != null && !follow(record.value())) {
            Thread.sleep(1_000);
          }
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("following the modules into {} stopped", source, e);
    } finally {
      consumer.close();
    }
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

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
