package io.gitversion.syncer.internals;

import io.gitversion.contract.Topics;
import io.gitversion.contract.TopicFollower;
import io.gitversion.schemas.RemoteSpec;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the registry of remotes ({@link Topics#REMOTES}, from its beginning, for as long as the syncer runs): each
 * entry, as it is added or changed, and each removal (a tombstone), handed to the syncer, which starts, pauses,
 * resumes or stops the remote's worker without a restart.
 */
public final class RemoteRegistry extends TopicFollower {
  private static final Logger log = LoggerFactory.getLogger(RemoteRegistry.class);

  private final BiConsumer<String, RemoteSpec> changed;

  /** {@code changed}: a remote's name and its entry now (null: removed). */
  public RemoteRegistry(Map<String, Object> clientProperties, BiConsumer<String, RemoteSpec> changed) {
    super(clientProperties, "gitversion-syncer-registry");
    this.changed = changed;
  }

  @Override
  protected void begin() {
    assignAll(true, Topics.REMOTES.name());
  }

  @Override
  protected void handle(ConsumerRecord<String, byte[]> record) {
    RemoteSpec spec = null;
    if (record.value() != null) {
      try {
        spec = Topics.REMOTES.valueSerde().deserializer().deserialize(record.topic(), record.value());
      } catch (SerializationException e) {
        log.warn("unreadable registry entry {} at offset {}: {}", record.key(), record.offset(), e.getMessage());
        return;
      }
    }
    try {
      changed.accept(record.key(), spec);
    } catch (RuntimeException e) {
      log.error("remote {}: cannot follow its registry entry: {}", record.key(), e.getMessage());
    }
  }

  @Override
  protected String does() {
    return "follows the registry of remotes (the syncer)";
  }
}
