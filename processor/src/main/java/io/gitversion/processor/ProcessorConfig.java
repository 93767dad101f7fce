package io.gitversion.processor;

import io.gitversion.contract.KafkaSettings;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Configuration of the processor stage and its dashboard; every key declared once with its default and doc. */
public final class ProcessorConfig extends AbstractConfig {
  public static final String APPLICATION_ID_CONFIG = "processor.application.id";
  private static final String APPLICATION_ID_DOC = "Kafka Streams application id: instances with the same id share the work.";

  public static final String STATE_DIR_CONFIG = "processor.state.dir";
  private static final String STATE_DIR_DOC = "Directory of the local state stores; empty for a fresh temporary directory.";

  public static final String COMMIT_INTERVAL_MS_CONFIG = "processor.commit.interval.ms";
  private static final String COMMIT_INTERVAL_MS_DOC = "Kafka Streams commit interval; with exactly-once it bounds the latency of every output.";

  public static final String DASHBOARD_HOST_CONFIG = "dashboard.host";
  private static final String DASHBOARD_HOST_DOC = "Address the dashboard and query API listen on.";

  public static final String DASHBOARD_ADVERTISED_HOST_CONFIG = "dashboard.advertised.host";
  private static final String DASHBOARD_ADVERTISED_HOST_DOC = "The host other processor instances reach this one's query API at "
      + "(they pass it the requests about the sources it holds); empty: dashboard.host.";

  public static final String DASHBOARD_PORT_CONFIG = "dashboard.port";
  private static final String DASHBOARD_PORT_DOC = "Port of the dashboard and query API; 0 picks a free port; -1 turns it off.";

  public static final ConfigDef CONFIG = KafkaSettings.define(new ConfigDef())
      .define(APPLICATION_ID_CONFIG, Type.STRING, "gitversion-processor", Importance.MEDIUM, APPLICATION_ID_DOC)
      .define(STATE_DIR_CONFIG, Type.STRING, "", Importance.MEDIUM, STATE_DIR_DOC)
      .define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, 20L, ConfigDef.Range.atLeast(1), Importance.LOW, COMMIT_INTERVAL_MS_DOC)
      .define(DASHBOARD_HOST_CONFIG, Type.STRING, "127.0.0.1", Importance.LOW, DASHBOARD_HOST_DOC)
      .define(DASHBOARD_ADVERTISED_HOST_CONFIG, Type.STRING, "", Importance.LOW, DASHBOARD_ADVERTISED_HOST_DOC)
      .define(DASHBOARD_PORT_CONFIG, Type.INT, 7070, ConfigDef.Range.atLeast(-1), Importance.MEDIUM, DASHBOARD_PORT_DOC);

  public ProcessorConfig(Map<?, ?> originals) {
    super(CONFIG, originals, false);
  }
}
