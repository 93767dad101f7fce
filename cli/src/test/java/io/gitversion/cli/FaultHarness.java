package io.gitversion.cli;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.collector.SourceInstaller;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.EmbeddedKafka;
import io.gitversion.embedded.EmbeddedPostgres;
import io.gitversion.schemas.SyncResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The fault harness (bench/faults/run.sh): the three stages run as processes of their own (the built jar), on an
 * embedded broker and real PostgreSQL servers (a source, two remotes). For each fault, a stream of DDL transactions of
 * mixed kinds runs in the source while the fault strikes (a stage killed with SIGKILL and started again, several
 * times; the broker stopped and started again; a remote unreachable for 60 s; a remote whose statement timeout makes
 * every apply fail for 30 s); then it waits until every remote hashes as the source does, and reports: transactions
 * committed and captured, commits on Kafka, applied per remote, applied twice, lost, time to converge, and whether
 * the hashes are equal. Writes the report to the file given as the first argument.
 */
public final class FaultHarness {
  private static final Duration CONVERGE = Duration.ofMinutes(10);

  private FaultHarness() {}

  /** One stage as a process of its own, killed and started again at will. */
  private static final class Stage {
    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    Stage(String name, Path logs, String... args) {
      this.name = name;
      this.command = GitversionProcess.command(args);
      this.log = logs.resolve(name + ".log");
    }

    void start() throws Exception {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL
      process.waitFor();
    }

