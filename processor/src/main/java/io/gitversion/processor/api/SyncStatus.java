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
    app.get("/api/tenants", ctx -> ctx.json(tenants()));
  }

  /** How long counted lags are reused. */
  private static final Duration LAG_TTL = Duration.ofSeconds(2);
  private Map<String, String> lagNames;
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

  /** Whether a name is a tenant's (its entry names a template): tenants are answered by /api/tenants. */
  private boolean isTenant(String name) {
    RemoteSpec spec = registry.get(name);
    return spec != null && spec.getTemplate() != null;
  }

  /**
   * The consumer group whose position is each name's: a remote's own; a tenant's template's rollout (a tenant in step
   * is where its template is).
   */
  private Map<String, String> groups() {
    Map<String, String> groups = new TreeMap<>();
    registry.forEach((name, spec) -> groups.put(name, GROUP_PREFIX + (spec.getTemplate() == null ? name : "template-" + spec.getTemplate())));
    lastResult.keySet().forEach(name -> groups.putIfAbsent(name, GROUP_PREFIX + name));
    return groups;
  }

  /** Lag in commits and since when, by group: counted at most once per LAG_TTL, however often the dashboard asks. */
  private synchronized void lagsNow(Map<String, String> groups) {
    if (lagNames == null || !lagNames.equals(groups) || System.nanoTime() - lagsAt > LAG_TTL.toNanos()) {
      lagCache = new TreeMap<>();
      sinceCache = new TreeMap<>();
      lags(new java.util.TreeSet<>(groups.values()), lagCache, sinceCache);
      lagNames = groups;
      lagsAt = System.nanoTime();
    }
  }

  /** Every tenant of the registry, with where it stands now: its template, schema, canary, state, last commit, lag and failure. */
  List<Map<String, Object>> tenants() {
    List<Map<String, Object>> rows = new ArrayList<>();
    Map<String, String> groups = groups();
    if (registry.values().stream().noneMatch(spec -> spec.getTemplate() != null)) {
      return rows;
    }
    Map<String, Long> lags;
    synchronized (this) {
      lagsNow(groups);
      lags = lagCache;
    }
    for (RemoteSpec spec : new TreeMap<>(registry).values()) {
      if (spec.getTemplate() == null) {
        continue;
      }
      String name = spec.getName();
      SyncResult last = lastResult.get(name);
      SyncResult applied = lastApplied.get(name);
      boolean stopped = last != null && List.of("conflict", "divergence", "failed").contains(last.getStatus());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", name);
      row.put("template", spec.getTemplate());
      row.put("schema", spec.getMapSchemas().isEmpty() ? String.join(",", spec.getSchemas()) : String.join(",", spec.getMapSchemas().values()));
      row.put("url", spec.getUrl());
      row.put("canary", spec.getCanary());
      row.put("state", spec.getPaused() ? "paused" : stopped ? "stopped on " + last.getStatus() : last == null ? "joining" : "following");
      row.put("lastApplied", applied == null ? null : applied.getCommitId());
      row.put("lastAppliedAt", applied == null ? null : applied.getAt().toString());
      Long lag = lags.get(groups.get(name));
      row.put("lagCommits", stopped ? null : lag);
      row.put("failure", stopped ? last.getStatus() + " at " + last.getCommitId().substring(0, Math.min(12, last.getCommitId().length()))
          + (last.getMessage() == null ? "" : ": " + last.getMessage()) : null);
      rows.add(row);
    }
    return rows;
  }

  /** Every remote the registry or the results name (not the tenants), with where it stands now. */
  List<Map<String, Object>> remotes() {
    Set<String> names = new TreeSet<>(registry.keySet());
    names.addAll(lastResult.keySet());
    names.removeIf(this::isTenant);
    List<Map<String, Object>> rows = new ArrayList<>();
    if (names.isEmpty()) {
      return rows;
    }
    Map<String, String> groups = groups();
    groups.keySet().retainAll(names);
    Map<String, Long> lag = new TreeMap<>();
    Map<String, Instant> behindSince = new TreeMap<>();
    synchronized (this) {
      lagsNow(groups);
      groups.forEach((name, group) -> {
        if (lagCache.containsKey(group)) {
          lag.put(name, lagCache.get(group));
        }
        if (sinceCache.containsKey(group)) {
          behindSince.put(name, sinceCache.get(group));
        }
      });
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
   * Each consumer group's lag in commits (the commits after its position, counted: offsets alone would count
   * the transactions' markers too; at most {@value #COUNT_AT_MOST}), and when the oldest of them was made.
   */
  private void lags(Set<String> groups, Map<String, Long> lag, Map<String, Instant> behindSince) {
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
      for (String group : groups) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
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
              behindSince.put(group, Topics.COMMITS.valueSerde().deserializer().deserialize(r.topic(), r.value()).getCommittedAt());
            }
          }
        }
        lag.put(group, behind);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
      log.warn("cannot read the remotes' lag: {}", e.getMessage());
    }
  }

  private static final long COUNT_AT_MOST = 100_000;

}
