package io.gitversion.contract;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the pipeline: its name, the serdes of its key and value, and the topic configuration it needs.
 *
 * @param name the topic name
 * @param keySerde serde of the key; keys decide partitioning, so every producer of the topic uses this one
 * @param valueSerde serde of the value
 * @param config topic-level configuration applied at creation (cleanup policy, retention)
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> config) {
  public Topic {
    config = Map.copyOf(config);
  }
}
