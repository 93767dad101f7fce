package io.gitversion.processor.api;

import io.gitversion.contract.TopicFollower;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.schemas.SyncResult;
import io.javalin.config.RoutesConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each remote stands ({@code GET /api/status}, {@code gitversion status}): its subscription (from the registry),
 * the last commit applied, its lag in commits (its consumer group's position against the end of {@code
 * gitversion.commits}) and in seconds (since the oldest commit it has not applied was made), its state (following,
 * paused, stopped on a conflict, a divergence or a failure) and what stopped it. Follows {@code gitversion.sync-results}
 * and {@code gitversion.remotes} from their beginning.
 */
final class SyncStatus extends TopicFollower {
  private static final Logger log = LoggerFactory.getLogger(SyncStatus.class);
  /** The syncer's default consumer-group prefix ({@code syncer.group.prefix}). */
  static final String GROUP_PREFIX = "gitversion-syncer.";

  private final Map<String, Object> clientProperties;
  private final Map<String, SyncResult> lastResult = new ConcurrentHashMap<>();
  private final Map<String, SyncResult> lastApplied = new ConcurrentHashMap<>();
  private final Map<String, RemoteSpec> registry = new ConcurrentHashMap<>();

  SyncStatus(Map<String, Object> clientProperties) {
    super(clientProperties, "gitversion-processor-status");
    this.clientProperties = clientProperties;
  }

  SyncStatus start() {
    startThread("gitversion-processor-status");
    return this;
  }

  void register(RoutesConfig app) {
    app.get("/api/status", ctx -> ctx.json(remotes()));
  }

  /** How long counted lags are reused. */
  private static final Duration LAG_TTL = Duration.ofSeconds(2);
  private Set<String> lagNames;
  private long lagsAt;
  private Map<String, Long> lagCache;
  private Map<String, Instant> sinceCache;

  @Override
  protected void begin() {
    assignAll(true, Topics.SYNC_RESULTS.name(), Topics.REMOTES.name());
  }

  @Override
  protected String does() {
    return "follows the remotes' results (their status)";
  }

  @Override
  protected void handle(ConsumerRecord<String, byte[]> record) {
    try {
      if (record.topic().equals(Topics.REMOTES.name())) {
        if (record.value() == null) {
          registry.remove(record.key());
        } else {
          registry.put(record.key(), Topics.REMOTES.valueSerde().deserializer().deserialize(record.topic(), record.value()));
        }
        return;
      }
      SyncResult result = Topics.SYNC_RESULTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
      if (result.getRequestId() == null || !result.getStatus().equals("refused")) {
        lastResult.put(result.getRemote(), result);
      }
      if (List.of("applied", "duplicate", "rebased", "skipped").contains(result.getStatus()) && !result.getCommitId().isEmpty()) {
        lastApplied.put(result.getRemote(), result);
      }
    } catch (RuntimeException e) {
      log.debug("unreadable record on {}", record.topic(), e);
    }
  }

  /** Every remote the registry or the results name, with where it stands now. */
  List<Map<String, Object>> remotes() {
    Set<String> names = new TreeSet<>(registry.keySet());
    names.addAll(lastResult.keySet());
    List<Map<String, Object>> rows = new ArrayList<>();
    if (names.isEmpty()) {
      return rows;
    }
    Map<String, Long> lag;
    Map<String, Instant> behindSince;
    synchronized (this) {
      // counting reads the commits after each remote's position: once per LAG_TTL, however often the dashboard asks
      if (lagNames == null || !lagNames.equals(names) || System.nanoTime() - lagsAt > LAG_TTL.toNanos()) {
        lagCache = new TreeMap<>();
        sinceCache = new TreeMap<>();
        lags(names, lagCache, sinceCache);
        lagNames = names;
        lagsAt = System.nanoTime();
      }
      lag = lagCache;
      behindSince = sinceCache;
    }
    for (String name : names) {
      RemoteSpec spec = registry.get(name);
      SyncResult last = lastResult.get(name);
      SyncResult applied = lastApplied.get(name);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", name);
      row.put("registered", spec != null);
      row.put("url", spec == null ? null : spec.getUrl());
      row.put("sources", spec == null || spec.getSources().isEmpty() ? "all" : String.join(",", spec.getSources()));
      row.put("takes", spec == null ? "everything" : io.gitversion.contract.Subscriptions.describe(spec));
      row.put("strategy", spec == null || spec.getStrategy() == null ? "the syncer's" : spec.getStrategy());
      row.put("lastApplied", applied == null ? null : applied.getCommitId());
      row.put("lastAppliedAt", applied == null ? null : applied.getAt().toString());
      row.put("lagCommits", lag.get(name));
      Instant since = behindSince.get(name);
      row.put("lagSeconds", since == null ? (lag.get(name) == null ? null : 0L) : Math.max(0, Duration.between(since, Instant.now()).toSeconds()));
      row.put("state", state(spec, last));
      row.put("pending", last != null && List.of("conflict", "divergence", "failed").contains(last.getStatus())
          ? last.getStatus() + " at " + last.getCommitId().substring(0, Math.min(12, last.getCommitId().length()))
            + (last.getMessage() == null ? "" : ": " + last.getMessage()) : null);
      rows.add(row);
    }
    return rows;
  }

  private static String state(RemoteSpec spec, SyncResult last) {
    if (spec != null && spec.getPaused()) {
      return "paused";
    }
    if (last != null && List.of("conflict", "divergence", "failed").contains(last.getStatus())) {
      return "stopped on " + last.getStatus();
    }
    return "following";
  }

  /**
   * Each remote's lag in commits (the commits after its consumer group's position, counted: offsets alone would count
   * the transactions' markers too; at most {@value #COUNT_AT_MOST}), and when the oldest of them was made.
   */
  private void lags(Set<String> names, Map<String, Long> lag, Map<String, Instant> behindSince) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (Admin admin = Admin.create(clientProperties);
         KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = reader.partitionsFor(Topics.COMMITS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      reader.assign(partitions);
      Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
      Map<TopicPartition, Long> starts = reader.beginningOffsets(partitions);
      for (String name : names) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(GROUP_PREFIX + name).partitionsToOffsetAndMetadata().get();
        long behind = 0;
        for (TopicPartition p : partitions) {
          OffsetAndMetadata position = committed.get(p);
          reader.seek(p, position == null ? starts.get(p) : position.offset());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (behind < COUNT_AT_MOST && System.nanoTime() < deadline
            && partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
          for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
            if (behind++ == 0) {
              behindSince.put(name, Topics.COMMITS.valueSerde().deserializer().deserialize(r.topic(), r.value()).getCommittedAt());
            }
          }
        }
        lag.put(name, behind);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
      log.warn("cannot read the remotes' lag: {}", e.getMessage());
    }
  }

  private static final long COUNT_AT_MOST = 100_000;

}
