package io.gitversion.collector.internals;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.apache.kafka.connect.util.SharedTopicAdmin;
import org.apache.kafka.connect.util.TopicAdmin;

/**
 * Where the Debezium engine keeps the collector's source offsets: Kafka Connect's store on a Kafka topic, as the
 * engine makes it for {@code offset.storage=KafkaOffsetBackingStore} (offsets as JSON without schemas), except that it
 * closes the admin client it reads and makes the topic with when the engine stops it. The engine's own store never
 * closes that client: every collector started in a process left one behind, retrying a broker that was gone.
 */
public final class OffsetStore extends KafkaOffsetBackingStore {
  private final Admin admin;

  /** Made by the engine, by its class name ({@code offset.storage}). */
  public OffsetStore() {
    this(new Admin());
  }

  private OffsetStore(Admin admin) {
    super(admin, () -> "gitversion-collector", jsonWithoutSchemas());
    this.admin = admin;
  }

  @Override
  public void configure(WorkerConfig config) {
    admin.configure(config.getList(WorkerConfig.BOOTSTRAP_SERVERS_CONFIG));
    super.configure(config);
  }

  @Override
  public void stop() {
    try {
      super.stop();
    } finally {
      admin.close();
    }
  }

  private static Converter jsonWithoutSchemas() {
    JsonConverter converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", "false"), true);
    return converter;
  }

  /** The admin client, made when the store first needs it and closed with the store. */
  private static final class Admin implements Supplier<TopicAdmin>, AutoCloseable {
    private volatile SharedTopicAdmin shared;

    void configure(java.util.List<String> bootstrapServers) {
      Map<String, Object> props = new HashMap<>();
      props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", bootstrapServers));
      props.put(AdminClientConfig.CLIENT_ID_CONFIG, "gitversion-collector-offsets-admin");
      shared = new SharedTopicAdmin(props);
    }

    @Override
    public TopicAdmin get() {
      return shared.get();
    }

    @Override
    public void close() {
      if (shared != null) {
        shared.close();
      }
    }
  }
}
