package io.gitversion.syncer.tenants;

import io.gitversion.catalog.Database;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.Mismatch;
import io.gitversion.schemas.RemoteCommand;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.schemas.SyncResult;
import io.gitversion.schemas.TenantTemplate;
import io.gitversion.syncer.Remote;
import io.gitversion.syncer.Subscription;
import io.gitversion.syncer.internals.RemoteApplier;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls one template's changes out to its tenants (the advanced module). One consumer of the commits per template, not
 * a worker per tenant: each commit that touches the template schema goes to the canaries first, then to the other
 * tenants in waves of the template's wave size, as many at once as its parallelism, over a few sessions per database.
 * Each tenant takes it in a transaction of its own, verified by hash under its schema's name and recorded in its
 * database's ledger for it (so a rollout that stopped anywhere resumes where it was: a tenant that has a commit
 * recognises it). A tenant that fails (a conflict, a divergence, a statement refused, unreachable) stops alone at that
 * commit and is reported; the wave goes on. A failing canary halts the rollout at that commit until it is resumed or
 * removed. A tenant resumed after its repair catches up by replaying, in order, the commits it missed. A new tenant is
 * created from the template's current state (a verified rebase on the source's state, mapped; no replay).
 */
public final class TenantRollout implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TenantRollout.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  /** Where one tenant stands. */
  enum State { JOINING, IN_SYNC, FAILED, PAUSED }

  /** One tenant: its entry, where it stands, and (failed) the commit it stopped at. */
  static final class Tenant {
    final RemoteSpec spec;
    final Remote remote;
    final Subscription subscription;
    volatile State state = State.JOINING;
    /** The commit it stopped at and that commit's place on the topic, while failed. */
    volatile String failedAt;
    volatile TopicPartition failedPartition;
    volatile long failedOffset = -1;

    Tenant(RemoteSpec spec) {
      this.spec = spec;
      this.remote = Remote.of(spec);
      this.subscription = Subscription.of(spec);
    }

    String name() {
      return spec.getName();
    }

    /** The same tenant under a changed entry (canary, paused): where it stands is kept. */
    Tenant with(RemoteSpec changed) {
      Tenant t = new Tenant(changed);
      t.state = state;
      t.failedAt = failedAt;
      t.failedPartition = failedPartition;
      t.failedOffset = failedOffset;
      return t;
    }
  }

  /** The statuses of a result that leave a tenant in step, and those that stop it. */
  private static final java.util.Set<String> IN_STEP = java.util.Set.of("applied", "duplicate", "rebased", "resumed");
  private static final java.util.Set<String> STOPPED = java.util.Set.of("failed", "conflict", "divergence");

  private volatile TenantTemplate template;
  private final Map<String, Object> clientProperties;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
  private final Queue<Runnable> requests = new ConcurrentLinkedQueue<>();
  private final SessionPools sessions = new SessionPools();
  private ExecutorService pool;
  private volatile boolean running = true;
  /** The record the rollout halted at (a canary failed), or null. */
  private ConsumerRecord<String, byte[]> haltedAt;
  /** The last commit of the template's source the rollout went past (what a tenant created now is recorded at). */
  private String lastCommit;

  public TenantRollout(TenantTemplate template, Map<String, Object> clientProperties, String groupPrefix,
                       KafkaProducer<String, byte[]> producer) {
    this.template = template;
    this.clientProperties = clientProperties;
    this.producer = producer;
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + "template-" + template.getName());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gitversion-syncer-template-" + template.getName());
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  public TenantTemplate template() {
    return template;
  }

  /** The template's settings changed (wave size, parallelism): taken from the next commit on. */
  public void templateChanged(TenantTemplate changed) {
    requests.add(() -> {
      boolean resize = changed.getParallelism() != template.getParallelism();
      template = changed;
      if (resize) {
        pool.shutdown();
        pool = newPool();
      }
    });
  }

  /** A tenant's registry entry added, changed or removed (null): taken between commits. */
  public void tenantChanged(String name, RemoteSpec spec) {
    requests.add(() -> {
      Tenant before = tenants.get(name);
      if (spec == null) {
        tenants.remove(name);
        log.info("tenant {} removed from template {}: no longer kept in step", name, template.getName());
        return;
      }
      boolean same = before != null && before.spec.getUrl().equals(spec.getUrl())
          && Objects.equals(before.spec.getPasswordFrom(), spec.getPasswordFrom()) && before.spec.getMapSchemas().equals(spec.getMapSchemas());
      Tenant tenant = same ? before.with(spec) : restored(new Tenant(spec));
      tenants.put(name, tenant);
      if (spec.getPaused()) {
        tenant.state = State.PAUSED;
      } else if (tenant.state == State.PAUSED) {
        tenant.state = tenant.failedAt != null ? State.FAILED : State.IN_SYNC;
      }
    });
  }

  /**
   * A tenant the rollout did not keep a moment ago: where its last result left it (the syncer restarted: in step, or
   * stopped at a commit), or new (no result yet: created from the template's state).
   */
  private Tenant restored(Tenant tenant) {
    SyncResult last = lastResults.get(tenant.name());
    if (last == null) {
      return tenant; // JOINING
    }
    if (STOPPED.contains(last.getStatus())) {
      tenant.state = State.FAILED;
      tenant.failedAt = last.getCommitId().isEmpty() ? null : last.getCommitId();
      tenant.failedOffset = tenant.failedAt == null ? -1 : UNKNOWN_OFFSET;
    } else {
      tenant.state = State.IN_SYNC;
    }
    return tenant;
  }

  /** The tenant stopped at a commit before the syncer restarted: its place on the topic is looked up when resumed. */
  private static final long UNKNOWN_OFFSET = -2;

  /** Each tenant's last result that says where it stands, read from the sync results when the rollout starts. */
  private final Map<String, SyncResult> lastResults = new HashMap<>();

  private void readLastResults() {
    forEachRecord(Topics.SYNC_RESULTS.name(), record -> {
      if (record.value() == null) {
        return;
      }
      SyncResult result;
      try {
        result = Topics.SYNC_RESULTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
      } catch (SerializationException e) {
        return;
      }
      if (template.getSource().equals(result.getDatabase()) && (IN_STEP.contains(result.getStatus()) || STOPPED.contains(result.getStatus()))) {
        lastResults.put(result.getRemote(), result);
      }
    });
  }

  /** Reads a topic from its beginning to its end as it is now, each record handed over. */
  private void forEachRecord(String topic, java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gitversion-syncer-template-" + template.getName() + "-read");
    try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = reader.partitionsFor(topic, READ_TIMEOUT).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = reader.endOffsets(partitions, READ_TIMEOUT);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot read " + topic + " to its end within " + READ_TIMEOUT.toSeconds() + " s");
        }
        reader.poll(Duration.ofMillis(200)).forEach(each);
      }
    }
  }

  /** Where on the commits' topic a commit is (for a tenant that stopped at it before a restart). */
  private void locate(Tenant tenant) {
    forEachRecord(Topics.COMMITS.name(), record -> {
      if (tenant.failedOffset == UNKNOWN_OFFSET && template.getSource().equals(record.key())) {
        try {
          Commit commit = Topics.COMMITS.valueSerde().deserializer().deserialize(record.topic(), record.value());
          if (commit.getId().equals(tenant.failedAt)) {
            tenant.failedPartition = new TopicPartition(record.topic(), record.partition());
            tenant.failedOffset = record.offset();
          }
        } catch (SerializationException e) {
          // not a commit this rollout could have stopped at
        }
      }
    });
  }

  /** A request about one of its tenants (resume, rebase), carried out between commits and answered on the sync results. */
  public void command(RemoteCommand command) {
    requests.add(() -> carryOut(command));
  }

  /** Whether this rollout keeps the tenant of that name. */
  public boolean keeps(String name) {
    return tenants.containsKey(name);
  }

  private ExecutorService newPool() {
    return Executors.newFixedThreadPool(Math.max(1, template.getParallelism()), r -> {
      Thread t = new Thread(r, "gitversion-tenants-" + template.getName());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void run() {
    pool = newPool();
    try {
      readLastResults();
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.COMMITS.name(), READ_TIMEOUT).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions), READ_TIMEOUT);
      if (committed.values().stream().allMatch(Objects::isNull)) {
        // a new template: its tenants are created from its state now, and it follows from the commits' end as it was before
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
        end.forEach((partition, offset) -> {
          consumer.seek(partition, offset);
          consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset)));
        });
      }
      while (running) {
        for (Runnable request = requests.poll(); request != null; request = requests.poll()) {
          request.run();
        }
        joinNewTenants();
        if (haltedAt != null) {
          if (!stillHalted()) {
            consumer.seek(new TopicPartition(haltedAt.topic(), haltedAt.partition()), haltedAt.offset());
            log.info("template {}: rollout of commit at offset {} resumes", template.getName(), haltedAt.offset());
            haltedAt = null;
          } else {
            Thread.sleep(200);
            continue;
          }
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (!handle(record)) {
            break;
          }
          if (!requests.isEmpty()) {
            consumer.seek(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            break;
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("rollout of template {} stopped", template.getName(), e);
    } finally {
      consumer.close();
      pool.shutdownNow();
      sessions.close();
    }
  }

  /** Returns false when the rollout halts at this record (a canary failed). */
  private boolean handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
    Commit commit;
    try {
      commit = Topics.COMMITS.valueSerde().deserializer().deserialize(record.topic(), record.value());
    } catch (SerializationException e) {
      commitOffset(record); // the remotes' workers send it to the dead letters; a template has nothing to take from it
      return true;
    }
    if (!commit.getDatabase().equals(template.getSource()) || !touchesTemplate(commit)) {
      passed(commit);
      commitOffset(record);
      return true;
    }
    List<Tenant> following = new ArrayList<>(new TreeMap<>(tenants).values().stream().filter(t -> t.state == State.IN_SYNC).toList());
    List<Tenant> canaries = following.stream().filter(t -> t.spec.getCanary()).toList();
    List<Tenant> rest = following.stream().filter(t -> !t.spec.getCanary()).toList();
    long started = System.nanoTime();
    if (!canaries.isEmpty() && !wave(canaries, commit, record).isEmpty()) {
      haltedAt = record;
      log.error("template {}: a canary failed commit {}; the rollout halts there until it is resumed (gitversion tenants resume NAME) "
          + "or removed", template.getName(), shortId(commit.getId()));
      return false;
    }
    int failed = 0;
    int waveSize = Math.max(1, template.getWaveSize());
    for (int from = 0; from < rest.size() && running; from += waveSize) {
      failed += wave(rest.subList(from, Math.min(rest.size(), from + waveSize)), commit, record).size();
    }
    producer.flush();
    passed(commit);
    commitOffset(record);
    log.info("template {}: commit {} rolled out to {} tenant(s) in {} ms{}", template.getName(), shortId(commit.getId()), following.size(),
        (System.nanoTime() - started) / 1_000_000, failed == 0 ? "" : ", " + failed + " failed (stopped alone, reported)");
    return true;
  }

  private void passed(Commit commit) {
    lastCommit = commit.getId();
  }

  private boolean touchesTemplate(Commit commit) {
    Subscription templateOnly = Subscription.of(List.of(template.getSchema$()), List.of(), List.of(), Map.of());
    for (io.gitversion.contract.Commits.Statement step : io.gitversion.contract.Commits.steps(commit)) {
      if (step.object() != null && templateOnly.takesId(step.object())) {
        return true;
      }
    }
    return commit.getChanges().stream().map(io.gitversion.contract.Commits::objectOf).anyMatch(o -> o != null && templateOnly.takesId(o));
  }

  /** One wave: every tenant of it takes the commit, as many at once as the parallelism; the ones that failed. */
  private List<Tenant> wave(List<Tenant> wave, Commit commit, ConsumerRecord<String, byte[]> record) throws InterruptedException {
    List<Future<Boolean>> done = new ArrayList<>();
    for (Tenant tenant : wave) {
      done.add(pool.submit(() -> applyTo(tenant, commit, record)));
    }
    List<Tenant> failed = new ArrayList<>();
    for (int i = 0; i < wave.size(); i++) {
      try {
        if (!done.get(i).get()) {
          failed.add(wave.get(i));
        }
      } catch (java.util.concurrent.ExecutionException e) {
        fail(wave.get(i), commit, record, "failed", "unexpected: " + e.getCause(), List.of());
        failed.add(wave.get(i));
      }
    }
    return failed;
  }

  /** The commit on one tenant; false when the tenant failed it (stopped there, reported). */
  private boolean applyTo(Tenant tenant, Commit commit, ConsumerRecord<String, byte[]> record) throws InterruptedException {
    RemoteApplier.Applied applied;
    try {
      applied = onTenant(tenant, session -> new RemoteApplier(tenant.remote, tenant.subscription, tenant.name(), session).apply(commit));
    } catch (SQLException e) {
      fail(tenant, commit, record, "failed", Database.firstLine(e.getMessage()), List.of());
      return false;
    }
    if (applied.outcome() == RemoteApplier.Outcome.CONFLICT || applied.outcome() == RemoteApplier.Outcome.DIVERGENCE) {
      String kind = applied.outcome().name().toLowerCase(java.util.Locale.ROOT);
      fail(tenant, commit, record, kind, kind + ": " + (applied.reason() != null ? applied.reason() : mismatches(applied)), applied.mismatches());
      return false;
    }
    report(tenant, commit.getId(), applied.outcome() == RemoteApplier.Outcome.APPLIED ? "applied" : "duplicate", applied.reason(),
        applied.statements(), List.of());
    return true;
  }

  private static String mismatches(RemoteApplier.Applied applied) {
    return applied.mismatches().stream().map(m -> m.getObject() + " is " + hashOrAbsent(m.getActual()) + ", expected " + hashOrAbsent(m.getExpected()))
        .collect(java.util.stream.Collectors.joining("; "));
  }

  /** Work on a session of a tenant's database. */
  private interface OnSession<T> {
    T on(RemoteApplier.Session session) throws SQLException;
  }

  /** Work on a session to the tenant's database, lent from the pool; a connection that fails is tried again twice. */
  private <T> T onTenant(Tenant tenant, OnSession<T> work) throws SQLException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      RemoteApplier.Session session = sessions.borrow(tenant.remote, template.getParallelism());
      boolean broken = true;
      try {
        T result = work.on(session);
        broken = false;
        return result;
      } catch (SQLException e) {
        if (!Database.isConnectionFailure(e) || attempt == 3) {
          throw e;
        }
      } finally {
        if (broken) {
          sessions.discard(tenant.remote, session);
        } else {
          sessions.giveBack(tenant.remote, session);
        }
      }
      Thread.sleep(500L * attempt);
    }
  }

  private void fail(Tenant tenant, Commit commit, ConsumerRecord<String, byte[]> record, String status, String reason,
                    List<Mismatch> mismatches) {
    tenant.state = State.FAILED;
    tenant.failedAt = commit.getId();
    tenant.failedPartition = new TopicPartition(record.topic(), record.partition());
    tenant.failedOffset = record.offset();
    report(tenant, commit.getId(), status, reason + "; the tenant stops here, the others go on: repair it, then gitversion tenants resume "
        + tenant.name(), List.of(), mismatches);
    log.error("tenant {}: commit {} {}: {}", tenant.name(), shortId(commit.getId()), status, reason);
  }

  /**
   * Tenants added since the last commit: created from the template as it is now in its database, all at once. The
   * template there is never behind the rollout (what it rolls out was committed there first); where it is ahead, the
   * commits it holds already are recognised on the new tenant when the rollout reaches them (their result is there).
   */
  private void joinNewTenants() throws InterruptedException {
    List<Tenant> joining = tenants.values().stream().filter(t -> t.state == State.JOINING).toList();
    if (joining.isEmpty()) {
      return;
    }
    io.gitversion.catalog.model.SchemaModel state;
    try {
      state = templateNow();
    } catch (SQLException e) {
      log.warn("template {}: cannot read it to create {} tenant(s): {}; trying again", template.getName(), joining.size(),
          Database.firstLine(e.getMessage()));
      Thread.sleep(1000);
      return;
    }
    List<Future<?>> done = new ArrayList<>();
    for (Tenant tenant : joining) {
      done.add(pool.submit(() -> {
        join(tenant, state);
        return null;
      }));
    }
    for (Future<?> f : done) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        log.error("tenant join failed", e.getCause());
      }
    }
    producer.flush();
  }

  /** The template schema's objects as its database has them now. */
  private io.gitversion.catalog.model.SchemaModel templateNow() throws SQLException, InterruptedException {
    Remote at = Remote.of(RemoteSpec.newBuilder().setName(template.getName()).setUrl(template.getUrl())
        .setPasswordFrom(template.getPasswordFrom()).setChangedBy(template.getChangedBy()).setChangedAt(template.getChangedAt()).build());
    RemoteApplier.Session session = sessions.borrow(at, template.getParallelism());
    try {
      io.gitversion.catalog.model.SchemaModel model = session.read(c -> new io.gitversion.catalog.inspect.Inspector(c)
          .inspect(java.util.Set.of(template.getSchema$())));
      sessions.giveBack(at, session);
      return model;
    } catch (SQLException | RuntimeException e) {
      sessions.discard(at, session);
      throw e;
    }
  }

  private void join(Tenant tenant, io.gitversion.catalog.model.SchemaModel state) throws InterruptedException {
    RemoteApplier.Applied applied;
    try {
      applied = onTenant(tenant, session -> new RemoteApplier(tenant.remote, tenant.subscription, tenant.name(), session)
          .rebase(template.getSource(), state, "join", true));
    } catch (SQLException e) {
      tenant.state = State.FAILED;
      report(tenant, "", "failed", "creating the tenant: " + Database.firstLine(e.getMessage()), List.of(), List.of());
      log.error("tenant {}: not created from template {}: {}", tenant.name(), template.getName(), Database.firstLine(e.getMessage()));
      return;
    }
    String commitId = Objects.requireNonNullElse(lastCommit, "");
    if (applied.outcome() != RemoteApplier.Outcome.APPLIED) {
      tenant.state = State.FAILED;
      report(tenant, commitId, "divergence", applied.reason(), applied.statements(), applied.mismatches());
      log.error("tenant {}: not created from template {}: {}: {}", tenant.name(), template.getName(), applied.reason(), mismatches(applied));
      return;
    }
    tenant.state = tenant.spec.getPaused() ? State.PAUSED : State.IN_SYNC;
    report(tenant, commitId, "rebased", "created from template " + template.getName() + " (" + template.getSchema$() + " as "
        + tenant.subscription.map().schema(template.getSchema$()) + ")", applied.statements(), List.of());
    log.info("tenant {}: created from template {} ({} statements)", tenant.name(), template.getName(), applied.statements().size());
  }

  /** Whether a canary that failed the halted commit is still failed. */
  private boolean stillHalted() {
    return tenants.values().stream().anyMatch(t -> t.spec.getCanary() && t.state == State.FAILED);
  }

  private void carryOut(RemoteCommand command) {
    Tenant tenant = tenants.get(command.getRemote());
    String id = command.getRequestId();
    if (tenant == null) {
      return;
    }
    switch (command.getAction()) {
      case "resume" -> {
        if (tenant.state != State.FAILED) {
          answer(tenant, id, "resumed", "the tenant was not stopped");
          return;
        }
        if (tenant.failedOffset == UNKNOWN_OFFSET) {
          locate(tenant);
        }
        if (tenant.failedOffset < 0) { // it failed to be created (or its commit is gone): created from the state now
          tenant.state = State.JOINING;
          answer(tenant, id, "resumed", "creating the tenant from the template's state");
          return;
        }
        try {
          int caughtUp = catchUp(tenant);
          if (tenant.state == State.IN_SYNC) {
            answer(tenant, id, "resumed", "caught up: " + caughtUp + " commit(s) replayed from " + shortId(Objects.requireNonNullElse(tenant.failedAt, "")));
            tenant.failedAt = null;
            tenant.failedPartition = null;
            tenant.failedOffset = -1;
          } else {
            answer(tenant, id, "refused", "the tenant failed again: see its last result");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      case "rebase" -> {
        tenant.state = State.JOINING;
        tenant.failedAt = null;
        tenant.failedOffset = -1;
        answer(tenant, id, "resumed", "brought to the template's current state");
      }
      default -> answer(tenant, id, "refused", "a tenant takes resume or rebase, not " + command.getAction());
    }
  }

  /**
   * Replays, in order, every commit of the template's source from the one the tenant stopped at up to where the
   * rollout is; the tenant is in step again when all went through. How many commits it took.
   */
  private int catchUp(Tenant tenant) throws InterruptedException {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gitversion-syncer-catch-up-" + tenant.name());
    TopicPartition partition = tenant.failedPartition;
    long until = consumer.position(partition);
    int applied = 0;
    tenant.state = State.IN_SYNC;
    try (KafkaConsumer<String, byte[]> replay = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      replay.assign(List.of(partition));
      replay.seek(partition, tenant.failedOffset);
      while (replay.position(partition) < until) {
        for (ConsumerRecord<String, byte[]> record : replay.poll(Duration.ofMillis(200))) {
          if (record.offset() >= until) {
            break;
          }
          Commit commit = Topics.COMMITS.valueSerde().deserializer().deserialize(record.topic(), record.value());
          if (!commit.getDatabase().equals(template.getSource()) || !touchesTemplate(commit)) {
            continue;
          }
          if (!applyTo(tenant, commit, record)) {
            return applied; // failed again, at this commit: recorded
          }
          applied++;
        }
      }
    }
    producer.flush();
    return applied;
  }

  private void answer(Tenant tenant, String requestId, String status, String message) {
    send(result(tenant, "", status, message, List.of(), List.of(), requestId));
    producer.flush();
  }

  private void report(Tenant tenant, String commitId, String status, String message, List<String> statements, List<Mismatch> mismatches) {
    send(result(tenant, commitId, status, message, statements, mismatches, null));
  }

  private SyncResult result(Tenant tenant, String commitId, String status, String message, List<String> statements,
                            List<Mismatch> mismatches, String requestId) {
    return SyncResult.newBuilder().setRemote(tenant.name()).setDatabase(template.getSource()).setCommitId(commitId).setStatus(status)
        .setMessage(message).setStatements(statements).setMismatches(mismatches).setAt(Instant.now()).setRequestId(requestId).build();
  }

  private void send(SyncResult result) {
    byte[] value = Topics.SYNC_RESULTS.valueSerde().serializer().serialize(Topics.SYNC_RESULTS.name(), result);
    producer.send(new ProducerRecord<>(Topics.SYNC_RESULTS.name(), result.getRemote(), value), (metadata, e) -> {
      if (e != null) {
        log.error("cannot record tenant {}'s result on {}: {}", result.getRemote(), Topics.SYNC_RESULTS.name(), e.getMessage());
      }
    });
  }

  private void commitOffset(ConsumerRecord<String, byte[]> record) {
    consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1)));
  }

  private static String hashOrAbsent(String hash) {
    return hash == null ? "absent" : hash.substring(0, Math.min(12, hash.length()));
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
