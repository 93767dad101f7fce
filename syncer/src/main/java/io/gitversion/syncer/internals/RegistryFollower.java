package io.gitversion.syncer.internals;

import io.gitversion.contract.Topic;
import io.gitversion.contract.TopicFollower;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a registry the syncer keeps to (the remotes, {@code gitversion.remotes}; the tenant templates,
 * {@code gitversion.tenant-templates}: compacted topics), from its beginning, for as long as the syncer runs: each
 * entry, as it is added or changed, and each removal (a tombstone), handed to the syncer, which starts, changes or
 * stops what follows it without a restart.
 */
public final class RegistryFollower<V> extends TopicFollower {
  private static final Logger log = LoggerFactory.getLogger(RegistryFollower.class);

  private final Topic<String, V> topic;
  private final BiConsumer<String, V> changed;
  private final java.util.function.Consumer<org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>> deadLetters;

  /** {@code changed}: an entry's key and its value now (null: removed). */
  public RegistryFollower(Map<String, Object> clientProperties, Topic<String, V> topic, BiConsumer<String, V> changed,
                          java.util.function.Consumer<org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>> deadLetters) {
    super(clientProperties, "gitversion-syncer-" + topic.name().substring(topic.name().indexOf('.') + 1));
    this.topic = topic;
    this.changed = changed;
    this.deadLetters = deadLetters;
  }

  @Override
  protected void begin() {
    assignAll(true, topic.name());
  }

  @Override
  protected void handle(ConsumerRecord<String, byte[]> record) {
    V value = null;
    if (record.value() != null) {
      try {
        value = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
      } catch (SerializationException e) {
        log.error("unreadable entry {} of {} at offset {} sent to {}: {}", record.key(), topic.name(), record.offset(),
            io.gitversion.contract.Topics.DEAD_LETTER.name(), e.getMessage());
        deadLetters.accept(io.gitversion.contract.DeadLetters.of(record, "syncer", "unreadable " + topic.name() + " entry: " + e.getMessage()));
        return;
      }
    }
    try {
      changed.accept(record.key(), value);
    } catch (RuntimeException e) {
      log.error("{} of {}: cannot follow its entry: {}", record.key(), topic.name(), e.getMessage());
    }
  }

  @Override
  protected String does() {
    return "follows " + topic.name() + " (the syncer)";
  }
}
