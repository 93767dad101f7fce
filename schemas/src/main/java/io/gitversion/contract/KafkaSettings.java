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
   * Client properties for a stage: the bootstrap servers plus any {@code kafka.client.*} keys passed through
   * unchanged (security settings, for example).
   */
  public static Map<String, Object> clientProperties(AbstractConfig config) {
    Map<String, Object> props = new HashMap<>(config.originalsWithPrefix(CLIENT_PREFIX));
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.getString(BOOTSTRAP_SERVERS_CONFIG));
    return props;
  }
}
