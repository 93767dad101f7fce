package io.gitversion.syncer;

import io.gitversion.contract.KafkaSettings;
import io.gitversion.contract.Topics;
import io.gitversion.syncer.internals.RemoteControl;
import io.gitversion.syncer.internals.RemoteWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The syncer stage: one worker per subscribed remote, each applying every commit in source order, exactly once
 * (a ledger row in the remote, written in the commit's transaction), and reporting to {@link Topics#SYNC_RESULTS}.
 */
public final class Syncer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Syncer.class);

  private final SyncerConfig config;
  private final KafkaProducer<String, byte[]> producer;
  private final List<RemoteWorker> workers = new ArrayList<>();
  private final ExecutorService executor;
  private RemoteControl control;

  public Syncer(SyncerConfig config) {
    this.config = config;
    Map<String, Object> props = KafkaSettings.clientProperties(config);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.putAll(KafkaSettings.largeRecords()); // a result lists a commit's statements
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "gitversion-syncer");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    List<Remote> remotes = config.remotes();
    for (Remote remote : remotes) {
      workers.add(new RemoteWorker(remote, KafkaSettings.clientProperties(config), config.getString(SyncerConfig.GROUP_PREFIX_CONFIG),
          config.sources(), config.skipFailures(), config.joinByRebase(), Duration.ofMillis(config.getLong(SyncerConfig.RETRY_BACKOFF_MS_CONFIG)), producer));
    }
    this.executor = Executors.newFixedThreadPool(remotes.size() + 1, r -> new Thread(r, "gitversion-syncer"));
  }

  public Syncer start() {
    try (Admin admin = Admin.create(KafkaSettings.clientProperties(config))) {
      Topics.createAll(admin, config.getInt(KafkaSettings.TOPIC_PARTITIONS_CONFIG), config.getShort(KafkaSettings.TOPIC_REPLICATION_CONFIG));
    }
    control = new RemoteControl(workers, KafkaSettings.clientProperties(config));
    workers.forEach(executor::execute);
    executor.execute(control);
    log.info("syncer keeping {} remote(s) in step: {}", workers.size(), workers.stream().map(w -> w.remote().name()).toList());
    return this;
  }

  /** Each remote's state, by name. */
  public Map<String, RemoteWorker.State> status() {
    Map<String, RemoteWorker.State> status = new LinkedHashMap<>();
    workers.forEach(w -> status.put(w.remote().name(), w.state()));
    return status;
  }

  @Override
  public void close() {
    if (control != null) {
      control.close();
    }
    workers.forEach(RemoteWorker::close);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("syncer workers did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      producer.close(Duration.ofSeconds(10));
    }
  }
}
