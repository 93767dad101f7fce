package io.gitversion.cli;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.cli.support.StageOptions;
import io.gitversion.collector.Collector;
import io.gitversion.collector.CollectorConfig;
import io.gitversion.collector.SourceInstaller;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.embedded.EmbeddedKafka;
import io.gitversion.embedded.EmbeddedPostgres;
import io.gitversion.processor.ProcessorConfig;
import io.gitversion.processor.ProcessorStage;
import io.gitversion.syncer.SyncerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet benchmark (bench/fleet/run.sh): one commit fanned out to N remote databases, and the syncer's heap while it
 * keeps them. The broker, the source's collector and the processor run in this JVM; the syncer runs as
 * {@code gitversion syncer} in a JVM of its own, capped at {@code -Xmx512m}, so that its heap is its alone. Remotes are
 * N databases of one embedded server, made from one template holding the source's tables. Each sample is one
 * {@code ALTER TABLE ... ADD COLUMN} at the source; its latency runs from COMMIT returning to the last of the N
 * {@code applied} results (verified by hash on each remote). After the samples the syncer's live heap is read with
 * {@code jcmd GC.heap_info} after a full collection ({@code jcmd GC.run}), and its peak from {@code jstat}.
 */
public final class FleetBenchmark {
  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(120);
  private static final int TABLES = 10;

  private FleetBenchmark() {}

  /** One fleet's figures. */
  record Fleet(int remotes, List<List<Double>> runs, double liveHeapMiB, double peakHeapMiB, double setupSeconds) {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int runs = Integer.parseInt(System.getProperty("runs", "3"));
    int samples = Integer.parseInt(System.getProperty("samples", "20"));
    int warmup = Integer.parseInt(System.getProperty("warmup", "3"));
    String jar = System.getProperty("jar");
    List<Fleet> fleets = new ArrayList<>();
    for (String n : System.getProperty("fleets", "50,200").split(",")) {
      fleets.add(measure(Integer.parseInt(n.trim()), runs, samples, warmup, jar));
    }
    Files.writeString(out, report(fleets, runs, samples, warmup));
    System.out.print(Files.readString(out));
  }

