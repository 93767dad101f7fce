package io.gitversion.syncer.internals;

import io.gitversion.catalog.Database;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.RemoteCommand;
import io.gitversion.schemas.SyncResult;
import io.gitversion.syncer.Remote;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
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
 * Keeps one remote in step: consumes {@link Topics#COMMITS} in its own consumer group and applies each commit in
 * order. The offset moves past a commit only once the remote has it (or the failure is recorded and the strategy
 * says skip); a remote that is down is retried until it answers.
 */
public final class RemoteWorker implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RemoteWorker.class);

  /** Where this remote stands. */
  /** Where the remote stands; STANDBY: another instance of the syncer keeps it in step (it holds the remote's {@link Lease}). */
  public enum State { STARTING, IN_SYNC, WAITING_FOR_REMOTE, STOPPED_ON_FAILURE, PAUSED, STANDBY, CLOSED }

  /** How often the worker makes sure it still holds the remote's lease. */
  private static final long LEASE_CHECK_NANOS = Duration.ofSeconds(2).toNanos();

  private final Remote remote;
  private final java.util.Set<String> sources;
  /** What a commit that is not applied leads to: fail, skip, prefer-source or manual (SyncerConfig.STRATEGIES). */
  private final String strategy;
  private final boolean joinByRebase;
  private final Duration backoff;
  private final Map<String, Object> clientProperties;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final RemoteApplier applier;
  private final Lease lease;
  private long leaseCheckedAt;
  private final java.util.Queue<RemoteCommand> commands = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile State state = State.STARTING;
  private volatile boolean running = true;
  private volatile boolean paused;
  /** The commit record the remote stopped at (its offset stays there), while stopped. */
  private ConsumerRecord<String, byte[]> stoppedAt;
  private Commit stoppedCommit;

  private final io.micrometer.core.instrument.Timer applied;
  private final io.micrometer.core.instrument.Counter conflicts;
  private final io.micrometer.core.instrument.Counter divergences;
  private final io.micrometer.core.instrument.Counter deadLetters;

  public RemoteWorker(Remote remote, Map<String, Object> clientProperties, String groupPrefix, java.util.Set<String> sources,
                      io.gitversion.syncer.Subscription subscription, String strategy, boolean joinByRebase, Duration backoff,
                      KafkaProducer<String, byte[]> producer, io.micrometer.core.instrument.MeterRegistry meters) {
    this.remote = remote;
    this.applied = io.micrometer.core.instrument.Timer.builder(io.gitversion.observability.MetricNames.COMMIT_APPLIED)
        .description("From a commit in the source to its verified apply on the remote").tag("remote", remote.name())
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(10)).register(meters);
    this.conflicts = meters.counter(io.gitversion.observability.MetricNames.CONFLICTS, "remote", remote.name());
    this.divergences = meters.counter(io.gitversion.observability.MetricNames.DIVERGENCES, "remote", remote.name());
    this.deadLetters = meters.counter(io.gitversion.observability.MetricNames.DEAD_LETTERS, "stage", "syncer");
    this.sources = sources;
    this.strategy = strategy;
    this.joinByRebase = joinByRebase;
    this.backoff = backoff;
    this.producer = producer;
    this.clientProperties = clientProperties;
    this.applier = new RemoteApplier(remote, subscription);
    this.lease = new Lease(remote);
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + remote.name());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gitversion-syncer-" + remote.name());
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  public State state() {
    return state;
  }

  public Remote remote() {
    return remote;
  }

  /** Pauses (the remote applies nothing until resumed: its position stays) or resumes the remote. */
  public void pause(boolean pause) {
    paused = pause;
  }

  /** A request about this remote ({@code gitversion remote}), carried out by the worker's thread between commits. */
  public void command(RemoteCommand command) {
    commands.add(command);
  }

  @Override
  public void run() {
    try {
      // one worker per remote and group: the partitions are assigned, not balanced, so the worker can seek
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.COMMITS.name(), Duration.ofSeconds(60)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      while (paused && running) {
        state = State.PAUSED; // a paused remote does nothing, joining included, until resumed
        Thread.sleep(200);
      }
      if (!awaitLease()) {
        return;
      }
      join(partitions);
      if (state == State.STARTING) {
        state = State.IN_SYNC;
      }
      while (running) {
        RemoteCommand command = commands.poll();
        if (command != null) {
          carryOut(command, partitions);
          continue;
        }
        if (state == State.STOPPED_ON_FAILURE) {
          Thread.sleep(200); // until a command resumes, skips or rebases
          continue;
        }
        if (System.nanoTime() - leaseCheckedAt > LEASE_CHECK_NANOS && lease.hold() != Lease.Standing.HELD) {
          // its session ended (the remote restarted, the network): another instance may have taken the remote over
          log.warn("remote {}: lease lost; taking it again when free", remote.name());
          if (!awaitLease()) {
            break;
          }
          seekToCommitted(partitions);
          continue;
        }
        if (paused) {
          state = State.PAUSED;
          Thread.sleep(200); // the registry says paused: nothing is read, the position stays
          continue;
        } else if (state == State.PAUSED) {
          state = State.IN_SYNC;
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (!handle(record)) {
            break; // stopped: the offset stays at this commit
          }
          if (!commands.isEmpty()) {
            // a command goes before the rest of the batch: carried out, then the batch is read again from here
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
      log.error("syncer for remote {} stopped", remote.name(), e);
      state = State.STOPPED_ON_FAILURE;
    } finally {
      lease.close();
      consumer.close();
      applier.close();
    }
  }

  /**
   * Waits until this instance holds the remote's lease (standing by while another instance holds it, waiting while
   * the remote does not answer); false when closing first.
   */
  private boolean awaitLease() throws InterruptedException {
    boolean told = false;
    while (running) {
      Lease.Standing standing = lease.hold();
      leaseCheckedAt = System.nanoTime();
      if (standing == Lease.Standing.HELD) {
        if (state == State.STANDBY || state == State.WAITING_FOR_REMOTE) {
          state = State.STARTING;
          log.info("remote {}: this instance keeps it in step now", remote.name());
        }
        return true;
      }
      state = standing == Lease.Standing.ELSEWHERE ? State.STANDBY : State.WAITING_FOR_REMOTE;
      if (!told && standing == Lease.Standing.ELSEWHERE) {
        log.info("remote {}: another syncer instance keeps it in step; standing by", remote.name());
        told = true;
      }
      Thread.sleep(backoff.toMillis());
    }
    return false;
  }

  /** Back to the group's committed position (another instance may have moved it while this one stood by). */
  private void seekToCommitted(List<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions), Duration.ofSeconds(60));
    for (TopicPartition p : partitions) {
      OffsetAndMetadata at = committed.get(p);
      if (at != null) {
        consumer.seek(p, at.offset());
      }
    }
    if (state == State.STARTING) {
      state = State.IN_SYNC;
    }
  }

  /**
   * A remote joining (its group has no position yet) while sources have history starts by rebase, not by replaying
   * history: it is brought to each source's current state (keeping what only it has), then follows from the commits'
   * end as it was before the state was read (a commit that the state holds already is recognised on the remote).
   */
  private void join(List<TopicPartition> partitions) throws InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions), Duration.ofSeconds(60));
    if (!joinByRebase || committed.values().stream().anyMatch(java.util.Objects::nonNull)) {
      return; // it has a position, or replays history: it follows from there
    }
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
    if (end.values().stream().allMatch(o -> o == 0)) {
      return; // no history yet: it follows from the first commit
    }
    SourceState sourceState = SourceState.read(clientProperties);
    List<String> followed = sourceState.databases().stream().filter(d -> sources.isEmpty() || sources.contains(d)).toList();
    if (followed.isEmpty()) {
      return; // the processor has published no state of a followed source: the remote replays the commits
    }
    for (String database : followed) {
      if (!rebase(database, sourceState, "join", null, true)) {
        return; // stopped: the remote waits for a command
      }
    }
    end.forEach((partition, offset) -> {
      consumer.seek(partition, offset);
      consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset)));
    });
    log.info("remote {} joined by rebase; following from the commits' end", remote.name());
  }

  /** Resume, skip or rebase, as {@code gitversion remote} asked; answered on the sync results with the request's id. */
  private void carryOut(RemoteCommand command, List<TopicPartition> partitions) throws InterruptedException {
    String id = command.getRequestId();
    switch (command.getAction()) {
      case "resume" -> {
        if (state != State.STOPPED_ON_FAILURE) {
          answer(id, null, "resumed", "the remote was not stopped");
          return;
        }
        String commitId = stoppedCommit.getId();
        consumer.seek(new TopicPartition(stoppedAt.topic(), stoppedAt.partition()), stoppedAt.offset());
        clearStop();
        answer(id, commitId, "resumed", "retrying commit " + shortId(commitId));
        log.info("remote {}: resumed at commit {}", remote.name(), shortId(commitId));
      }
      case "skip" -> {
        if (state != State.STOPPED_ON_FAILURE) {
          answer(id, command.getCommitId(), "refused", "the remote is not stopped at a commit: nothing to skip");
          return;
        }
        if (command.getCommitId() != null && !stoppedCommit.getId().startsWith(command.getCommitId())) {
          answer(id, command.getCommitId(), "refused", "the remote is stopped at commit " + shortId(stoppedCommit.getId()) + ", not at "
              + command.getCommitId());
          return;
        }
        report(stoppedCommit, "skipped", "skipped by request: the remote does not have this commit", List.of(), List.of(), id);
        commitOffset(stoppedAt);
        consumer.seek(new TopicPartition(stoppedAt.topic(), stoppedAt.partition()), stoppedAt.offset() + 1);
        log.warn("remote {}: commit {} skipped by request", remote.name(), shortId(stoppedCommit.getId()));
        clearStop();
      }
      case "rebase" -> {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
        SourceState sourceState = SourceState.read(clientProperties);
        String database = command.getDatabase();
        if (database == null) {
          List<String> followed = sourceState.databases().stream().filter(d -> sources.isEmpty() || sources.contains(d)).toList();
          if (followed.size() != 1) {
            answer(id, null, "refused", followed.isEmpty() ? "no source has any state yet: nothing to rebase on"
                : "the remote follows several sources " + followed + ": name one with --source");
            return;
          }
          database = followed.get(0);
        }
        if (!sourceState.databases().contains(database)) {
          answer(id, null, "refused", "no state of source " + database + " (known: " + sourceState.databases() + ")");
          return;
        }
        if (rebase(database, sourceState, "rebase:" + id, id, false)) {
          end.forEach((partition, offset) -> {
            consumer.seek(partition, offset);
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset)));
          });
          clearStop();
        }
      }
      default -> answer(id, null, "refused", "unknown action " + command.getAction() + ": resume, skip or rebase");
    }
  }

  /** Rebases on one source's state; false (and stopped, with the reason recorded) when it could not. */
  private boolean rebase(String database, SourceState sourceState, String label, String requestId, boolean keepExtras)
      throws InterruptedException {
    String last = sourceState.lastCommit(database);
    while (running) {
      try {
        RemoteApplier.Applied applied = applier.rebase(database, sourceState.model(database), label, keepExtras);
        List<String> untracked = sourceState.untracked(database);
        String notes = java.util.stream.Stream.of(applied.reason(),
                untracked.isEmpty() ? null : "not migrated yet (" + untracked.size() + "): " + String.join(", ", untracked))
            .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining("; "));
        if (applied.outcome() != RemoteApplier.Outcome.APPLIED) {
          reportRebase(database, last, "divergence", applied.reason(), applied.statements(), applied.mismatches(), requestId);
          stop(null, null);
          log.error("remote {}: rebase on {} not applied: {}", remote.name(), database, applied.reason());
          return false;
        }
        reportRebase(database, last, "rebased", notes.isEmpty() ? null : notes, applied.statements(), List.of(), requestId);
        log.info("remote {}: rebased on {} ({} statements)", remote.name(), database, applied.statements().size());
        return true;
      } catch (SQLException e) {
        if (Database.isConnectionFailure(e)) {
          state = State.WAITING_FOR_REMOTE;
          Thread.sleep(backoff.toMillis());
          continue;
        }
        String reason = Database.firstLine(e.getMessage());
        reportRebase(database, last, "failed", "rebase: " + reason, List.of(), List.of(), requestId);
        stop(null, null);
        log.error("remote {}: rebase on {} failed: {}", remote.name(), database, reason);
        return false;
      }
    }
    return false;
  }

  private void stop(ConsumerRecord<String, byte[]> record, Commit commit) {
    stoppedAt = record;
    stoppedCommit = commit;
    state = State.STOPPED_ON_FAILURE;
  }

  private void clearStop() {
    stoppedAt = null;
    stoppedCommit = null;
    state = State.IN_SYNC;
  }

  private void reportRebase(String database, String commitId, String status, String message, List<String> statements,
                            List<io.gitversion.schemas.Mismatch> mismatches, String requestId) {
    send(result(database, commitId == null ? "" : commitId, status, message, statements, mismatches, requestId));
  }

  private void answer(String requestId, String commitId, String status, String message) {
    send(result("", commitId == null ? "" : commitId, status, message, List.of(), List.of(), requestId));
  }

  /** Returns false when the worker must stop at this record. */
  private boolean handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
    Commit commit;
    try {
      commit = Topics.COMMITS.valueSerde().deserializer().deserialize(record.topic(), record.value());
    } catch (SerializationException e) {
      deadLetter(record, e.getMessage());
      commitOffset(record);
      return true;
    }
    if (!sources.isEmpty() && !sources.contains(commit.getDatabase())) {
      commitOffset(record); // a source this remote does not follow
      return true;
    }
    while (running) {
      try {
        RemoteApplier.Applied applied = applier.apply(commit);
        if (applied.outcome() == RemoteApplier.Outcome.CONFLICT || applied.outcome() == RemoteApplier.Outcome.DIVERGENCE) {
          return unverified(record, commit, applied);
        }
        state = State.IN_SYNC;
        String message = java.util.stream.Stream.of(applied.reason(),
                applied.notMigrated().isEmpty() ? null : "not migrated yet (" + applied.notMigrated().size() + "): " + String.join(", ", applied.notMigrated()))
            .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining("; "));
        message = message.isEmpty() ? null : message;
        report(commit, applied.outcome() == RemoteApplier.Outcome.APPLIED ? "applied" : "duplicate", message, applied.statements(),
            List.of());
        commitOffset(record);
        log.info("remote {}: {} commit {}", remote.name(), applied.outcome().name().toLowerCase(), shortId(commit));
        return true;
      } catch (SQLException e) {
        if (Database.isConnectionFailure(e) || Database.isTransient(e)) {
          // unreachable, or busy (a statement or lock timeout, a deadlock): the commit is tried again, never stopped at
          if (state != State.WAITING_FOR_REMOTE) {
            log.warn("remote {} {} ({}); retrying every {} ms", remote.name(), Database.isTransient(e) ? "busy" : "unreachable",
                Database.firstLine(e.getMessage()), backoff.toMillis());
          }
          state = State.WAITING_FOR_REMOTE;
          Thread.sleep(backoff.toMillis());
          continue;
        }
        String reason = Database.firstLine(e.getMessage());
        if (strategy.equals("skip")) {
          report(commit, "skipped", reason, List.of(), List.of());
          commitOffset(record);
          log.warn("remote {}: commit {} failed and was skipped: {}", remote.name(), shortId(commit), reason);
          return true;
        }
        report(commit, "failed", reason + decided(), List.of(), List.of());
        if (strategy.equals("prefer-source")) {
          return preferSource(record, commit);
        }
        stop(record, commit);
        log.error("remote {}: commit {} failed: {}; the remote stops here until the cause is fixed: gitversion remote resume|skip|rebase {}",
            remote.name(), shortId(commit), reason, remote.name());
        return false;
      }
    }
    return false;
  }

  /**
   * A conflict or a divergence: rolled back, never applied. Recorded with the objects and both hashes; the strategy
   * decides: skip goes on past it, prefer-source rebases and goes on, fail and manual stop the remote here.
   */
  private boolean unverified(ConsumerRecord<String, byte[]> record, Commit commit, RemoteApplier.Applied applied) throws InterruptedException {
    String kind = applied.outcome().name().toLowerCase(java.util.Locale.ROOT);
    String reason = applied.reason() != null ? kind + ": " + applied.reason() : kind + (applied.outcome() == RemoteApplier.Outcome.CONFLICT
        ? ": the remote was changed outside the pipeline: " : ": the plan did not do what the source did: ")
        + applied.mismatches().stream().map(m -> m.getObject() + " is " + hashOrAbsent(m.getActual()) + ", expected "
            + hashOrAbsent(m.getExpected())).collect(java.util.stream.Collectors.joining("; "));
    if (strategy.equals("skip")) {
      report(commit, "skipped", reason, List.of(), applied.mismatches());
      commitOffset(record);
      log.warn("remote {}: commit {} skipped: {}", remote.name(), shortId(commit), reason);
      return true;
    }
    if (strategy.equals("prefer-higher-version") && remoteIsNewer(commit, applied.mismatches())) {
      report(commit, "skipped", reason + "; decided by strategy prefer-higher-version: the remote's versions are higher, it keeps them",
          List.of(), applied.mismatches());
      commitOffset(record);
      log.warn("remote {}: commit {} skipped by prefer-higher-version: {}", remote.name(), shortId(commit), reason);
      return true;
    }
    report(commit, kind, reason + decided(), List.of(), applied.mismatches());
    if (strategy.equals("prefer-source") || strategy.equals("prefer-higher-version")) {
      return preferSource(record, commit);
    }
    stop(record, commit);
    log.error("remote {}: commit {} not applied: {}; the remote stops here: gitversion remote resume|skip|rebase {}", remote.name(),
        shortId(commit), reason, remote.name());
    return false;
  }

  /** How the remote's strategy decides a commit that was not applied, for the result's message. */
  private String decided() {
    return switch (strategy) {
      case "prefer-source" -> "; decided by strategy prefer-source: the remote takes the source's state";
      case "prefer-higher-version" -> "; decided by strategy prefer-higher-version: the source's versions are not lower, the remote takes its state";
      case "manual" -> "; strategy manual: the remote waits for gitversion conflicts resolve " + remote.name();
      default -> "";
    };
  }

  /**
   * Whether the remote, itself a source, numbered some object of the conflict higher than the commit does (its own
   * capture's {@code gitversion.objects}); a remote without capture never is.
   */
  private boolean remoteIsNewer(Commit commit, List<io.gitversion.schemas.Mismatch> mismatches) {
    java.util.Map<String, Integer> sourceVersions = new java.util.HashMap<>();
    for (io.gitversion.schemas.Change change : commit.getChanges()) {
      io.gitversion.schemas.ObjectVersion after = change.getAfter();
      if (after != null && after.getDefinition() != null) {
        sourceVersions.put(io.gitversion.catalog.model.Snapshots.object(after.getDefinition()).id(), after.getVersion());
      }
    }
    try (java.sql.Connection c = Database.connect(remote.url());
         java.sql.PreparedStatement ps = c.prepareStatement("SELECT o.version FROM gitversion.objects o WHERE NOT o.dropped "
             + "AND o.kind || ' ' || COALESCE(o.schema_name || '.', '') || o.identity = ?")) {
      for (io.gitversion.schemas.Mismatch m : mismatches) {
        Integer ours = sourceVersions.get(m.getObject());
        ps.setString(1, m.getObject());
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          if (ours != null && rs.next() && rs.getInt(1) > ours) {
            return true;
          }
        }
      }
      return false;
    } catch (SQLException e) {
      return false; // no capture there (no gitversion.objects): the remote has no versions of its own
    }
  }

  /**
   * Strategy prefer-source: the remote is brought to the source's state by a verified rebase (what only the remote has
   * is kept), and follows from the next commit (those the state held already are recognised as duplicates).
   */
  private boolean preferSource(ConsumerRecord<String, byte[]> record, Commit commit) throws InterruptedException {
    SourceState sourceState = SourceState.read(clientProperties);
    if (!sourceState.databases().contains(commit.getDatabase())) {
      stop(record, commit);
      log.error("remote {}: no state of {} to prefer: the remote stops at commit {}", remote.name(), commit.getDatabase(), shortId(commit));
      return false;
    }
    if (!rebase(commit.getDatabase(), sourceState, "prefer-source", null, true)) {
      return false; // stopped, recorded
    }
    commitOffset(record);
    state = State.IN_SYNC;
    log.info("remote {}: commit {} decided by prefer-source: rebased on {}", remote.name(), shortId(commit), commit.getDatabase());
    return true;
  }

  private static String hashOrAbsent(String hash) {
    return hash == null ? "absent" : hash.substring(0, Math.min(12, hash.length()));
  }

  private static String shortId(Commit commit) {
    return shortId(commit.getId());
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  private void commitOffset(ConsumerRecord<String, byte[]> record) {
    consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1)));
  }

  private void report(Commit commit, String status, String message, List<String> statements,
                      List<io.gitversion.schemas.Mismatch> mismatches) {
    report(commit, status, message, statements, mismatches, null);
  }

  private void report(Commit commit, String status, String message, List<String> statements,
                      List<io.gitversion.schemas.Mismatch> mismatches, String requestId) {
    switch (status) {
      case "applied" -> applied.record(Duration.between(commit.getCommittedAt(), Instant.now()));
      case "conflict" -> conflicts.increment();
      case "divergence" -> divergences.increment();
      default -> { }
    }
    send(result(commit.getDatabase(), commit.getId(), status, message, statements, mismatches, requestId));
  }

  private SyncResult result(String database, String commitId, String status, String message, List<String> statements,
                            List<io.gitversion.schemas.Mismatch> mismatches, String requestId) {
    return SyncResult.newBuilder()
        .setRemote(remote.name())
        .setDatabase(database)
        .setCommitId(commitId)
        .setStatus(status)
        .setMessage(message)
        .setStatements(statements)
        .setMismatches(mismatches)
        .setAt(Instant.now())
        .setRequestId(requestId)
        .build();
  }

  private void send(SyncResult result) {
    byte[] value = Topics.SYNC_RESULTS.valueSerde().serializer().serialize(Topics.SYNC_RESULTS.name(), result);
    send(new ProducerRecord<>(Topics.SYNC_RESULTS.name(), remote.name(), value));
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    send(io.gitversion.contract.DeadLetters.of(record, "syncer " + remote.name(), reason));
    deadLetters.increment();
    log.error("remote {}: unreadable commit record at {}-{}@{} sent to {}: {}", remote.name(), record.topic(), record.partition(),
        record.offset(), Topics.DEAD_LETTER.name(), reason);
  }

  private void send(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + record.topic(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot write to " + record.topic() + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public void close() {
    running = false;
    state = State.CLOSED;
    consumer.wakeup();
  }
}
