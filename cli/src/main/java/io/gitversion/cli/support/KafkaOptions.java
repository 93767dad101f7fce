package io.gitversion.cli.support;

import io.gitversion.contract.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/** Where a command reaches Kafka (the registry, the syncer's requests): {@code --kafka.bootstrap.servers}. */
public final class KafkaOptions {
  @Option(names = "--" + KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, paramLabel = "HOST:PORT",
      description = "Kafka brokers (gitversion up prints them as 'kafka ...'). Env: GITVERSION_KAFKA_BOOTSTRAP_SERVERS. Default: 127.0.0.1:9092.")
  String bootstrapServers;

  /** The options as given ({@code servers}: null for the environment's or the default). */
  public static KafkaOptions of(String servers) {
    KafkaOptions options = new KafkaOptions();
    options.bootstrapServers = servers;
    return options;
  }

  public String servers() {
    return bootstrapServers != null ? bootstrapServers
        : System.getenv().getOrDefault(StageOptions.envName(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG), "127.0.0.1:9092");
  }

  /** A Kafka client's properties for a one-shot command: the brokers, and timeouts that end in a clear error. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers());
    props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    return props;
  }

  /** The registry of remotes through these brokers. */
  public Registry registry() {
    return new Registry(clientProperties(), servers());
  }
}
