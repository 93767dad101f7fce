package io.gitversion.syncer;

import io.gitversion.contract.KafkaSettings;
import io.gitversion.contract.Topics;
import io.gitversion.syncer.internals.RemoteControl;
import io.gitversion.syncer.internals.RemoteWorker;
import java.time.Duration;
import java.util.LinkedHashMap;
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
  /** Every remote's worker, by name: those of the configuration, and those of the registry as it changes. */
  private final Map<String, RemoteWorker> workers = new java.util.concurrent.ConcurrentHashMap<>();
  /** The registry's entries the workers were started from, by name. */
  private final Map<String, io.gitversion.schemas.RemoteSpec> registered = new java.util.concurrent.ConcurrentHashMap<>();
  private final ExecutorService executor;
  private RemoteControl control;
  private io.gitversion.syncer.internals.RegistryFollower<io.gitversion.schemas.RemoteSpec> registry;
  private io.gitversion.syncer.internals.RegistryFollower<io.gitversion.schemas.TenantTemplate> templateRegistry;
  /** The tenant templates' rollouts, by template name (the advanced module). */
  private final Map<String, io.gitversion.syncer.tenants.TenantRollout> rollouts = new java.util.concurrent.ConcurrentHashMap<>();
  /** Every tenant's entry, by name, whether or not its template is known yet. */
  private final Map<String, io.gitversion.schemas.RemoteSpec> tenants = new java.util.concurrent.ConcurrentHashMap<>();

  private final io.gitversion.observability.Observability observability;
  private final boolean ownsObservability;
  private final io.gitversion.observability.BrokerCheck broker;
  /** Each worker's state gauges, removed with it. */
  private final Map<String, java.util.List<io.micrometer.core.instrument.Meter>> stateGauges = new java.util.concurrent.ConcurrentHashMap<>();

  public Syncer(SyncerConfig config) {
    this(config, new io.gitversion.observability.Observability(), true);
  }

  /** A syncer whose meters and readiness checks (the broker, the remotes reachable) go to {@code observability}. */
  public Syncer(SyncerConfig config, io.gitversion.observability.Observability observability) {
    this(config, observability, false);
  }

  private Syncer(SyncerConfig config, io.gitversion.observability.Observability observability, boolean owns) {
    this.config = config;
    this.observability = observability;
    this.ownsObservability = owns;
    this.broker = new io.gitversion.observability.BrokerCheck(KafkaSettings.clientProperties(config));
    Map<String, Object> props = KafkaSettings.clientProperties(config);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.putAll(KafkaSettings.largeRecords()); // a result lists a commit's statements
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "gitversion-syncer");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    observability.bind(producer);
    for (Remote remote : config.remotes()) {
      workers.put(remote.name(), worker(remote, config.sources(), Subscription.all(), config.strategy()));
    }
    this.executor = Executors.newCachedThreadPool(r -> new Thread(r, "gitversion-syncer"));
  }

  private RemoteWorker worker(Remote remote, java.util.Set<String> sources, Subscription subscription, String strategy) {
    RemoteWorker worker = new RemoteWorker(remote, KafkaSettings.clientProperties(config), config.getString(SyncerConfig.GROUP_PREFIX_CONFIG),
        sources, subscription, strategy, config.joinByRebase(), Duration.ofMillis(config.getLong(SyncerConfig.RETRY_BACKOFF_MS_CONFIG)), producer,
        observability.registry());
    java.util.List<io.micrometer.core.instrument.Meter> gauges = new java.util.ArrayList<>();
    for (RemoteWorker.State s : RemoteWorker.State.values()) {
      gauges.add(io.micrometer.core.instrument.Gauge.builder(io.gitversion.observability.MetricNames.REMOTE_STATE, worker, w -> w.state() == s ? 1 : 0)
          .tag("remote", remote.name()).tag("state", s.name().toLowerCase(java.util.Locale.ROOT)).strongReference(true)
          .register(observability.registry()));
    }
    java.util.List<io.micrometer.core.instrument.Meter> before = stateGauges.put(remote.name(), gauges);
    if (before != null) {
      before.stream().filter(m -> !gauges.contains(m)).forEach(observability.registry()::remove);
    }
    return worker;
  }

  /** An entry of a control topic no one can read: to the dead letters (a failure to send them is logged, not fatal). */
  private void deadLetter(org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> dead) {
    producer.send(dead, (metadata, e) -> {
      if (e != null) {
        log.error("cannot send an unreadable record to {}: {}", Topics.DEAD_LETTER.name(), e.getMessage());
      }
    });
    observability.registry().counter(io.gitversion.observability.MetricNames.DEAD_LETTERS, "stage", "syncer").increment();
  }

  /** Readiness: every remote answers (none waits for its database to come back). */
  private io.gitversion.observability.Observability.Check remotesReachable() {
    java.util.List<String> waiting = workers.entrySet().stream().filter(e -> e.getValue().state() == RemoteWorker.State.WAITING_FOR_REMOTE)
        .map(Map.Entry::getKey).sorted().toList();
    return waiting.isEmpty() ? io.gitversion.observability.Observability.Check.up(workers.size() + " remote(s) reachable")
        : io.gitversion.observability.Observability.Check.down("unreachable: " + String.join(", ", waiting));
  }

  /**
   * A registry entry added, changed or removed (null): a new remote's worker starts (it joins by rebase), a removed
   * one's stops, a changed one's restarts where its address, sources or strategy changed, and pauses or resumes as
   * the entry says. A remote of the configuration ({@code syncer.remotes}) is left to the configuration.
   */
  private synchronized void registryChanged(String name, io.gitversion.schemas.RemoteSpec spec) {
    if (spec != null ? spec.getTemplate() != null : tenants.containsKey(name)) {
      tenantChanged(name, spec);
      return;
    }
    if (config.remotes().stream().anyMatch(r -> r.name().equals(name))) {
      log.warn("remote {} is in syncer.remotes: its registry entry is not followed", name);
      return;
    }
    io.gitversion.schemas.RemoteSpec before = registered.get(name);
    RemoteWorker running = workers.get(name);
    boolean restart = spec == null || before == null || !before.getUrl().equals(spec.getUrl())
        || !java.util.Objects.equals(before.getPasswordFrom(), spec.getPasswordFrom()) || !before.getSources().equals(spec.getSources())
        || !java.util.Objects.equals(before.getStrategy(), spec.getStrategy()) || !Subscription.of(before).equals(Subscription.of(spec));
    if (running != null && restart) {
      workers.remove(name);
      running.close();
      if (spec == null) {
        java.util.List<io.micrometer.core.instrument.Meter> gauges = stateGauges.remove(name);
        if (gauges != null) {
          gauges.forEach(observability.registry()::remove);
        }
      }
      log.info("remote {} {}", name, spec == null ? "removed from the registry: no longer kept in step" : "changed in the registry: restarting");
    }
    if (spec == null) {
      registered.remove(name);
      return;
    }
    registered.put(name, spec);
    if (restart) {
      java.util.Set<String> sources = spec.getSources().isEmpty() ? config.sources() : new java.util.HashSet<>(spec.getSources());
      String strategy = spec.getStrategy() == null ? config.strategy() : spec.getStrategy();
      RemoteWorker worker;
      try {
        worker = worker(Remote.of(spec), sources, Subscription.of(spec), strategy);
      } catch (io.gitversion.catalog.UserError e) {
        log.error("remote {} in the registry cannot be followed: {}", name, e.getMessage());
        return;
      }
      worker.pause(spec.getPaused());
      workers.put(name, worker);
      executor.execute(worker);
      log.info("remote {} added from the registry: {}", name, io.gitversion.catalog.PgUrl.redact(spec.getUrl()));
    } else {
      running.pause(spec.getPaused());
      log.info("remote {} {}", name, spec.getPaused() ? "paused" : "resumed");
    }
  }

  /** A tenant's entry added, changed or removed (null): handed to its template's rollout, kept until the template is known. */
  private synchronized void tenantChanged(String name, io.gitversion.schemas.RemoteSpec spec) {
    io.gitversion.schemas.RemoteSpec before = spec == null ? tenants.remove(name) : tenants.put(name, spec);
    if (before != null && (spec == null || !before.getTemplate().equals(spec.getTemplate()))) {
      var previous = rollouts.get(before.getTemplate());
      if (previous != null) {
        previous.tenantChanged(name, null);
      }
    }
    if (spec != null) {
      var rollout = rollouts.get(spec.getTemplate());
      if (rollout != null) {
        rollout.tenantChanged(name, spec);
      }
    }
  }

  /**
   * A template added, changed or removed (null): its rollout starts (with the tenants known of it), takes new
   * settings, restarts where its source, schema or address changed, or stops.
   */
  private synchronized void templateChanged(String name, io.gitversion.schemas.TenantTemplate template) {
    io.gitversion.syncer.tenants.TenantRollout running = rollouts.get(name);
    if (running != null && template != null) {
      io.gitversion.schemas.TenantTemplate before = running.template();
      if (before.getSource().equals(template.getSource()) && before.getSchema$().equals(template.getSchema$())
          && before.getUrl().equals(template.getUrl())) {
        running.templateChanged(template);
        return;
      }
    }
    if (running != null) {
      rollouts.remove(name);
      running.close();
      log.info("template {} {}", name, template == null ? "removed: its tenants are no longer kept in step" : "changed: restarting its rollout");
    }
    if (template == null) {
      return;
    }
    var rollout = new io.gitversion.syncer.tenants.TenantRollout(template, KafkaSettings.clientProperties(config),
        config.getString(SyncerConfig.GROUP_PREFIX_CONFIG), producer);
    tenants.forEach((tenant, spec) -> {
      if (spec.getTemplate().equals(name)) {
        rollout.tenantChanged(tenant, spec);
      }
    });
    rollouts.put(name, rollout);
    executor.execute(rollout);
    log.info("template {} ({}.{}): rolling its changes out to its tenants", name, template.getSource(), template.getSchema$());
  }

  /** Who takes the commands for a name: the remote's worker, or the rollout that keeps the tenant; null: nobody here. */
  private java.util.function.Consumer<io.gitversion.schemas.RemoteCommand> keeper(String name) {
    RemoteWorker worker = workers.get(name);
    if (worker != null) {
      return worker::command;
    }
    return rollouts.values().stream().filter(r -> r.keeps(name)).findFirst()
        .<java.util.function.Consumer<io.gitversion.schemas.RemoteCommand>>map(r -> r::command).orElse(null);
  }

  public Syncer start() {
    try (Admin admin = Admin.create(KafkaSettings.clientProperties(config))) {
      Topics.createAll(admin, config.getString(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG), config.getInt(KafkaSettings.TOPIC_PARTITIONS_CONFIG),
          config.getShort(KafkaSettings.TOPIC_REPLICATION_CONFIG));
    }
    observability.check("syncer.broker", broker);
    observability.check("syncer.remotes", this::remotesReachable);
    control = new RemoteControl(this::keeper, KafkaSettings.clientProperties(config), this::deadLetter);
    workers.values().forEach(executor::execute);
    executor.execute(control);
    registry = new io.gitversion.syncer.internals.RegistryFollower<>(KafkaSettings.clientProperties(config), Topics.REMOTES,
        this::registryChanged, this::deadLetter);
    executor.execute(registry);
    templateRegistry = new io.gitversion.syncer.internals.RegistryFollower<>(KafkaSettings.clientProperties(config),
        Topics.TENANT_TEMPLATES, this::templateChanged, this::deadLetter);
    executor.execute(templateRegistry);
    log.info("syncer keeping {} remote(s) in step: {}, and those of the registry", workers.size(), workers.keySet());
    return this;
  }

  /** Each remote's state, by name. */
  public Map<String, RemoteWorker.State> status() {
    Map<String, RemoteWorker.State> status = new LinkedHashMap<>();
    new java.util.TreeMap<>(workers).forEach((name, w) -> status.put(name, w.state()));
    return status;
  }

  @Override
  public void close() {
    observability.removeCheck("syncer.broker");
    observability.removeCheck("syncer.remotes");
    broker.close();
    if (registry != null) {
      registry.close();
    }
    if (templateRegistry != null) {
      templateRegistry.close();
    }
    rollouts.values().forEach(io.gitversion.syncer.tenants.TenantRollout::close);
    if (control != null) {
      control.close();
    }
    workers.values().forEach(RemoteWorker::close);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("syncer workers did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      producer.close(Duration.ofSeconds(10));
      stateGauges.values().forEach(gauges -> gauges.forEach(observability.registry()::remove));
      if (ownsObservability) {
        observability.close();
      }
    }
  }
}
