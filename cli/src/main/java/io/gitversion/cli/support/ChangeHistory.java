package io.gitversion.cli.support;

import io.gitversion.contract.Topics;
import io.gitversion.schemas.Change;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads the committed change history from {@link Topics#CHANGES}, from the beginning to the current end. */
public final class ChangeHistory {
  private ChangeHistory() {}

  public static List<Change> readAll(String bootstrapServers) {
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<Change> changes = new ArrayList<>();
    try (KafkaConsumer<String, Change> consumer =
             new KafkaConsumer<>(props, Topics.CHANGES.keySerde().deserializer(), Topics.CHANGES.valueSerde().deserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.CHANGES.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> changes.add(r.value()));
      }
    }
    return changes;
  }

  /** The changes of the object that has (or had) this name, oldest first. */
  public static List<Change> ofObject(List<Change> all, String schema, String name) {
    String key = all.stream()
        .filter(c -> c.getAfter() != null && name.equals(c.getAfter().getName()) && schema.equals(c.getAfter().getSchema$()))
        .map(Change::getObjectKey).reduce((first, second) -> second).orElse(null);
    return all.stream().filter(c -> c.getObjectKey().equals(key)).toList();
  }
}
