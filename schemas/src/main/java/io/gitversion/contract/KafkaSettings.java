package io.gitversion.contract;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** The Kafka connection keys every stage shares; declared once and added to each stage's {@link ConfigDef}. */
public final class KafkaSettings {
  public static final String BOOTSTRAP_SERVERS_CONFIG = "kafka.bootstrap.servers";
  private static final String BOOTSTRAP_SERVERS_DOC = "Kafka brokers, host:port[,host:port...].";

  public static final String TOPIC_PARTITIONS_CONFIG = "kafka.topic.partitions";
  private static final String TOPIC_PARTITIONS_DOC = "Partitions of each topic the pipeline creates (source databases spread over them).";

  public static final String TOPIC_REPLICATION_CONFIG = "kafka.topic.replication";
  private static final String TOPIC_REPLICATION_DOC = "Replication factor of each topic the pipeline creates.";

  public static final String CLIENT_PREFIX = "kafka.client.";

  private KafkaSettings() {}

  /** Adds the shared Kafka keys to a stage's config definition. */
  public static ConfigDef define(ConfigDef def) {
    return def
        .define(BOOTSTRAP_SERVERS_CONFIG, ConfigDef.Type.STRING, "127.0.0.1:9092", ConfigDef.Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
        .define(TOPIC_PARTITIONS_CONFIG, ConfigDef.Type.INT, 3, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW, TOPIC_PARTITIONS_DOC)
        .define(TOPIC_REPLICATION_CONFIG, ConfigDef.Type.SHORT, (short) 1, ConfigDef.Importance.LOW, TOPIC_REPLICATION_DOC);
  }

  /**
   * The largest message (compressed) the pipeline's topics take: one source transaction is one message, and the
   * baseline of a large database (every object's definition: 28 MB uncompressed for 10,000 tables) is one transaction.
   */
  public static final int MAX_MESSAGE_BYTES = 64 << 20;
  /** The largest record a producer takes before compression (zstd shrinks the canonical texts about tenfold). */
  public static final int MAX_RECORD_BYTES = 512 << 20;

  /** Producer settings for records as large as a transaction can make: compressed, and allowed up to the topics' limit. */
  public static Map<String, Object> largeRecords() {
    return Map.of(
        org.apache.kafka.clients.producer.ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd",
        org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES,
        org.apache.kafka.clients.producer.ProducerConfig.BUFFER_MEMORY_CONFIG, (long) MAX_RECORD_BYTES);
  }

  /**
   * Client properties for a stage: the bootstrap servers plus any {@code kafka.client.*} keys passed through
   * unchanged (security settings, for example).
   */
  public static Map<String, Object> clientProperties(AbstractConfig config) {
    Map<String, Object> props = new HashMap<>(config.originalsWithPrefix(CLIENT_PREFIX));
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.getString(BOOTSTRAP_SERVERS_CONFIG));
    return props;
  }
}
