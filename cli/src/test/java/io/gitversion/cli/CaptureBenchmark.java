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
import io.gitversion.schemas.DdlEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The capture benchmark (bench/capture/run.sh): on one embedded PostgreSQL server, the same DDL workload in a
 * database without capture and in one with it (DDL statements per second, median of RUNS), and with the collector
 * running on an in-process broker, the time from a DDL transaction's COMMIT returning to its event being readable
 * in Kafka (p50, p99). Writes the table to the file given as the first argument.
 */
public final class CaptureBenchmark {
  /** The second workload: tables of this many rows, and this many statements (a quarter of them CREATE INDEX). */
  private static final int ROWS = 10_000;
  private static final int ROWS_STATEMENTS = 200;
  /** The third workload: the first one's statements in a database that holds this many tables already (flatness). */
  private static final int BIG_TABLES = 10_000;
  /**
   * The fourth part: statements whose capture once read whole catalogs (a GRANT compared every recorded object, an
   * ALTER TYPE scanned pg_attribute), each a name, its set-up (not timed) and the statement timed; %1$s a fresh name.
   */
  private static final List<String[]> OTHER = List.of(
      new String[] {"GRANT on a table", "CREATE TABLE %1$s (id int, note text)", "GRANT SELECT ON %1$s TO bench_reader"},
      new String[] {"GRANT on a column", "CREATE TABLE %1$s (id int, note text)", "GRANT UPDATE (note) ON %1$s TO bench_reader"},
      new String[] {"ALTER TYPE ... RENAME VALUE", "CREATE TYPE %1$s_e AS ENUM ('a'); CREATE TABLE %1$s (e %1$s_e)",
          "ALTER TYPE %1$s_e RENAME VALUE 'a' TO 'b'"},
      new String[] {"ALTER DOMAIN ... ADD CONSTRAINT", "CREATE DOMAIN %1$s_d AS int; CREATE TABLE %1$s (d %1$s_d)",
          "ALTER DOMAIN %1$s_d ADD CONSTRAINT %1$s_c CHECK (VALUE > 0)"},
      new String[] {"ALTER TABLE ... DETACH PARTITION", "CREATE TABLE %1$s (k int) PARTITION BY RANGE (k);"
          + " CREATE TABLE %1$s_1 PARTITION OF %1$s FOR VALUES FROM (0) TO (10)", "ALTER TABLE %1$s DETACH PARTITION %1$s_1"});
  private static final int OTHER_REPEATS = 15;