    void destroy() {
      if (process != null) {
        process.destroyForcibly();
      }
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  /** A fault: what it does while the stream runs (at the moments given, in 0..1 of the stream). */
  private record Fault(String name, double[] at, FaultAction action) {}

  @FunctionalInterface
  private interface FaultAction {
    void strike() throws Exception;
  }

  private static EmbeddedKafka kafka;

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int transactions = Integer.parseInt(System.getProperty("transactions", "2000"));
    Path work = Files.createTempDirectory("gitversion-faults-");
    Path logs = Files.createDirectories(work.resolve("logs"));
    kafka = EmbeddedKafka.start(work.resolve("kafka"), true);
    int brokerPort = Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1));
    List<String> rows = new ArrayList<>();
    try (EmbeddedPostgres sourceServer = EmbeddedPostgres.start("source", 200); EmbeddedPostgres r1Server = EmbeddedPostgres.start("r1");
         EmbeddedPostgres r2Server = EmbeddedPostgres.start("r2")) {
      PgUrl source = PgUrl.parse(sourceServer.createDatabase("app"));
      Map<String, PgUrl> remotes = new LinkedHashMap<>();
      remotes.put("r1", PgUrl.parse(r1Server.createDatabase("app")));
      remotes.put("r2", PgUrl.parse(r2Server.createDatabase("app")));
      SourceInstaller.install(source, "gitversion_app");
      String servers = "--kafka.bootstrap.servers=" + kafka.bootstrapServers();
      Stage collector = new Stage("collector", logs, "collector", servers, "--kafka.topic.partitions=1", "--source.url=" + source.toUriWithPassword(),
          "--ops.port=-1");
      Stage processor = new Stage("processor", logs, "processor", servers, "--kafka.topic.partitions=1", "--dashboard.port=-1",
          "--processor.state.dir=" + work.resolve("processor-state"));
      Stage syncer = new Stage("syncer", logs, "syncer", servers, "--kafka.topic.partitions=1", "--ops.port=-1", "--syncer.remotes="
          + String.join(",", remotes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().toUriWithPassword()).toList()));
      List<Stage> stages = List.of(processor, syncer, collector);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stages.forEach(Stage::destroy))); // none outlives the harness
      for (Stage s : stages) {
        s.start();
      }
      Ddl ddl = new Ddl(source);
      ddl.run(1);
      converge(source, remotes, CONVERGE); // the baseline and the first transaction: every stage is up

      PgUrl r1 = remotes.get("r1");
      List<Fault> faults = List.of(
          new Fault("collector killed (SIGKILL) and started again, 3 times", new double[] {0.25, 0.5, 0.75}, () -> restart(collector)),
          new Fault("processor killed (SIGKILL) and started again, 3 times", new double[] {0.25, 0.5, 0.75}, () -> restart(processor)),
          new Fault("syncer killed (SIGKILL) and started again, 3 times", new double[] {0.25, 0.5, 0.75}, () -> restart(syncer)),
          new Fault("broker stopped and started again (same address, same log)", new double[] {0.5}, () -> {
            Path dir = kafka.dataDir();
            int controller = kafka.controllerPort();
            kafka.stopKeepingData();
            Thread.sleep(5_000);
            kafka = EmbeddedKafka.start(dir, true, brokerPort, controller);
          }),
          new Fault("replication slot dropped while the collector was down (20 s), made again by gitversion install", new double[] {0.3}, () -> {
            collector.kill();
            dropSlot(source, "gitversion_app");
            Thread.sleep(20_000); // the stream goes on: captured in the log, in no slot's WAL
            SourceInstaller.install(source, "gitversion_app"); // while the stream goes on: transactions race the new slot
            collector.start();
          }),
          new Fault("remote r1 unreachable for 60 s", new double[] {0.3}, () -> {
            admin(r1, "ALTER DATABASE app ALLOW_CONNECTIONS false",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'app' AND pid <> pg_backend_pid()");
            Thread.sleep(60_000);
            admin(r1, "ALTER DATABASE app ALLOW_CONNECTIONS true");
          }),
          new Fault("remote r1 statement timeout 1 ms for 30 s", new double[] {0.3}, () -> {
            admin(r1, "ALTER DATABASE app SET statement_timeout = '1ms'",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'app' AND pid <> pg_backend_pid()");
            Thread.sleep(30_000);
            admin(r1, "ALTER DATABASE app RESET statement_timeout",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'app' AND pid <> pg_backend_pid()");
          }));
      String only = System.getProperty("faults", ""); // a part of their names, to run some of them
      for (Fault fault : faults) {
        if (!fault.name().contains(only)) {
          continue;
        }
        rows.add(scenario(fault, transactions, source, remotes, ddl));
        System.out.println(rows.get(rows.size() - 1));
      }
      for (Stage s : stages) {
        s.stop();
      }
    } finally {
      kafka.close();
    }
    StringBuilder r = BenchReport.start("Fault harness", "bench/faults/run.sh");
    r.append(String.format(Locale.ROOT, "The collector, processor and syncer run as processes of their own (the built jar) on an embedded broker and "
        + "three PostgreSQL 17 servers (a source, remotes r1 and r2). Per fault: %,d DDL transactions of mixed kinds (create, alter, "
        + "index, view, comment, rename, default, drop) are committed in the source while the fault strikes; then the harness waits "
        + "until both remotes hash as the source. *Captured*: transactions in the source's log; *on Kafka*: commits made; *applied*: "
        + "ledger rows per remote; *twice*: commits reported applied more than once to one remote; *lost*: captured minus applied. "
        + "Committed minus captured: transactions that left every definition as it was (a column renamed and back, a view replaced "
        + "by itself), which capture does not record.%n%n",
        transactions));
    r.append("| fault | committed | captured | on Kafka | applied r1 / r2 | twice | lost | converged after | hashes equal |\n|---|---|---|---|---|---|---|---|---|\n");
    rows.forEach(row -> r.append(row).append('\n'));
    Files.writeString(out, r.toString());
    System.out.print(r);
  }

  private static void restart(Stage stage) throws Exception {
    stage.kill();
    Thread.sleep(2_000);
    stage.start();
  }

  /** Drops the slot once the killed collector's session has let it go. */
  private static void dropSlot(PgUrl source, String slot) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try (Connection c = Database.connect(source); Statement st = c.createStatement()) {
        st.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        return;
      } catch (java.sql.SQLException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200); // still active: the killed collector's walsender has not ended yet
      }
    }
  }

  private static void admin(PgUrl remote, String... statements) throws Exception {
    try (Connection c = Database.connect(remote.withDatabase("postgres")); Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  /** One fault: the stream with the fault striking at its moments, then convergence, and the counts. */
  private static String scenario(Fault fault, int transactions, PgUrl source, Map<String, PgUrl> remotes, Ddl ddl) throws Exception {
    long capturedBefore = captured(source);
    long commitsBefore = endOffset(Topics.COMMITS.name());
    long resultsBefore = endOffset(Topics.SYNC_RESULTS.name());
    Map<String, Long> appliedBefore = new HashMap<>();
    for (Map.Entry<String, PgUrl> e : remotes.entrySet()) {
      appliedBefore.put(e.getKey(), ledger(e.getValue()));
    }
    AtomicInteger done = new AtomicInteger();
    Thread writer = new Thread(() -> {
      try {
        for (int i = 0; i < transactions; i++) {
          ddl.run(1);
          done.incrementAndGet();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "ddl-stream");
    writer.start();
    for (double at : fault.at()) {
      while (done.get() < at * transactions && writer.isAlive()) {
        Thread.sleep(20);
      }
      fault.action().strike();
    }
    writer.join();
    long streamEnd = System.nanoTime();
    boolean equal = converge(source, remotes, CONVERGE);
    double seconds = (System.nanoTime() - streamEnd) / 1e9;
    long captured = captured(source) - capturedBefore;
    long commits = records(Topics.COMMITS.name(), commitsBefore);
    List<Long> applied = new ArrayList<>();
    for (Map.Entry<String, PgUrl> e : remotes.entrySet()) {
      applied.add(ledger(e.getValue()) - appliedBefore.get(e.getKey()));
    }
    long twice = appliedTwice(resultsBefore);
    long lost = applied.stream().mapToLong(a -> Math.max(0, captured - a)).max().orElse(0);
    return String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d / %,d | %d | %d | %.1f s | %s |", fault.name(), done.get(), captured, commits,
        applied.get(0), applied.get(1), twice, lost, seconds, equal ? "yes" : "**no**");
  }

  private static long captured(PgUrl source) throws Exception {
    try (Connection c = Database.connect(source); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(DISTINCT txid) FROM gitversion.ddl_log")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long ledger(PgUrl remote) throws Exception {
    try (Connection c = Database.connect(remote); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM gitversion_sync.applied")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Waits until every remote hashes as the source does (what the syncer's schema holds aside); false after the timeout. */
  private static boolean converge(PgUrl source, Map<String, PgUrl> remotes, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String expected = Inspector.hashes(source, java.util.Set.of(), false).stateHash();
      boolean all = true;
      for (PgUrl remote : remotes.values()) {
        try {
          all &= Inspector.hashes(remote, java.util.Set.of(), false).stateHash().equals(expected);
        } catch (Exception e) {
          all = false;
        }
      }
      if (all) {
        return true;
      }
      Thread.sleep(500);
    }
    return false;
  }

  private static Map<String, Object> consumerProps() {
    return new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "isolation.level", "read_committed"));
  }

  /** How many records a topic holds (its only partition's end offset, read committed). */
  private static long endOffset(String topic) {
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      return c.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** How many records (not transaction markers) the topic's only partition holds from {@code from} on. */
  private static long records(String topic, long from) {
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition p = new TopicPartition(topic, 0);
      c.assign(List.of(p));
      c.seek(p, from);
      long end = c.endOffsets(List.of(p)).get(p);
      long n = 0;
      while (c.position(p) < end) {
        n += c.poll(Duration.ofMillis(500)).count();
      }
      return n;
    }
  }

  /** Commits reported applied to one remote more than once, since {@code from} on the sync results. */
  private static long appliedTwice(long from) {
    Map<String, Integer> applied = new HashMap<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition p = new TopicPartition(Topics.SYNC_RESULTS.name(), 0);
      c.assign(List.of(p));
      c.seek(p, from);
      long end = c.endOffsets(List.of(p)).get(p);
      while (c.position(p) < end) {
        c.poll(Duration.ofMillis(500)).forEach(r -> {
          SyncResult result = Topics.SYNC_RESULTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
          if (result.getStatus().equals("applied")) {
            applied.merge(result.getRemote() + "/" + result.getCommitId(), 1, Integer::sum);
          }
        });
      }
    }
    return applied.values().stream().filter(n -> n > 1).count();
  }

  /** A stream of DDL transactions of mixed kinds, each valid for the tables the stream made before it. */
  private static final class Ddl {
    private final PgUrl source;
    private final Random random = new Random(42);
    private final List<String> tables = new ArrayList<>();
    private final Map<String, Integer> columns = new HashMap<>();
    private int next;

    Ddl(PgUrl source) {
      this.source = source;
    }

    void run(int count) throws Exception {
      try (Connection c = Database.connect(source); Statement st = c.createStatement()) {
        for (int i = 0; i < count; i++) {
          st.execute(next());
        }
      }
    }

    private String next() {
      int kind = tables.size() < 5 ? 0 : random.nextInt(10);
      if (kind == 0 || kind == 1) {
        String t = "t" + next++;
        tables.add(t);
        columns.put(t, 1);
        return "CREATE TABLE " + t + " (id bigint PRIMARY KEY, c0 text)";
      }
      String t = tables.get(random.nextInt(tables.size()));
      int n = columns.get(t);
      return switch (kind) {
        case 2, 3 -> {
          columns.put(t, n + 1);
          yield "ALTER TABLE " + t + " ADD COLUMN c" + n + " int DEFAULT " + random.nextInt(100);
        }
        case 4 -> "CREATE INDEX ON " + t + " (c0)";
        case 5 -> "COMMENT ON TABLE " + t + " IS 'comment " + random.nextInt(1000) + "'";
        case 6 -> "CREATE OR REPLACE VIEW v_" + t + " AS SELECT id, c0 FROM " + t;
        case 7 -> "ALTER TABLE " + t + " ALTER COLUMN c0 SET DEFAULT 'd" + random.nextInt(1000) + "'";
        case 8 -> {
          String to = "c0_" + random.nextInt(1_000_000);
          yield "BEGIN; ALTER TABLE " + t + " RENAME COLUMN c0 TO " + to + "; ALTER TABLE " + t + " RENAME COLUMN " + to + " TO c0; COMMIT";
        }
        default -> {
          tables.remove(t);
          yield "DROP TABLE " + t + " CASCADE";
        }
      };
    }
  }
}
