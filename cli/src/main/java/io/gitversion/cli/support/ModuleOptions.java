package io.gitversion.cli.support;

import io.gitversion.contract.KafkaSettings;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * What a command of the advanced module with subcommands ({@code tenants}, {@code shards}) takes before or after its
 * action, inherited by every action: where Kafka is (the registry and the module's topics) and where the query API is.
 */
public final class ModuleOptions {
  @Option(names = "--" + KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, paramLabel = "HOST:PORT", scope = ScopeType.INHERIT,
      description = "Kafka brokers (gitversion up prints them as 'kafka ...'). Env: GITVERSION_KAFKA_BOOTSTRAP_SERVERS. Default: 127.0.0.1:9092.")
  String bootstrapServers;

  @Option(names = "--api", paramLabel = "URL", scope = ScopeType.INHERIT,
      description = "The query API: the URL gitversion up prints on its dashboard line. Default: $GITVERSION_API, else " + ApiOptions.DEFAULT_API + ".")
  String api;

  public KafkaOptions kafka() {
    return KafkaOptions.of(bootstrapServers);
  }

  public ApiClient client() {
    return new ApiClient(api != null ? api : System.getenv().getOrDefault("GITVERSION_API", ApiOptions.DEFAULT_API));
  }

  /** The registry, for a command of the advanced module: refused (exit 2, one line) while the module is not enabled. */
  public Registry advanced(String command) {
    Registry registry = kafka().registry();
    registry.requireModule("advanced", command);
    return registry;
  }
}