  private CaptureBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int runs = Integer.parseInt(System.getProperty("runs", "5"));
    int statements = Integer.parseInt(System.getProperty("statements", "1000"));
    int samples = Integer.parseInt(System.getProperty("samples", "500"));
    List<Double> plain = new ArrayList<>();
    List<Double> captured = new ArrayList<>();
    List<Double> plainWithRows = new ArrayList<>();
    List<Double> capturedWithRows = new ArrayList<>();
    List<Double> plainBig = new ArrayList<>();
    List<Double> capturedBig = new ArrayList<>();
    List<Long> latencies = new ArrayList<>();
    List<double[]> other = new ArrayList<>(); // per database (empty without, with capture; 10,000 tables without, with)
    try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedPostgres server = EmbeddedPostgres.start("bench")) {
      for (int run = 0; run < runs; run++) {
        // alternate, so that neither side always runs on a warmer server
        PgUrl without = PgUrl.parse(server.createDatabase("plain_" + run));
        PgUrl with = PgUrl.parse(server.createDatabase("captured_" + run));
        SourceInstaller.install(with, "gitversion_captured_" + run);
        plain.add(statementsPerSecond(without, statements, 0, "w_"));
        captured.add(statementsPerSecond(with, statements, 0, "w_"));
        dropSlot(with, "gitversion_captured_" + run);
      }
      // the same statements on tables that hold data, as in a real migration: the DDL does work, capture the same
      for (int run = 0; run < runs; run++) {
        PgUrl without = PgUrl.parse(server.createDatabase("plain_rows_" + run));
        PgUrl with = PgUrl.parse(server.createDatabase("captured_rows_" + run));
        SourceInstaller.install(with, "gitversion_rows_" + run);
        plainWithRows.add(statementsPerSecond(without, ROWS_STATEMENTS, ROWS, "w_"));
        capturedWithRows.add(statementsPerSecond(with, ROWS_STATEMENTS, ROWS, "w_"));
        dropSlot(with, "gitversion_rows_" + run);
      }
      // the first workload in databases of 10,000 tables with their keys (capture's baseline recorded them): what
      // capture adds must not grow with what the source holds
      PgUrl bigPlain = PgUrl.parse(server.createDatabase("plain_big"));
      PgUrl bigCaptured = PgUrl.parse(server.createDatabase("captured_big"));
      populate(bigPlain);
      populate(bigCaptured);
      SourceInstaller.install(bigCaptured, "gitversion_big");
      for (int run = 0; run < runs; run++) {
        plainBig.add(statementsPerSecond(bigPlain, statements, 0, "r" + run + "_"));
        capturedBig.add(statementsPerSecond(bigCaptured, statements, 0, "r" + run + "_"));
      }
      // the statements that once read whole catalogs, in an empty database and in one of 10,000 tables
      PgUrl smallPlain = PgUrl.parse(server.createDatabase("plain_small"));
      PgUrl smallCaptured = PgUrl.parse(server.createDatabase("captured_small"));
      SourceInstaller.install(smallCaptured, "gitversion_small");
      try (Connection c = Database.connect(smallPlain); Statement st = c.createStatement()) {
        st.execute("DO $$ BEGIN CREATE ROLE bench_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
      }
      for (PgUrl url : List.of(smallPlain, smallCaptured, bigPlain, bigCaptured)) {
        other.add(otherStatements(url));
      }
      dropSlot(smallCaptured, "gitversion_small");
      dropSlot(bigCaptured, "gitversion_big");

      PgUrl source = PgUrl.parse(server.createDatabase("latency"));
      CollectorConfig config = new CollectorConfig(Map.of(
          KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
          KafkaSettings.TOPIC_PARTITIONS_CONFIG, "1",
          CollectorConfig.SOURCE_URL_CONFIG, source.toUriWithPassword()));
      SourceInstaller.install(source, config.slotName());
      Map<String, Long> seenAt = new ConcurrentHashMap<>();
      AtomicBoolean reading = new AtomicBoolean(true);
      Thread reader = new Thread(() -> read(kafka, seenAt, reading), "bench-reader");
      reader.start();
      try (Collector collector = new Collector(config).start(Duration.ofSeconds(60));
           Connection c = Database.connect(source); Statement st = c.createStatement()) {
        for (int i = 0; i < samples + 50; i++) {
          String table = "lat_" + i;
          st.execute("CREATE TABLE " + table + " (id int)");
          long committed = System.nanoTime();
          long deadline = committed + Duration.ofSeconds(10).toNanos();
          while (!seenAt.containsKey(table) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
          }
          Long seen = seenAt.get(table);
          if (seen == null) {
            throw new IllegalStateException(table + " did not reach Kafka within 10 s");
          }
          if (i >= 50) { // the first 50 warm up the JIT, the engine and the consumer
            latencies.add(Math.max(0, seen - committed));
          }
        }
      } finally {
        reading.set(false);
        reader.join();
      }
    }
    Files.writeString(out, report(runs, statements, plain, captured, plainWithRows, capturedWithRows, plainBig, capturedBig, latencies)
        + otherReport(other));
    System.out.print(Files.readString(out));
  }

  /**
   * The workload: create, add column, index, comment, for statements / 4 tables; each statement its own transaction.
   * With {@code rows} above 0, each table gets that many rows after it is created (not timed: only the DDL is).
   */
  private static double statementsPerSecond(PgUrl url, int statements, int rows, String prefix) throws Exception {
    try (Connection c = Database.connect(url); Statement st = c.createStatement()) {
      long ddlNanos = 0;
      for (int i = 0; i < statements; i++) {
        int t = i / 4;
        String table = prefix + t;
        String ddl = switch (i % 4) {
          case 0 -> "CREATE TABLE " + table + " (id bigint PRIMARY KEY, name text)";
          case 1 -> "ALTER TABLE " + table + " ADD COLUMN amount numeric(12,2) DEFAULT 0";
          case 2 -> "CREATE INDEX " + table + "_name ON " + table + " (name)";
          default -> "COMMENT ON TABLE " + table + " IS 'table " + t + "'";
        };
        long start = System.nanoTime();
        st.execute(ddl);
        ddlNanos += System.nanoTime() - start;
        if (i % 4 == 0 && rows > 0) {
          st.execute("INSERT INTO " + table + " SELECT g, md5(g::text) FROM generate_series(1, " + rows + ") g");
        }
      }
      return statements / (ddlNanos / 1e9);
    }
  }

  /** Each of {@link #OTHER}'s statements, {@link #OTHER_REPEATS} times (fresh names, set-up untimed): median ms. */
  private static double[] otherStatements(PgUrl url) throws Exception {
    double[] medians = new double[OTHER.size()];
    try (Connection c = Database.connect(url); Statement st = c.createStatement()) {
      for (int k = 0; k < OTHER.size(); k++) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < OTHER_REPEATS; i++) {
          String name = "other_" + k + "_" + i;
          st.execute(String.format(Locale.ROOT, OTHER.get(k)[1], name));
          long start = System.nanoTime();
          st.execute(String.format(Locale.ROOT, OTHER.get(k)[2], name));
          ms.add((System.nanoTime() - start) / 1e6);
        }
        medians[k] = median(ms);
      }
    }
    return medians;
  }

  private static String otherReport(List<double[]> other) {
    StringBuilder r = new StringBuilder(String.format(Locale.ROOT, """

        Statements whose capture once read whole catalogs, each %d times on one connection after an untimed set-up, in an
        empty database and in the one of %,d tables above: the median time capture adds to one (with capture minus
        without, same size of database).

        | statement | added in an empty database | added at %,d tables |
        |---|---:|---:|
        """, OTHER_REPEATS, BIG_TABLES, BIG_TABLES));
    for (int k = 0; k < OTHER.size(); k++) {
      r.append(String.format(Locale.ROOT, "| %s | %.2f ms | %.2f ms |%n", OTHER.get(k)[0],
          other.get(1)[k] - other.get(0)[k], other.get(3)[k] - other.get(2)[k]));
    }
    return r.toString();
  }

  /** {@link #BIG_TABLES} tables with a primary key each, before capture is installed (its baseline records them). */
  private static void populate(PgUrl url) throws Exception {
    try (Connection c = Database.connect(url); Statement st = c.createStatement()) {
      for (int from = 1; from <= BIG_TABLES; from += 500) { // 500 a transaction: each table's locks are held to its end
        st.execute("DO $$ BEGIN FOR i IN " + from + ".." + Math.min(from + 499, BIG_TABLES) + " LOOP"
            + " EXECUTE format('CREATE TABLE big_%s (id bigint PRIMARY KEY, name text)', i); END LOOP; END $$");
      }
    }
  }

  private static void dropSlot(PgUrl url, String slot) throws Exception {
    try (Connection c = Database.connect(url); Statement st = c.createStatement()) {
      st.execute("SELECT pg_drop_replication_slot('" + slot + "')");
    }
  }

  private static void read(EmbeddedKafka kafka, Map<String, Long> seenAt, AtomicBoolean reading) {
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1);
    try (KafkaConsumer<String, DdlEvent> consumer = new KafkaConsumer<>(props,
        Topics.DDL_EVENTS.keySerde().deserializer(), Topics.DDL_EVENTS.valueSerde().deserializer())) {
      consumer.subscribe(List.of(Topics.DDL_EVENTS.name()));
      while (reading.get()) {
        for (var r : consumer.poll(Duration.ofMillis(1))) {
          long now = System.nanoTime();
          r.value().getRecords().forEach(rec -> seenAt.putIfAbsent(rec.getName(), now));
        }
      }
    }
  }

  private static String report(int runs, int statements, List<Double> plain, List<Double> captured, List<Double> plainWithRows,
                               List<Double> capturedWithRows, List<Double> plainBig, List<Double> capturedBig,
                               List<Long> latencies) {
    Collections.sort(latencies);
    double p50 = latencies.get(latencies.size() / 2) / 1e6;
    double p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1) / 1e6;
    double withoutMedian = median(plain);
    double withMedian = median(captured);
    return String.format(Locale.ROOT, """
        # Capture benchmark

        Produced by `bench/capture/run.sh` (`CaptureBenchmark`; do not edit by hand).

        Machine: %s; %d cores; %s; PostgreSQL from the embedded binaries (`gitversion up`'s), one server for both sides.

        Workload: %d DDL statements, each its own transaction, on one connection: per table CREATE TABLE (with a
        primary key), ADD COLUMN with a default, CREATE INDEX, COMMENT ON. Runs: %d, alternating without and with capture.

        | measure | median | min-max | target |
        |---|---:|---:|---|
        | DDL statements/s without capture | %.0f | %.0f-%.0f | |
        | DDL statements/s with capture | %.0f | %.0f-%.0f | |
        | slowdown with capture (ratio of medians) | %.2f× | | ≤ 1.5× |
        | time capture adds to a statement (difference of the medians' inverses) | %.2f ms | | ≤ 0.75 ms |
        | the same, the median of each run's difference (its two sides run back to back) | %.2f ms | %.2f-%.2f | ≤ 0.75 ms |

        The same statements on tables of %,d rows (inserted after each CREATE TABLE, not timed), %d statements a run:

        | measure | median | min-max |
        |---|---:|---:|
        | DDL statements/s without capture | %.0f | %.0f-%.0f |
        | DDL statements/s with capture | %.0f | %.0f-%.0f |
        | slowdown with capture (ratio of medians) | %.2f× | |
        | time capture adds to a statement | %.2f ms | |

        The first workload in databases that hold %,d tables with their keys already (capture's baseline recorded them),
        the same runs:

        | measure | median | min-max | target |
        |---|---:|---:|---|
        | DDL statements/s without capture | %.0f | %.0f-%.0f | |
        | DDL statements/s with capture | %.0f | %.0f-%.0f | |
        | time capture adds to a statement | %.2f ms | | as in an empty database (%.2f ms) |
        | the same, the median of each run's difference | %.2f ms | %.2f-%.2f | as in an empty database (%.2f ms) |

        Commit → Kafka latency (CREATE TABLE, COMMIT returned → the event readable by a consumer; collector and broker in
        one JVM, poll interval 10 ms), %d samples after 50 warm-up: p50 %.1f ms, p99 %.1f ms (target: p50 ≤ 50 ms).
        """, System.getProperty("os.name") + " " + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
        "Java " + System.getProperty("java.version"), statements, runs,
        withoutMedian, Collections.min(plain), Collections.max(plain),
        withMedian, Collections.min(captured), Collections.max(captured),
        withoutMedian / withMedian, 1000 / withMedian - 1000 / withoutMedian,
        median(added(plain, captured)), Collections.min(added(plain, captured)), Collections.max(added(plain, captured)),
        ROWS, ROWS_STATEMENTS,
        median(plainWithRows), Collections.min(plainWithRows), Collections.max(plainWithRows),
        median(capturedWithRows), Collections.min(capturedWithRows), Collections.max(capturedWithRows),
        median(plainWithRows) / median(capturedWithRows), 1000 / median(capturedWithRows) - 1000 / median(plainWithRows),
        BIG_TABLES, median(plainBig), Collections.min(plainBig), Collections.max(plainBig),
        median(capturedBig), Collections.min(capturedBig), Collections.max(capturedBig),
        1000 / median(capturedBig) - 1000 / median(plainBig), 1000 / withMedian - 1000 / withoutMedian,
        median(added(plainBig, capturedBig)), Collections.min(added(plainBig, capturedBig)), Collections.max(added(plainBig, capturedBig)),
        median(added(plain, captured)),
        latencies.size(), p50, p99);
  }

  /**
   * What capture added to a statement in each run, in ms: the run's two sides ran one after the other, so that a
   * machine whose speed drifts between runs (it did, by a factor of two, on some days) moves both alike.
   */
  private static List<Double> added(List<Double> without, List<Double> with) {
    List<Double> added = new ArrayList<>();
    for (int run = 0; run < without.size(); run++) {
      added.add(1000 / with.get(run) - 1000 / without.get(run));
    }
    return added;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
