package io.gitversion.syncer.internals;

import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.ObjectVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The sources' current state as the processor published it: the latest version of every object, read from
 * {@link Topics#OBJECT_VERSIONS} (compacted) from its beginning to its end. What a rebase brings a remote to.
 */
public final class SourceState {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  /** Latest version by topic key ({@code database/objectKey}). */
  private final Map<String, ObjectVersion> latest;

  private SourceState(Map<String, ObjectVersion> latest) {
    this.latest = latest;
  }

  /** Reads the whole topic; fails when it cannot be read to its end within a minute. */
  public static SourceState read(Map<String, Object> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gitversion-syncer-state");
    Map<String, ObjectVersion> latest = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.OBJECT_VERSIONS.name(), READ_TIMEOUT).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot read " + Topics.OBJECT_VERSIONS.name() + " to its end within " + READ_TIMEOUT.toSeconds() + " s");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            latest.remove(record.key());
          } else {
            latest.put(record.key(), Topics.OBJECT_VERSIONS.valueSerde().deserializer().deserialize(record.topic(), record.value()));
          }
        }
      }
    }
    return new SourceState(latest);
  }

  /** The sources the state holds objects of. */
  public Set<String> databases() {
    Set<String> databases = new TreeSet<>();
    latest.values().forEach(v -> databases.add(v.getDatabase()));
    return databases;
  }

  /** One source's objects as a model (those the model tracks: with a definition, not dropped). */
  public SchemaModel model(String database) {
    List<DbObject> objects = new ArrayList<>();
    for (ObjectVersion v : latest.values()) {
      if (v.getDatabase().equals(database) && !v.getDropped() && v.getDefinition() != null) {
        objects.add(Snapshots.object(v.getDefinition()));
      }
    }
    return SchemaModel.of(objects);
  }

  /** One source's live objects the model does not track (kinds without a definition): a rebase cannot bring them. */
  List<String> untracked(String database) {
    Map<String, String> names = new TreeMap<>();
    for (ObjectVersion v : latest.values()) {
      if (v.getDatabase().equals(database) && !v.getDropped() && v.getDefinition() == null) {
        names.put(v.getObjectKey(), v.getKind() + " " + (v.getSchema$() == null ? "" : v.getSchema$() + ".") + v.getName());
      }
    }
    return List.copyOf(names.values());
  }

  /** The commit that last changed one source's objects (by time), or null when it has none. */
  public String lastCommit(String database) {
    return latest.values().stream().filter(v -> v.getDatabase().equals(database))
        .max(java.util.Comparator.comparing(ObjectVersion::getChangedAt)).map(ObjectVersion::getCommitId).orElse(null);
  }
}
