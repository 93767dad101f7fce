package io.gitversion.cli;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.collector.Collector;
import io.gitversion.collector.CollectorConfig;
import io.gitversion.collector.SourceInstaller;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.EmbeddedKafka;
import io.gitversion.embedded.EmbeddedPostgres;
import io.gitversion.processor.ProcessorConfig;
import io.gitversion.processor.ProcessorStage;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.SyncResult;
import io.gitversion.syncer.Syncer;
import io.gitversion.syncer.SyncerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The sync benchmark (bench/sync/run.sh): the whole pipeline in one JVM (broker in process, one embedded PostgreSQL
 * server holding the source and two remotes), a source of N tables (each with a primary key), and the time from a
 * DDL transaction's COMMIT returning at the source to the commit being applied and verified on both remotes (the
 * later of the two sync results, as a subscriber reads them), for N = 10 and N = 10,000. Each sample is one
 * {@code ALTER TABLE ... ADD COLUMN} on a table picked in turn, sent once the previous one is applied. Writes the
 * report to the file given as the first argument.
 */
public final class SyncBenchmark {
  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);

  private SyncBenchmark() {}

  /** One size's runs: each run's latencies in ms, sorted. */
  record Size(int tables, List<List<Double>> runs, double setupSeconds) {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int runs = Integer.parseInt(System.getProperty("runs", "3"));
    int samples = Integer.parseInt(System.getProperty("samples", "100"));
    int warmup = Integer.parseInt(System.getProperty("warmup", "30"));
    List<Size> sizes = new ArrayList<>();
    for (String n : System.getProperty("sizes", "10,10000").split(",")) {
      sizes.add(measure(Integer.parseInt(n.trim()), runs, samples, warmup));
    }
    Files.writeString(out, report(sizes, runs, samples, warmup));
    System.out.print(Files.readString(out));
  }

  private static Size measure(int tables, int runs, int samples, int warmup) throws Exception {
    long setupStart = System.nanoTime();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedPostgres server = EmbeddedPostgres.start("bench" + tables)) {
      PgUrl source = PgUrl.parse(server.createDatabase("source"));
      Map<String, PgUrl> remotes = new LinkedHashMap<>();
      for (String name : List.of("r1", "r2")) {
        remotes.put(name, PgUrl.parse(server.createDatabase(name)));
      }
      for (PgUrl db : List.of(source, remotes.get("r1"), remotes.get("r2"))) {
        createTables(db, tables); // the remotes start where the source is: its baseline
      }
      Map<String, Object> kafkaKeys = Map.of(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
          KafkaSettings.TOPIC_PARTITIONS_CONFIG, "1");
      CollectorConfig collectorConfig = new CollectorConfig(with(kafkaKeys, Map.of(CollectorConfig.SOURCE_URL_CONFIG, source.toUriWithPassword())));
      SourceInstaller.install(source, collectorConfig.slotName());
      Map<String, Long> appliedAt = new ConcurrentHashMap<>(); // remote/commit -> nanoTime
      Map<String, String> commitOf = new ConcurrentHashMap<>(); // statement -> commit id
      AtomicBoolean reading = new AtomicBoolean(true);
      Thread reader = new Thread(() -> read(kafka.bootstrapServers(), appliedAt, commitOf, reading), "bench-reader");
      reader.start();
      String remoteSpec = remotes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().toUriWithPassword())
          .collect(java.util.stream.Collectors.joining(","));
      try (ProcessorStage processor = new ProcessorStage(new ProcessorConfig(with(kafkaKeys, Map.of(ProcessorConfig.DASHBOARD_PORT_CONFIG, "0"))));
           Syncer syncer = new Syncer(new SyncerConfig(with(kafkaKeys, Map.of(SyncerConfig.REMOTES_CONFIG, remoteSpec))));
           Collector collector = new Collector(collectorConfig);
           Connection c = Database.connect(source); Statement st = c.createStatement()) {
        processor.start(Duration.ofSeconds(120));
        syncer.start();
        collector.start(Duration.ofSeconds(120));
        double setup = (System.nanoTime() - setupStart) / 1e9;
        List<List<Double>> all = new ArrayList<>();
        int sample = 0;
        for (int run = 0; run < runs; run++) {
          List<Double> latencies = new ArrayList<>();
          for (int i = 0; i < warmup + samples; i++, sample++) {
            String statement = "ALTER TABLE t_" + (sample * 7919 % tables) + " ADD COLUMN c_" + sample + " integer";
            st.execute(statement);
            long committed = System.nanoTime();
            long deadline = committed + APPLY_TIMEOUT.toNanos();
            Long done = null;
            while (done == null && System.nanoTime() < deadline) {
              String commit = commitOf.get(statement);
              Long r1 = commit == null ? null : appliedAt.get("r1/" + commit);
              Long r2 = commit == null ? null : appliedAt.get("r2/" + commit);
              if (r1 != null && r2 != null) {
                done = Math.max(r1, r2);
              } else {
                Thread.sleep(0, 200_000);
              }
            }
            if (done == null) {
              throw new IllegalStateException("'" + statement + "' was not applied on both remotes within " + APPLY_TIMEOUT.toSeconds() + " s");
            }
            if (i >= warmup) {
              latencies.add(Math.max(0, done - committed) / 1e6);
            }
          }
          Collections.sort(latencies);
          all.add(latencies);
          System.err.printf(Locale.ROOT, "%d tables, run %d: p50 %.1f ms, p99 %.1f ms%n", tables, run + 1, p(latencies, 0.50), p(latencies, 0.99));
        }
        return new Size(tables, all, setup);
      } finally {
        reading.set(false);
        reader.join();
      }
    }
  }

  private static void createTables(PgUrl db, int tables) throws Exception {
    try (Connection c = Database.connect(db); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      for (int i = 0; i < tables; i++) {
        st.addBatch("CREATE TABLE t_" + i + " (id bigint PRIMARY KEY, name text NOT NULL, at timestamptz DEFAULT now())");
        if (i % 500 == 499) {
          st.executeBatch();
          c.commit(); // a transaction's locks are bounded (max_locks_per_transaction)
        }
      }
      st.executeBatch();
      c.commit();
    }
  }

  /** Records when each commit's statement was seen and when each remote's result for it arrived. */
  private static void read(String bootstrap, Map<String, Long> appliedAt, Map<String, String> commitOf, AtomicBoolean reading) {
    follow(bootstrap, reading, commit -> commit.getStatements().forEach(s -> commitOf.putIfAbsent(s, commit.getId())),
        (result, now) -> appliedAt.putIfAbsent(result.getRemote() + "/" + result.getCommitId(), now));
  }

  /**
   * Reads the commits and the sync results as a subscriber does, until {@code reading} is false: each commit, and each
   * remote's {@code applied} (or {@code duplicate}) result with the time it was read; other results are printed.
   */
  static void follow(String bootstrap, AtomicBoolean reading, java.util.function.Consumer<Commit> commits,
                     java.util.function.BiConsumer<SyncResult, Long> applied) {
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.COMMITS.name(), Topics.SYNC_RESULTS.name()));
      while (reading.get()) {
        for (var r : consumer.poll(Duration.ofMillis(1))) {
          long now = System.nanoTime();
          if (r.topic().equals(Topics.COMMITS.name())) {
            commits.accept(Topics.COMMITS.valueSerde().deserializer().deserialize(r.topic(), r.value()));
          } else {
            SyncResult result = Topics.SYNC_RESULTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (Set.of("applied", "duplicate").contains(result.getStatus())) {
              applied.accept(result, now);
            } else if (result.getRequestId() == null && !result.getStatus().equals("rebased")) {
              System.err.println("not applied: " + result.getRemote() + " " + result.getStatus() + " " + result.getMessage());
            }
          }
        }
      }
    }
  }

  private static Map<String, Object> with(Map<String, Object> base, Map<String, Object> more) {
    Map<String, Object> all = new LinkedHashMap<>(base);
    all.putAll(more);
    return all;
  }

  static double p(List<Double> sorted, double q) {
    return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * q) - 1));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static String report(List<Size> sizes, int runs, int samples, int warmup) {
    StringBuilder rows = new StringBuilder();
    Map<Integer, Double> p50s = new LinkedHashMap<>();
    for (Size size : sizes) {
      List<Double> p50 = size.runs().stream().map(r -> p(r, 0.50)).toList();
      List<Double> p99 = size.runs().stream().map(r -> p(r, 0.99)).toList();
      p50s.put(size.tables(), median(p50));
      rows.append(String.format(Locale.ROOT, "| %,d | %.1f ms | %s | %.1f ms | %s | %.0f s |%n", size.tables(), median(p50),
          p50.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList(), median(p99),
          p99.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList(), size.setupSeconds()));
    }
    String ratio = p50s.size() == 2 ? String.format(Locale.ROOT, "%.2f×", p50s.get(sizes.get(1).tables()) / p50s.get(sizes.get(0).tables())) : "n/a";
    return String.format(Locale.ROOT, """
        # Sync benchmark: commit → applied on two remotes

        Produced by `bench/sync/run.sh` (`SyncBenchmark`; do not edit by hand).

        Machine: %s; %d cores; %s; one embedded PostgreSQL server (`gitversion up`'s binaries) holding the source and both
        remotes, the broker and the three stages in the same JVM.

        Workload: a source of N tables (`id bigint PRIMARY KEY, name text NOT NULL, at timestamptz DEFAULT now()`), the
        remotes holding the same (the source's baseline); each sample is one `ALTER TABLE t_k ADD COLUMN c_j integer` in its
        own transaction, the next sent once the previous one is applied. Latency: from COMMIT returning at the source to
        the later of the two remotes' `applied` results (verified by hash before and after) read by a consumer in the same
        JVM. %d runs of %d samples after %d warm-up ones each; p50 and p99 per run, and their medians.

        | tables | p50 (median of runs) | p50 of each run | p99 (median of runs) | p99 of each run | setup |
        |---:|---:|---|---:|---|---:|
        %s

        10,000-table p50 against the 10-table one: %s (target ≤ 1.5×). Targets: p50 ≤ 100 ms, p99 ≤ 300 ms. The sizes run
        one after the other in one JVM (each with its own broker and server): the second runs on warmer code.
        """, System.getProperty("os.name") + " " + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
        "Java " + System.getProperty("java.version"), runs, samples, warmup, rows.toString().stripTrailing(), ratio);
  }
}
