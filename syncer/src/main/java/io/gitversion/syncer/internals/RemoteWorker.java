package io.gitversion.syncer.internals;

import io.gitversion.catalog.Database;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.Commit;
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
  public enum State { STARTING, IN_SYNC, WAITING_FOR_REMOTE, STOPPED_ON_FAILURE, CLOSED }

  private final Remote remote;
  private final java.util.Set<String> sources;
  private final boolean skipFailures;
  private final Duration backoff;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final RemoteApplier applier;
  private volatile State state = State.STARTING;
  private volatile boolean running = true;

  public RemoteWorker(Remote remote, Map<String, Object> clientProperties, String groupPrefix, java.util.Set<String> sources, boolean skipFailures,
                      Duration backoff, KafkaProducer<String, byte[]> producer) {
    this.remote = remote;
    this.sources = sources;
    this.skipFailures = skipFailures;
    this.backoff = backoff;
    this.producer = producer;
    this.applier = new RemoteApplier(remote);
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

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(Topics.COMMITS.name()));
      state = State.IN_SYNC;
      while (running && state != State.STOPPED_ON_FAILURE) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (!handle(record)) {
            break; // stopped on a failure: the offset stays at this commit
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
      consumer.close();
      applier.close();
    }
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
        String message = applied.notMigrated().isEmpty() ? null : "not migrated yet: " + String.join(", ", applied.notMigrated());
        report(commit, applied.outcome() == RemoteApplier.Outcome.APPLIED ? "applied" : "duplicate", message, applied.statements(),
            List.of());
        commitOffset(record);
        log.info("remote {}: {} commit {}", remote.name(), applied.outcome().name().toLowerCase(), shortId(commit));
        return true;
      } catch (SQLException e) {
        if (Database.isConnectionFailure(e)) {
          if (state != State.WAITING_FOR_REMOTE) {
            log.warn("remote {} unreachable ({}); retrying every {} ms", remote.name(), Database.firstLine(e.getMessage()), backoff.toMillis());
          }
          state = State.WAITING_FOR_REMOTE;
          Thread.sleep(backoff.toMillis());
          continue;
        }
        String reason = Database.firstLine(e.getMessage());
        if (skipFailures) {
          report(commit, "skipped", reason, List.of(), List.of());
          commitOffset(record);
          log.warn("remote {}: commit {} failed and was skipped: {}", remote.name(), shortId(commit), reason);
          return true;
        }
        report(commit, "failed", reason, List.of(), List.of());
        state = State.STOPPED_ON_FAILURE;
        log.error("remote {}: commit {} failed: {}; the remote stops here until the cause is fixed and the syncer restarted",
            remote.name(), shortId(commit), reason);
        return false;
      }
    }
    return false;
  }

  /**
   * A conflict or a divergence: rolled back, never applied. Recorded with the objects and both hashes; the skip
   * strategy goes on past it, fail stops the remote here.
   */
  private boolean unverified(ConsumerRecord<String, byte[]> record, Commit commit, RemoteApplier.Applied applied) {
    String kind = applied.outcome().name().toLowerCase(java.util.Locale.ROOT);
    String reason = applied.reason() != null ? kind + ": " + applied.reason() : kind + (applied.outcome() == RemoteApplier.Outcome.CONFLICT
        ? ": the remote was changed outside the pipeline: " : ": the plan did not do what the source did: ")
        + applied.mismatches().stream().map(m -> m.getObject() + " is " + hashOrAbsent(m.getActual()) + ", expected "
            + hashOrAbsent(m.getExpected())).collect(java.util.stream.Collectors.joining("; "));
    if (skipFailures) {
      report(commit, "skipped", reason, List.of(), applied.mismatches());
      commitOffset(record);
      log.warn("remote {}: commit {} skipped: {}", remote.name(), shortId(commit), reason);
      return true;
    }
    report(commit, kind, reason, List.of(), applied.mismatches());
    state = State.STOPPED_ON_FAILURE;
    log.error("remote {}: commit {} not applied: {}; the remote stops here", remote.name(), shortId(commit), reason);
    return false;
  }

  private static String hashOrAbsent(String hash) {
    return hash == null ? "absent" : hash.substring(0, Math.min(12, hash.length()));
  }

  private static String shortId(Commit commit) {
    return commit.getId().length() > 12 ? commit.getId().substring(0, 12) : commit.getId();
  }

  private void commitOffset(ConsumerRecord<String, byte[]> record) {
    consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1)));
  }

  private void report(Commit commit, String status, String message, List<String> statements,
                      List<io.gitversion.schemas.Mismatch> mismatches) {
    SyncResult result = SyncResult.newBuilder()
        .setRemote(remote.name())
        .setDatabase(commit.getDatabase())
        .setCommitId(commit.getId())
        .setStatus(status)
        .setMessage(message)
        .setStatements(statements)
        .setMismatches(mismatches)
        .setAt(Instant.now())
        .build();
    byte[] value = Topics.SYNC_RESULTS.valueSerde().serializer().serialize(Topics.SYNC_RESULTS.name(), result);
    send(new ProducerRecord<>(Topics.SYNC_RESULTS.name(), remote.name(), value));
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.DEAD_LETTER.name(), record.key(), record.value());
    dead.headers().add("gitversion.stage", ("syncer " + remote.name()).getBytes(StandardCharsets.UTF_8));
    dead.headers().add("gitversion.reason", reason.getBytes(StandardCharsets.UTF_8));
    dead.headers().add("gitversion.origin", (record.topic() + "-" + record.partition() + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
    send(dead);
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