  private static Fleet measure(int remoteCount, int runs, int samples, int warmup, String jar) throws Exception {
    long setupStart = System.nanoTime();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedPostgres server = EmbeddedPostgres.start("fleet" + remoteCount, remoteCount + 60)) {
      PgUrl source = PgUrl.parse(server.createDatabase("source"));
      PgUrl template = PgUrl.parse(server.createDatabase("remote_template"));
      createTables(source);
      createTables(template);
      List<String> remotes = new ArrayList<>();
      try (Connection c = Database.connect(source); Statement st = c.createStatement()) {
        for (int i = 1; i <= remoteCount; i++) {
          st.execute("CREATE DATABASE r" + i + " TEMPLATE remote_template");
          remotes.add("r" + i + "=" + template.withDatabase("r" + i).toUriWithPassword());
        }
      }
      Map<String, Object> kafkaKeys = Map.of(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
          KafkaSettings.TOPIC_PARTITIONS_CONFIG, "1");
      CollectorConfig collectorConfig = new CollectorConfig(with(kafkaKeys, Map.of(CollectorConfig.SOURCE_URL_CONFIG, source.toUriWithPassword())));
      SourceInstaller.install(source, collectorConfig.slotName());
      Map<String, Map<String, Long>> appliedAt = new ConcurrentHashMap<>(); // commit -> remote -> nanoTime
      Map<String, String> commitOf = new ConcurrentHashMap<>(); // statement -> commit id
      AtomicBoolean reading = new AtomicBoolean(true);
      Thread reader = new Thread(() -> read(kafka.bootstrapServers(), appliedAt, commitOf, reading), "bench-reader");
      reader.start();
      Process syncer = null;
      try (ProcessorStage processor = new ProcessorStage(new ProcessorConfig(with(kafkaKeys, Map.of(ProcessorConfig.DASHBOARD_PORT_CONFIG, "0"))));
           Collector collector = new Collector(collectorConfig);
           Connection c = Database.connect(source); Statement st = c.createStatement()) {
        processor.start(Duration.ofSeconds(120));
        syncer = startSyncer(jar, kafka.bootstrapServers(), String.join(",", remotes));
        collector.start(Duration.ofSeconds(120));
        double setup = (System.nanoTime() - setupStart) / 1e9;
        List<List<Double>> all = new ArrayList<>();
        int sample = 0;
        for (int run = 0; run < runs; run++) {
          List<Double> latencies = new ArrayList<>();
          for (int i = 0; i < warmup + samples; i++, sample++) {
            String statement = "ALTER TABLE t_" + (sample % TABLES) + " ADD COLUMN c_" + sample + " integer";
            st.execute(statement);
            long committed = System.nanoTime();
            long deadline = committed + APPLY_TIMEOUT.toNanos();
            Long done = null;
            while (done == null && System.nanoTime() < deadline) {
              String commit = commitOf.get(statement);
              Map<String, Long> applied = commit == null ? null : appliedAt.get(commit);
              if (applied != null && applied.size() == remoteCount) {
                done = Collections.max(applied.values());
              } else {
                Thread.sleep(1);
              }
              if (!syncer.isAlive()) {
                throw new IllegalStateException("the syncer exited with " + syncer.exitValue());
              }
            }
            if (done == null) {
              String commit = commitOf.get(statement);
              throw new IllegalStateException("'" + statement + "' was applied on " + (commit == null || appliedAt.get(commit) == null ? 0
                  : appliedAt.get(commit).size()) + " of " + remoteCount + " remotes within " + APPLY_TIMEOUT.toSeconds() + " s");
            }
            if (i >= warmup) {
              latencies.add(Math.max(0, done - committed) / 1e6);
            }
          }
          Collections.sort(latencies);
          all.add(latencies);
          System.err.printf(Locale.ROOT, "%d remotes, run %d: p50 %.0f ms, p99 %.0f ms%n", remoteCount, run + 1, SyncBenchmark.p(latencies, 0.50),
              SyncBenchmark.p(latencies, 0.99));
        }
        double peak = peakHeapMiB(syncer.pid());
        double live = liveHeapMiB(syncer.pid());
        System.err.printf(Locale.ROOT, "%d remotes: syncer heap live %.0f MiB, peak %.0f MiB%n", remoteCount, live, peak);
        return new Fleet(remoteCount, all, live, peak, setup);
      } finally {
        if (syncer != null) {
          syncer.destroy();
          syncer.waitFor(30, TimeUnit.SECONDS);
          syncer.destroyForcibly();
        }
        reading.set(false);
        reader.join();
      }
    }
  }

  /** {@code gitversion syncer} in a JVM of its own, capped at 512 MiB of heap; returns once it keeps every remote. */
  private static Process startSyncer(String jar, String bootstrap, String remotes) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms32m", "-Xmx512m",
        "-XX:+UseSerialGC", "-jar", jar, "syncer").redirectErrorStream(true);
    builder.environment().put(StageOptions.envName(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG), bootstrap);
    builder.environment().put(StageOptions.envName(KafkaSettings.TOPIC_PARTITIONS_CONFIG), "1");
    builder.environment().put(StageOptions.envName(SyncerConfig.REMOTES_CONFIG), remotes);
    Process process = builder.start();
    CountDownLatch ready = new CountDownLatch(1);
    Thread pump = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.contains("syncer keeping")) {
            ready.countDown();
          }
          if (line.contains(" ERROR ") || line.contains("OutOfMemory")) {
            System.err.println("syncer: " + line);
          }
        }
      } catch (java.io.IOException e) {
        // the process ended
      }
    }, "bench-syncer-log");
    pump.setDaemon(true);
    pump.start();
    if (!ready.await(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the syncer did not start within 120 s");
    }
    return process;
  }

  /** The heap in use after a full collection: what the syncer keeps, not what it has not collected yet. */
  private static double liveHeapMiB(long pid) throws Exception {
    run("jcmd", String.valueOf(pid), "GC.run");
    String info = run("jcmd", String.valueOf(pid), "GC.heap_info");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
    long kib = 0;
    while (used.find()) {
      kib += Long.parseLong(used.group(1)); // the generations' lines (Metaspace's is "used ...K" too, after "Metaspace")
    }
    Matcher metaspace = Pattern.compile("Metaspace\\s+used (\\d+)K").matcher(info);
    if (metaspace.find()) {
      kib -= Long.parseLong(metaspace.group(1));
    }
    Matcher classSpace = Pattern.compile("class space\\s+used (\\d+)K").matcher(info);
    if (classSpace.find()) {
      kib -= Long.parseLong(classSpace.group(1));
    }
    return kib / 1024.0;
  }

  /** The most heap the syncer had committed (young and old capacity now, which only grow under SerialGC up to -Xmx). */
  private static double peakHeapMiB(long pid) throws Exception {
    String[] lines = run("jstat", "-gccapacity", String.valueOf(pid)).strip().split("\n");
    String[] names = lines[0].trim().split("\\s+");
    String[] values = lines[1].trim().split("\\s+");
    double kib = 0;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals("NGC") || names[i].equals("OGC")) {
        kib += Double.parseDouble(values[i]);
      }
    }
    return kib / 1024.0;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  private static void createTables(PgUrl db) throws Exception {
    try (Connection c = Database.connect(db); Statement st = c.createStatement()) {
      for (int i = 0; i < TABLES; i++) {
        st.execute("CREATE TABLE t_" + i + " (id bigint PRIMARY KEY, name text NOT NULL, at timestamptz DEFAULT now())");
      }
    }
  }

  /** Records the commit of each statement, and when each remote's result for it arrived. */
  private static void read(String bootstrap, Map<String, Map<String, Long>> appliedAt, Map<String, String> commitOf, AtomicBoolean reading) {
    SyncBenchmark.follow(bootstrap, reading, commit -> commit.getStatements().forEach(s -> commitOf.putIfAbsent(s, commit.getId())),
        (result, now) -> appliedAt.computeIfAbsent(result.getCommitId(), k -> new ConcurrentHashMap<>()).putIfAbsent(result.getRemote(), now));
  }

  private static Map<String, Object> with(Map<String, Object> base, Map<String, Object> more) {
    Map<String, Object> all = new LinkedHashMap<>(base);
    all.putAll(more);
    return all;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static String report(List<Fleet> fleets, int runs, int samples, int warmup) {
    StringBuilder rows = new StringBuilder();
    for (Fleet f : fleets) {
      List<Double> p50 = f.runs().stream().map(r -> SyncBenchmark.p(r, 0.50)).toList();
      List<Double> p99 = f.runs().stream().map(r -> SyncBenchmark.p(r, 0.99)).toList();
      rows.append(String.format(Locale.ROOT, "| %d | %.0f ms | %s | %.0f ms | %s | %.0f MiB | %.0f MiB | %.0f s |%n", f.remotes(), median(p50),
          p50.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList(), median(p99),
          p99.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList(), f.liveHeapMiB(), f.peakHeapMiB(), f.setupSeconds()));
    }
    return String.format(Locale.ROOT, """
        # Fleet benchmark: one commit fanned out to N remotes, and the syncer's heap

        Produced by `bench/fleet/run.sh` (`FleetBenchmark`; do not edit by hand).

        Machine: %s; %d cores; %s. The broker, the source's collector and the processor in the benchmark's JVM; the
        syncer as `gitversion syncer` in a JVM of its own (`-Xms32m -Xmx512m -XX:+UseSerialGC`); the source and the N remote
        databases on one embedded PostgreSQL server (the remotes made from one template holding the source's %d tables).

        Workload: each sample is one `ALTER TABLE t_k ADD COLUMN c_j integer` at the source, the next sent once the previous
        one is applied everywhere. Latency: from COMMIT returning at the source to the last of the N remotes' `applied`
        results (each verified by hash before and after on its remote), read by a consumer in the benchmark's JVM. %d runs
        of %d samples after %d warm-up ones each; p50 and p99 per run, and their medians. Heap: the syncer's heap in use
        after a full collection (`jcmd GC.run`, `GC.heap_info`) once the samples are done, and its committed heap then
        (`jstat -gccapacity`: young + old capacity, which under SerialGC grows from 32 MiB only as collections need, up to `-Xmx`).

        | remotes | p50 (median) | p50 of each run | p99 (median) | p99 of each run | live heap | committed heap | setup |
        |---:|---:|---|---:|---|---:|---:|---:|
        %s

        Targets: one commit applied on 50 remotes with p99 ≤ 2 s; the syncer's heap with 200 remotes ≤ 512 MiB (it runs
        capped at 512 MiB: an `OutOfMemoryError` would stop the run).
        """, System.getProperty("os.name") + " " + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
        "Java " + System.getProperty("java.version"), TABLES, runs, samples, warmup, rows.toString().stripTrailing());
  }
}
