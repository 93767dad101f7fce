package io.gitversion.processor.api;

import io.gitversion.contract.Topics;
import io.gitversion.schemas.Tag;
import io.javalin.config.RoutesConfig;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/** The query API of one processor instance: its routes, where it is reached, and the producer its tags are written with. */
public final class QueryService implements AutoCloseable {
  private final Router router;
  private final Producer<String, Tag> tags;
  private final Producer<String, io.gitversion.schemas.ModuleState> modules;
  private final SyncStatus status;
  private final AdvancedViews advanced;

  /** {@code streams} gives the running application, or null until it runs. */
  public QueryService(Map<String, Object> kafkaClientProperties, Supplier<KafkaStreams> streams) {
    this.router = new Router(streams);
    this.tags = new KafkaProducer<>(kafkaClientProperties, Topics.TAGS.keySerde().serializer(), Topics.TAGS.valueSerde().serializer());
    this.modules = new KafkaProducer<>(kafkaClientProperties, Topics.MODULES.keySerde().serializer(), Topics.MODULES.valueSerde().serializer());
    this.status = new SyncStatus(kafkaClientProperties).start();
    this.advanced = new AdvancedViews(kafkaClientProperties).start();
  }

  /** Adds the API's routes ({@code /api/...}). */
  public void register(RoutesConfig app) {
    QueryApi.register(app, router, tags);
    ModulesApi.register(app, router, modules);
    status.register(app);
    advanced.register(app);
  }

  /** This instance's address: what other instances pass requests to. */
  public void bind(String host, int port) {
    router.bind(new HostInfo(host, port));
  }

  @Override
  public void close() {
    tags.close();
    modules.close();
    status.close();
    advanced.close();
  }
}
