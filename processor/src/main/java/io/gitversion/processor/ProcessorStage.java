package io.gitversion.processor;

import io.gitversion.contract.KafkaSettings;
import io.gitversion.contract.Topics;
import io.gitversion.processor.api.QueryService;
import io.gitversion.processor.dashboard.Dashboard;
import io.gitversion.processor.internals.VersioningTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor stage: the versioning topology under Kafka Streams with exactly-once (v2), plus the dashboard. An
 * event no one can read or process goes to {@link Topics#DEAD_LETTER} with the reason in its headers.
 */
public final class ProcessorStage implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProcessorStage.class);

  private final ProcessorConfig config;
  private final io.gitversion.observability.Observability observability;
  private final boolean ownsObservability;
  private volatile KafkaStreams streams;
  /** Why the processor stopped by itself (its state directory has no room), else null. */
  private volatile String fatal;
  private Dashboard dashboard;
  private QueryService api;

  public ProcessorStage(ProcessorConfig config) {
    this(config, new io.gitversion.observability.Observability(), true);
  }

  /**
   * A processor whose meters and readiness checks go to {@code observability} (shared with the other stages of the
   * process), served on the dashboard's address: {@code /metrics}, {@code /health/live}, {@code /health/ready}.
   */
  public ProcessorStage(ProcessorConfig config, io.gitversion.observability.Observability observability) {
    this(config, observability, false);
  }

  private ProcessorStage(ProcessorConfig config, io.gitversion.observability.Observability observability, boolean owns) {
    this.config = config;
    this.observability = observability;
    this.ownsObservability = owns;
  }

  /**
   * Creates the topics if needed, starts the dashboard and the query API (first: the instance names its address to
   * Kafka Streams, so that other instances can pass it the requests about the sources it holds), then the topology,
   * and waits until the topology runs.
   */
  public ProcessorStage start(Duration timeout) throws InterruptedException {
    try (Admin admin = Admin.create(KafkaSettings.clientProperties(config))) {
      Topics.createAll(admin, config.getString(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG), config.getInt(KafkaSettings.TOPIC_PARTITIONS_CONFIG),
          config.getShort(KafkaSettings.TOPIC_REPLICATION_CONFIG));
    }
    Properties properties = streamsProperties(config);
    int port = config.getInt(ProcessorConfig.DASHBOARD_PORT_CONFIG);
    if (port >= 0) {
      String host = config.getString(ProcessorConfig.DASHBOARD_HOST_CONFIG);
      api = new QueryService(KafkaSettings.clientProperties(config), () -> streams);
      dashboard = Dashboard.start(host, port, KafkaSettings.clientProperties(config), routes -> {
        api.register(routes);
        io.gitversion.processor.api.OpsRoutes.register(routes, observability);
      });
      String advertised = config.getString(ProcessorConfig.DASHBOARD_ADVERTISED_HOST_CONFIG).isBlank() ? host
          : config.getString(ProcessorConfig.DASHBOARD_ADVERTISED_HOST_CONFIG);
      api.bind(advertised, dashboard.port());
      properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised + ":" + dashboard.port());
    }
    KafkaStreams created = new KafkaStreams(VersioningTopology.build(observability.registry()), properties);
    observability.bindStreams(created);
    observability.check("processor.streams", () -> {
      KafkaStreams.State state = state();
      return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
          ? io.gitversion.observability.Observability.Check.up("Kafka Streams " + state)
          : io.gitversion.observability.Observability.Check.down(fatal != null ? fatal : "Kafka Streams " + state);
    });
    String stateDir = properties.getProperty(StreamsConfig.STATE_DIR_CONFIG);
    created.setUncaughtExceptionHandler(e -> {
      if (noRoom(e, stateDir)) {
        // a thread replaced would fail the same way, over and over: stop, saying why in one line
        return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
      log.error("processor stream thread failed; replacing it", e);
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams = created;
    try {
      streams.start();
    } catch (RuntimeException e) {
      if (noRoom(e, stateDir)) { // the global store's thread initializes within start()
        throw new IllegalStateException(fatal, e);
      }
      throw e;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (fatal != null) {
        throw new IllegalStateException(fatal);
      }
      if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException("processor did not reach RUNNING within " + timeout + " (state " + streams.state() + ")");
      }
      Thread.sleep(50);
    }
    log.info("processor running{}", dashboard == null ? "" : ", dashboard at " + dashboard.url());
    return this;
  }

  public Optional<String> dashboardUrl() {
    return Optional.ofNullable(dashboard).map(Dashboard::url);
  }

  /**
   * Why the processor cannot go on, once it cannot: its state directory has no room (the stream threads stopped), or
   * Kafka Streams stopped by itself. Empty while it runs (or was closed).
   */
  public Optional<String> failure() {
    if (fatal != null) {
      return Optional.of(fatal);
    }
    KafkaStreams.State state = state();
    return state == KafkaStreams.State.ERROR ? Optional.of("the processor's Kafka Streams stopped (state ERROR); see the log above")
        : Optional.empty();
  }

  /**
   * Whether {@code failure} is a write that failed for lack of room (disk full, quota, file size limit: the operating
   * system's words); if so the processor cannot go on: {@link #failure()} says so from now on, and the log once.
   */
  private boolean noRoom(Throwable failure, String stateDir) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      for (String reason : List.of("No space left on device", "Disk quota exceeded", "File too large")) {
        if (message.contains(reason)) {
          fatal = "the processor's state directory " + stateDir + " has no room (" + reason + "): free space there or set "
              + ProcessorConfig.STATE_DIR_CONFIG + " to a disk that has; the processor stops";
          log.error(fatal);
          return true;
        }
      }
    }
    return false;
  }

  public KafkaStreams.State state() {
    return streams == null ? KafkaStreams.State.CREATED : streams.state();
  }

  static Properties streamsProperties(ProcessorConfig config) {
    Properties p = new Properties();
    p.putAll(KafkaSettings.clientProperties(config));
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(ProcessorConfig.APPLICATION_ID_CONFIG));
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(ProcessorConfig.COMMIT_INTERVAL_MS_CONFIG));
    String stateDir = stateDir(config);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    if (!config.getString(ProcessorConfig.STATE_DIR_CONFIG).isBlank()) {
      p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId(stateDir));
    }
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTER.name());
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.getShort(KafkaSettings.TOPIC_REPLICATION_CONFIG));
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    KafkaSettings.largeRecords().forEach((key, value) -> p.put(StreamsConfig.producerPrefix(key), value));
    return p;
  }

  /**
   * The instance's name in its group (static membership), the same at every start of an instance kept in the same
   * state directory on the same host, and another for each other instance (each has a state directory of its own):
   * an instance killed and started again takes its tasks back at once, rather than after the dead member's session
   * has timed out (45 s; a clean close leaves the group as before). Without a state directory of its own (a fresh
   * temporary one at each start) an instance has no lasting name, and joins as any member does.
   */
  public static String instanceId(String stateDir) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    String place = host + "|" + java.nio.file.Path.of(stateDir).toAbsolutePath().normalize();
    return "gitversion-processor-" + io.gitversion.catalog.model.Sha256.of(place).substring(0, 16);
  }

  private static String stateDir(ProcessorConfig config) {
    String dir = config.getString(ProcessorConfig.STATE_DIR_CONFIG);
    if (!dir.isBlank()) {
      return dir;
    }
    try {
      return Files.createTempDirectory("gitversion-streams-").toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the dashboard, the API and the topology; closing again does nothing. */
  @Override
  public synchronized void close() {
    observability.removeCheck("processor.streams");
    try {
      if (dashboard != null) {
        dashboard.close();
        dashboard = null;
      }
      if (api != null) {
        api.close();
        api = null;
      }
    } finally {
      if (streams != null) {
        // leaving the group hands this instance's tasks to the others at once, not after the session timeout
        streams.close(org.apache.kafka.streams.CloseOptions.timeout(Duration.ofSeconds(30))
            .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      }
      if (ownsObservability) {
        observability.close();
      }
    }
  }

}
