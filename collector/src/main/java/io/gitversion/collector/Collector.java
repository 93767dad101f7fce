package io.gitversion.collector;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.gitversion.catalog.PgUrl;
import io.gitversion.collector.internals.TransactionAssembler;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.DdlEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector stage: streams the source's DDL log through the Debezium embedded engine (pgoutput, the log table
 * only) and publishes each committed source transaction as one {@link DdlEvent} on {@link Topics#DDL_EVENTS}. A
 * transaction is acknowledged to Debezium only after Kafka acknowledged it, so a crash re-sends rather than loses;
 * downstream removes the duplicates by event id.
 */
public final class Collector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Collector.class);
  private static final String LOG_TABLE = "gitversion.ddl_log";

  /** Lifecycle of the stage. */
  public enum State { CREATED, STARTING, RUNNING, FAILED, CLOSED }

  private final CollectorConfig config;
  private final String database;
  private volatile List<String> captureProblems = List.of();
  private final KafkaProducer<String, byte[]> producer;
  private final TransactionAssembler<RecordChangeEvent<SourceRecord>> assembler;
  /** The highest log row id among the transactions Kafka has acknowledged: rows up to it may be pruned. */
  private final java.util.concurrent.atomic.AtomicLong publishedUpTo = new java.util.concurrent.atomic.AtomicLong();
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "gitversion-collector"));
  private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gitversion-collector-watch");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch polling = new CountDownLatch(1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile State state = State.CREATED;
  private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
  private io.gitversion.collector.internals.ModuleMirror modules;
  private io.gitversion.collector.internals.RegistryMirror remotes;

  private final io.gitversion.observability.Observability observability;
  private final boolean ownsObservability;
  private final io.gitversion.observability.BrokerCheck broker;
  private final io.micrometer.core.instrument.Counter published;
  private final io.micrometer.core.instrument.Counter deadLetters;
  private final java.util.concurrent.atomic.AtomicLong lagMillis = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong slotLag = new java.util.concurrent.atomic.AtomicLong();
  /** The slot as last looked at (null: not yet, or the source has none). */
  private volatile Reconciler.Slot slot;
  private volatile String slotProblem = "not looked at yet";
  /** This collector's gauges: removed when it closes (the registry may outlive it). */
  private final List<io.micrometer.core.instrument.Meter> gauges = new java.util.ArrayList<>();

  public Collector(CollectorConfig config) {
    this(config, new io.gitversion.observability.Observability(), true);
  }

  /**
   * A collector whose meters (capture lag in bytes and seconds, capture intact, transactions published, dead letters)
   * and readiness checks (the broker, the slot active, capture intact) go to {@code observability}.
   */
  public Collector(CollectorConfig config, io.gitversion.observability.Observability observability) {
    this(config, observability, false);
  }

  private Collector(CollectorConfig config, io.gitversion.observability.Observability observability, boolean owns) {
    this.config = config;
    this.observability = observability;
    this.ownsObservability = owns;
    this.database = config.sourceName();
    Map<String, Object> props = KafkaSettings.clientProperties(config);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.putAll(KafkaSettings.largeRecords());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "gitversion-collector-" + database);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.assembler = new TransactionAssembler<>(database);
    this.broker = new io.gitversion.observability.BrokerCheck(KafkaSettings.clientProperties(config));
    io.micrometer.core.instrument.MeterRegistry meters = observability.registry();
    observability.bind(producer);
    this.published = meters.counter(io.gitversion.observability.MetricNames.TRANSACTIONS_PUBLISHED, "source", database);
    this.deadLetters = meters.counter(io.gitversion.observability.MetricNames.DEAD_LETTERS, "stage", "collector");
    gauges.add(io.micrometer.core.instrument.Gauge.builder(io.gitversion.observability.MetricNames.CAPTURE_LAG_BYTES, slotLag, java.util.concurrent.atomic.AtomicLong::get)
        .tag("source", database).baseUnit("bytes").register(meters));
    gauges.add(io.micrometer.core.instrument.Gauge.builder(io.gitversion.observability.MetricNames.CAPTURE_LAG_SECONDS, lagMillis, m -> m.get() / 1000.0)
        .tag("source", database).register(meters));
    gauges.add(io.micrometer.core.instrument.Gauge.builder(io.gitversion.observability.MetricNames.CAPTURE_INTACT, this, c -> c.captureProblems.isEmpty() ? 1 : 0)
        .tag("source", database).register(meters));
  }

  /** Readiness: the slot exists and this collector holds it. */
  private io.gitversion.observability.Observability.Check slotCheck() {
    Reconciler.Slot s = slot;
    return s != null && s.active() ? io.gitversion.observability.Observability.Check.up("slot " + config.slotName() + " active")
        : io.gitversion.observability.Observability.Check.down(slotProblem);
  }

  /** Readiness: capture's event triggers in place and enabled. */
  private io.gitversion.observability.Observability.Check captureCheck() {
    List<String> problems = captureProblems;
    return problems.isEmpty() ? io.gitversion.observability.Observability.Check.up("event triggers in place and enabled")
        : io.gitversion.observability.Observability.Check.down("capture broken: " + String.join(", ", problems) + " (gitversion install restores it)");
  }

  /** Starts streaming and waits until the engine polls the source (or fails). */
  public Collector start(Duration timeout) throws InterruptedException {
    state = State.STARTING;
    SourceInstaller.requireReady(config.sourceUrl(), config.slotName());
    try (Admin admin = Admin.create(KafkaSettings.clientProperties(config))) {
      Topics.createAll(admin, config.getString(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG), config.getInt(KafkaSettings.TOPIC_PARTITIONS_CONFIG),
          config.getShort(KafkaSettings.TOPIC_REPLICATION_CONFIG));
    }
    catchUp();
    Properties engineProperties = engineProperties();
    if (io.gitversion.collector.internals.SlotCatchUp.unreadSinceMade(config.sourceUrl(), config.slotName())) {
      // Debezium's own check that the position it last recorded is still on the server (its internal setting)
      engineProperties.setProperty("internal.log.position.check.enable", "false");
    }
    engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
        .using(engineProperties)
        .using(new DebeziumEngine.ConnectorCallback() {
          @Override
          public void pollingStarted() {
            state = State.RUNNING;
            polling.countDown();
          }
        })
        .using((success, message, error) -> {
          if (!success && state != State.CLOSED) {
            failure.set(error != null ? error : new IllegalStateException(message));
            state = State.FAILED;
            log.error("collector for {} stopped: {}", database, message, error);
          }
          polling.countDown();
        })
        .notifying(this::handleBatch)
        .build();
    executor.execute(engine);
    if (!polling.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("collector for " + database + " did not start streaming within " + timeout);
    }
    if (state == State.FAILED) {
      Throwable cause = failure.get();
      throw new IllegalStateException("collector for " + database + " failed to start: " + cause.getMessage(), cause);
    }
    log.info("collector streaming {} from slot {}", config.sourceUrl(), config.slotName());
    modules = new io.gitversion.collector.internals.ModuleMirror(KafkaSettings.clientProperties(config), config.sourceUrl(), database).start();
    remotes = new io.gitversion.collector.internals.RegistryMirror(KafkaSettings.clientProperties(config), config.sourceUrl(), database).start();
    long every = config.getLong(CollectorConfig.RECONCILE_INTERVAL_MS_CONFIG);
    if (every > 0) {
      watch.scheduleWithFixedDelay(this::watchSource, every, every, TimeUnit.MILLISECONDS);
    }
    long check = config.getLong(CollectorConfig.CAPTURE_CHECK_MS_CONFIG);
    if (check > 0) {
      watch.scheduleWithFixedDelay(this::checkCapture, 0, check, TimeUnit.MILLISECONDS);
      watch.scheduleWithFixedDelay(this::checkSlot, 0, check, TimeUnit.MILLISECONDS);
    }
    long retention = config.getLong(CollectorConfig.LOG_RETENTION_MS_CONFIG);
    if (retention > 0) {
      long pruneEvery = Math.min(Math.max(retention, 1_000L), 600_000L);
      watch.scheduleWithFixedDelay(() -> pruneLog(Duration.ofMillis(retention)), pruneEvery, pruneEvery, TimeUnit.MILLISECONDS);
    }
    observability.check("collector.broker", broker);
    observability.check("collector.slot", this::slotCheck);
    observability.check("collector.capture", this::captureCheck);
    return this;
  }

  /**
   * Publishes what the slot does not stream, before it streams: the transactions captured while it was gone, when
   * {@code gitversion install} made it again after it was dropped (SlotCatchUp).
   */
  private void catchUp() {
    io.gitversion.collector.internals.SlotCatchUp.Missed missed = io.gitversion.collector.internals.SlotCatchUp.missed(
        config.sourceUrl(), config.slotName(), database, KafkaSettings.clientProperties(config),
        Duration.ofMillis(config.getLong(CollectorConfig.LOG_RETENTION_MS_CONFIG)));
    if (!missed.events().isEmpty()) {
      log.warn("slot {} of {} was made again: publishing the {} transaction(s) captured while it was gone", config.slotName(),
          database, missed.events().size());
      missed.events().forEach(this::send);
    }
    missed.caughtUp().run();
  }

  /**
   * Whether capture is in place: a user's {@code DROP EXTENSION plpgsql CASCADE} (or {@code ALTER EVENT TRIGGER ...
   * DISABLE}) removes it without a word. Noticed within one check and reported (an error in the log, and
   * {@link #captureProblems()}) until {@code gitversion install} puts it back; then what changed meanwhile is
   * reconciled at once, and recorded as drift.
   */
  private void checkCapture() {
    try {
      List<String> problems = Reconciler.captureProblems(config.sourceUrl());
      List<String> before = captureProblems;
      captureProblems = List.copyOf(problems);
      if (!problems.isEmpty() && !problems.equals(before)) {
        log.error("capture of {} is broken: {}; DDL is not captured until 'gitversion install' restores it (what changes "
            + "meanwhile is recorded as drift then)", database, String.join(", ", problems));
      } else if (problems.isEmpty() && !before.isEmpty()) {
        int drifted = Reconciler.reconcile(config.sourceUrl());
        log.info("capture of {} is back; reconciliation recorded {} object(s) changed meanwhile", database, drifted);
      }
    } catch (RuntimeException e) {
      log.warn("checking capture of {} failed: {}", database, e.getMessage());
    }
  }

  /** The slot's state and lag, for the readiness check and the lag meter. */
  private void checkSlot() {
    try {
      Reconciler.Slot now = Reconciler.slot(config.sourceUrl(), config.slotName());
      slot = now;
      if (now == null) {
        slotProblem = "the source has no replication slot " + config.slotName() + " (dropped?): gitversion install makes it again,"
            + " then restart the collector (it publishes what was captured meanwhile)";
      } else {
        slotLag.set(now.lagBytes());
        slotProblem = now.active() ? null : "slot " + config.slotName() + " is not held by this collector";
      }
    } catch (RuntimeException e) {
      slot = null;
      slotProblem = "cannot read the source's slot: " + e.getMessage();
    }
  }

  /** Deletes the log rows this collector has published that are older than the retention (CollectorConfig). */
  private void pruneLog(Duration keep) {
    long upTo = publishedUpTo.get();
    if (upTo == 0) {
      return;
    }
    try {
      long deleted = Reconciler.pruneLog(config.sourceUrl(), upTo, keep);
      if (deleted > 0) {
        log.info("deleted {} published row(s) older than {} from {}'s gitversion.ddl_log", deleted, keep, database);
      }
    } catch (RuntimeException e) {
      log.warn("pruning {}'s gitversion.ddl_log failed: {}", database, e.getMessage());
    }
  }

  /** What keeps capture from working in the source, as of the last check; empty when it works. */
  public List<String> captureProblems() {
    return captureProblems;
  }

  /**
   * Periodic care of the source: reconciliation (what changed without being captured is recorded as drift, and
   * reaches Kafka by the log like any change) and the replication slot's lag (WAL the source keeps for us).
   */
  private void watchSource() {
    try {
      int drifted = Reconciler.reconcile(config.sourceUrl());
      if (drifted > 0) {
        log.warn("reconciliation of {} recorded {} drifted object(s)", database, drifted);
      }
      long lag = Reconciler.slotLagBytes(config.sourceUrl(), config.slotName());
      if (lag > config.getLong(CollectorConfig.LAG_WARN_BYTES_CONFIG)) {
        log.warn("replication slot {} of {} holds {} MiB of WAL: the collector is behind", config.slotName(), database, lag >> 20);
      }
    } catch (RuntimeException e) {
      log.warn("watching {} failed: {}", database, e.getMessage());
    }
  }

  public State state() {
    return state;
  }

  private void handleBatch(List<RecordChangeEvent<SourceRecord>> batch,
                           DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
    for (RecordChangeEvent<SourceRecord> event : batch) {
      SourceRecord record = event.record();
      if (!(record.value() instanceof Struct value)) {
        assembler.other(event);
        continue;
      }
      if (record.topic().endsWith(".transaction")) {
        if ("END".equals(value.getString("status"))) {
          TransactionAssembler.Completed<RecordChangeEvent<SourceRecord>> done = assembler.end(event, value.getString("id"));
          done.event().ifPresent(this::send);
          for (RecordChangeEvent<SourceRecord> r : done.records()) {
            committer.markProcessed(r);
          }
        } else {
          assembler.begin(event);
        }
      } else if ("c".equals(opOf(value)) && value.get("after") instanceof Struct after) {
        assembler.row(event, after);
      } else {
        assembler.other(event);
      }
    }
    committer.markBatchFinished();
  }

  private static String opOf(Struct value) {
    return value.schema().field("op") == null ? null : value.getString("op");
  }

  /** Sends one transaction and blocks until Kafka acknowledged it; an unreadable transaction goes to the dead letters. */
  private void send(DdlEvent event) {
    byte[] bytes;
    try {
      bytes = Topics.DDL_EVENTS.valueSerde().serializer().serialize(Topics.DDL_EVENTS.name(), event);
    } catch (RuntimeException e) {
      deadLetter(event.toString(), "cannot encode DdlEvent: " + e.getMessage());
      return;
    }
    try {
      producer.send(new ProducerRecord<>(Topics.DDL_EVENTS.name(), database, bytes)).get();
      published.increment();
      event.getRecords().forEach(r -> publishedUpTo.accumulateAndGet(r.getSeq(), Math::max));
      lagMillis.set(Math.max(0, System.currentTimeMillis() - event.getCapturedAt().toEpochMilli()));
      log.debug("published {} ({} records)", event.getEventId(), event.getRecords().size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing " + event.getEventId(), e);
    } catch (ExecutionException e) {
      // not acknowledged: fail the batch so Debezium re-delivers it after restart
      throw new IllegalStateException("cannot publish " + event.getEventId() + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  private void deadLetter(String payload, String reason) {
    ProducerRecord<String, byte[]> dead = io.gitversion.contract.DeadLetters.of(database, payload.getBytes(StandardCharsets.UTF_8), "collector", reason);
    try {
      producer.send(dead).get();
      deadLetters.increment();
      log.error("sent an unreadable transaction of {} to {}: {}", database, Topics.DEAD_LETTER.name(), reason);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dead-lettering", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot dead-letter a record of " + database + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  private Properties engineProperties() {
    PgUrl source = config.sourceUrl();
    Properties p = new Properties();
    p.setProperty("name", "gitversion-collector-" + database);
    p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.setProperty("database.hostname", source.host());
    p.setProperty("database.port", String.valueOf(source.port()));
    p.setProperty("database.user", source.user());
    p.setProperty("database.password", source.password() == null ? "" : source.password());
    p.setProperty("database.dbname", source.database());
    p.setProperty("topic.prefix", "gitversion-" + database.replaceAll("[^A-Za-z0-9_.-]", "_"));
    p.setProperty("plugin.name", "pgoutput");
    p.setProperty("slot.name", config.slotName());
    p.setProperty("publication.name", "gitversion");
    p.setProperty("publication.autocreate.mode", "disabled");
    p.setProperty("table.include.list", LOG_TABLE);
    // the installer created the slot, so every change since install is retained: no snapshot needed
    p.setProperty("snapshot.mode", "no_data");
    p.setProperty("provide.transaction.metadata", "true");
    p.setProperty("tombstones.on.delete", "false");
    p.setProperty("poll.interval.ms", String.valueOf(config.getLong(CollectorConfig.POLL_INTERVAL_MS_CONFIG)));
    // Kafka Connect's store on a topic, closed with the engine (the engine's own leaves its admin client running)
    p.setProperty("offset.storage", io.gitversion.collector.internals.OffsetStore.class.getName());
    p.setProperty("offset.storage.topic", config.getString(CollectorConfig.OFFSETS_TOPIC_CONFIG));
    p.setProperty("offset.storage.partitions", "1");
    p.setProperty("offset.storage.replication.factor", String.valueOf(config.getShort(KafkaSettings.TOPIC_REPLICATION_CONFIG)));
    p.setProperty("offset.flush.interval.ms", "0");
    p.setProperty("bootstrap.servers", config.getString(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG));
    return p;
  }

  @Override
  public void close() {
    if (state == State.CLOSED) {
      return;
    }
    State previous = state;
    state = State.CLOSED;
    watch.shutdownNow();
    observability.removeCheck("collector.broker");
    observability.removeCheck("collector.slot");
    observability.removeCheck("collector.capture");
    broker.close();
    gauges.forEach(observability.registry()::remove);
    if (remotes != null) {
      remotes.close();
    }
    if (modules != null) {
      modules.close();
    }
    try {
      if (engine != null) {
        engine.close();
      }
    } catch (IOException e) {
      log.warn("closing the Debezium engine of {} failed: {}", database, e.getMessage());
    } finally {
      executor.shutdown();
      try {
        if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
          log.warn("collector of {} did not stop within 30 s (was {})", database, previous);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      producer.close(Duration.ofSeconds(10));
      if (ownsObservability) {
        observability.close();
      }
    }
  }
}
