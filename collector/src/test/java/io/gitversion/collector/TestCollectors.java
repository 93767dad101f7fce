package io.gitversion.collector;

import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.embedded.testing.KafkaBroker;
import java.util.HashMap;
import java.util.Map;

/** The collector's configuration in tests: one source, the test's broker, one partition per topic. */
final class TestCollectors {
  private TestCollectors() {}

  /** {@code more}: further settings, as name and value in turn. */
  static CollectorConfig config(KafkaBroker kafka, PgUrl source, String... more) {
    Map<String, Object> settings = new HashMap<>(Map.of(
        KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        KafkaSettings.TOPIC_PARTITIONS_CONFIG, "1",
        CollectorConfig.SOURCE_URL_CONFIG, source.toUriWithPassword()));
    for (int i = 0; i + 1 < more.length; i += 2) {
      settings.put(more[i], more[i + 1]);
    }
    return new CollectorConfig(settings);
  }
}
