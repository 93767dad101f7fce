package io.gitversion.collector;

import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.KafkaSettings;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Configuration of the collector stage; every key declared once with its default and documentation. */
public final class CollectorConfig extends AbstractConfig {
  public static final String SOURCE_URL_CONFIG = "source.url";
  private static final String SOURCE_URL_DOC = "The source database: postgresql://user[:password]@host:port/db (a superuser, for event triggers).";

  public static final String SOURCE_NAME_CONFIG = "source.name";
  private static final String SOURCE_NAME_DOC = "Name of the source in topics and history (the message key); defaults to the database name.";

  public static final String SLOT_NAME_CONFIG = "collector.slot.name";
  private static final String SLOT_NAME_DOC = "Logical replication slot the collector reads; defaults to gitversion_<database>.";

  public static final String OFFSETS_TOPIC_CONFIG = "collector.offsets.topic";
  private static final String OFFSETS_TOPIC_DOC = "Kafka topic holding the collector's position in the source's WAL.";

  public static final String POLL_INTERVAL_MS_CONFIG = "collector.poll.interval.ms";
  private static final String POLL_INTERVAL_MS_DOC = "How often the engine polls for new WAL records.";

  public static final String RECONCILE_INTERVAL_MS_CONFIG = "collector.reconcile.interval.ms";
  private static final String RECONCILE_INTERVAL_MS_DOC = "How often live hashes are compared with captured ones and differences recorded as drift (0: never; `gitversion drift` on demand).";

  public static final String CAPTURE_CHECK_MS_CONFIG = "collector.capture.check.ms";
  private static final String CAPTURE_CHECK_MS_DOC = "How often the collector checks that capture's event triggers are in place and enabled "
      + "(a user's DROP EXTENSION plpgsql CASCADE removes them); 0: never.";

  public static final String LAG_WARN_BYTES_CONFIG = "collector.lag.warn.bytes";
  private static final String LAG_WARN_BYTES_DOC = "Warn when the replication slot holds more WAL than this for the collector.";

  public static final String LOG_RETENTION_MS_CONFIG = "collector.log.retention.ms";
  private static final String LOG_RETENTION_MS_DOC = "How long the source keeps gitversion.ddl_log rows the collector has published "
      + "(tags are kept); older ones are deleted (the history is on Kafka). 0: kept forever.";

  public static final String API_URL_CONFIG = "collector.api.url";
  private static final String API_URL_DOC = "The query API (the processor's dashboard address) that the source's sync requests read history from "
      + "(gitversion.sync_generate_migration, sync_with_remote, sync_from_version); empty: those requests fail saying so.";

  public static final ConfigDef CONFIG = io.gitversion.observability.OpsSettings.define(KafkaSettings.define(new ConfigDef()))
      .define(SOURCE_URL_CONFIG, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, SOURCE_URL_DOC)
      .define(SOURCE_NAME_CONFIG, Type.STRING, "", Importance.MEDIUM, SOURCE_NAME_DOC)
      .define(SLOT_NAME_CONFIG, Type.STRING, "", Importance.LOW, SLOT_NAME_DOC)
      .define(OFFSETS_TOPIC_CONFIG, Type.STRING, "gitversion.collector-offsets", Importance.LOW, OFFSETS_TOPIC_DOC)
      .define(POLL_INTERVAL_MS_CONFIG, Type.LONG, 10L, ConfigDef.Range.atLeast(1), Importance.LOW, POLL_INTERVAL_MS_DOC)
      .define(RECONCILE_INTERVAL_MS_CONFIG, Type.LONG, 300_000L, ConfigDef.Range.atLeast(0), Importance.LOW, RECONCILE_INTERVAL_MS_DOC)
      .define(CAPTURE_CHECK_MS_CONFIG, Type.LONG, 2_000L, ConfigDef.Range.atLeast(0), Importance.LOW, CAPTURE_CHECK_MS_DOC)
      .define(LAG_WARN_BYTES_CONFIG, Type.LONG, 1L << 30, ConfigDef.Range.atLeast(0), Importance.LOW, LAG_WARN_BYTES_DOC)
      .define(LOG_RETENTION_MS_CONFIG, Type.LONG, 7L * 24 * 3600 * 1000, ConfigDef.Range.atLeast(0), Importance.LOW, LOG_RETENTION_MS_DOC)
      .define(API_URL_CONFIG, Type.STRING, "", Importance.LOW, API_URL_DOC);

  public CollectorConfig(Map<?, ?> originals) {
    super(CONFIG, originals, false);
  }

  public PgUrl sourceUrl() {
    return PgUrl.parse(getPassword(SOURCE_URL_CONFIG).value());
  }

  public String sourceName() {
    String name = getString(SOURCE_NAME_CONFIG);
    return name.isBlank() ? sourceUrl().database() : name;
  }

  public String slotName() {
    String slot = getString(SLOT_NAME_CONFIG);
    return slot.isBlank() ? defaultSlotName(sourceUrl().database()) : slot;
  }

  /** Slots are per server, so the default embeds the database name, reduced to what a slot name allows. */
  public static String defaultSlotName(String database) {
    String cleaned = database.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    String slot = "gitversion_" + cleaned;
    return slot.length() > 63 ? slot.substring(0, 63) : slot;
  }
}
