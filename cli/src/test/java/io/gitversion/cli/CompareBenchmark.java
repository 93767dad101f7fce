package io.gitversion.cli;

import io.gitversion.catalog.PgUrl;
import io.gitversion.cli.support.EmbeddedPipeline;
import io.gitversion.cli.support.Registry;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.embedded.EmbeddedPostgres;
import io.gitversion.schemas.RemoteSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The compare benchmark (bench/compare/run.sh): {@code gitversion compare A --all-remotes} of a database of N tables
 * (each with a primary key and an index) against R remotes of the registry holding the same tables (copies made with
 * {@code CREATE DATABASE ... TEMPLATE}), one of which differs in one table. The command runs as a user runs it: the
 * launcher, in a JVM of its own, while the pipeline runs (registry read from Kafka, the sync module checked through
 * the query API, every database's hashes read at once). Writes the report to the file given as the first argument.
 */
public final class CompareBenchmark {
  private CompareBenchmark() {}

  private static void exec(PgUrl url, String sql) throws java.sql.SQLException {
    try (java.sql.Connection c = io.gitversion.catalog.Database.connect(url); java.sql.Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int tables = Integer.parseInt(System.getProperty("tables", "10000"));
    int remotes = Integer.parseInt(System.getProperty("remotes", "20"));
    int runs = Integer.parseInt(System.getProperty("runs", "3"));
    List<Double> first = new ArrayList<>();
    List<Double> again = new ArrayList<>();
    List<Double> changed = new ArrayList<>();
    double setup;
    String last = "";
    long setupStart = System.nanoTime();
    try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(0); EmbeddedPostgres server = EmbeddedPostgres.start("compare")) {
      PgUrl a = PgUrl.parse(server.createDatabase("compared"));
      for (int from = 1; from <= tables; from += 500) { // a transaction each: 500 tables' locks fit, 10,000 do not
        exec(a, "DO $$ BEGIN FOR i IN " + from + ".." + Math.min(tables, from + 499) + " LOOP "
            + "EXECUTE format('CREATE TABLE t%s (id bigint PRIMARY KEY, name text, at timestamptz)', i); "
            + "EXECUTE format('CREATE INDEX t%s_name ON t%s (name)', i, i); END LOOP; END $$");
      }
      // as a database in use is: autovacuum would have vacuumed and analyzed the catalogs after 10,000 CREATE TABLEs
      // (each table's row was updated by its key and its index: two dead versions each); the copies are made after
      exec(a, "VACUUM ANALYZE");
      PgUrl admin = PgUrl.parse(server.url("postgres"));
      Map<String, Object> kafka = Map.of("bootstrap.servers", pipeline.bootstrapServers());
      Registry registry = new Registry(kafka, pipeline.bootstrapServers());
      for (int r = 1; r <= remotes; r++) {
        exec(admin, "CREATE DATABASE remote_" + r + " TEMPLATE compared");
        registry.write("remote_" + r, RemoteSpec.newBuilder().setName("remote_" + r).setUrl(server.url("remote_" + r))
            .setChangedBy("bench").setChangedAt(Instant.now()).setPaused(true).build()); // paused: the syncer leaves them alone
      }
      exec(PgUrl.parse(server.url("remote_" + remotes)), "ALTER TABLE t1 ADD COLUMN by_hand int");
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pipeline.dashboardUrl()).resolve("api/modules/sync"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\": true}")).header("Content-Type", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
      // settled, as databases in use are: 21 copies of 10,000 tables were just written (fsync is off), and the kernel
      // writing them back while the runs are timed took a third of their time
      exec(admin, "CHECKPOINT");
      new ProcessBuilder("sync").inheritIO().start().waitFor();
      setup = (System.nanoTime() - setupStart) / 1e9;
      Path launcher = Path.of(System.getProperty("launcher", "gitversion")).toAbsolutePath();
      Path cache = Files.createTempDirectory("gitversion-compare-cache");
      Compare compare = new Compare(launcher, cache, a, pipeline);
      for (int run = 0; run < runs; run++) { // the first compare: nothing kept (every database hashed)
        deleteTree(cache);
        first.add(compare.timed("remote_" + remotes));
      }
      for (int run = 0; run < runs; run++) { // again, nothing changed: every fingerprint the same
        again.add(compare.timed("remote_" + remotes));
      }
      for (int run = 0; run < runs; run++) { // again, after a change on one remote: that one hashed again
        exec(PgUrl.parse(server.url("remote_1")), "COMMENT ON TABLE t2 IS 'run " + run + "'");
        changed.add(compare.timed("remote_1", "remote_" + remotes));
      }
      last = compare.last;
      deleteTree(cache);
    }
    StringBuilder r = BenchReport.start("Compare benchmark", "bench/compare/run.sh");
    r.append(String.format(Locale.ROOT, "`gitversion compare A --all-remotes`: A a database of %,d tables (each with a key and an index: %,d objects "
        + "and more), against %d remotes of the registry holding the same (one of them differs in one table), all on one embedded "
        + "PostgreSQL server; `gitversion compare` run by the launcher in a JVM of its own while the pipeline runs (timed from start to exit), "
        + "registry and modules read as a user's command reads them. Setup %.0f s.%n%n"
        + "A database whose catalog fingerprint is the one its hashes were kept at is not hashed again (docs/modules.md, "
        + "\"Hashes kept between runs\"). Three cases, %d runs each: the first compare (the cache emptied before each run: all %d databases hashed), "
        + "a compare again with nothing changed (%d fingerprints read, no database hashed), and a compare again after a "
        + "`COMMENT ON TABLE` on one remote before each run (that remote hashed again, and found different).%n%n",
        tables, tables * 3, remotes, setup, runs, remotes + 1, remotes + 1));
    r.append("| case | runs (s) | median (s) | target |\n|---|---|---:|---|\n");
    r.append(row("first compare (nothing kept)", first));
    r.append(row("again, nothing changed", again));
    r.append(row("again, one remote changed", changed));
    r.append(String.format(Locale.ROOT, "%nThe last run printed:%n%n```%n%s```%n", last.lines().limit(25).reduce("", (x, y) -> x + y + "\n")));
    Files.writeString(out, r.toString());
    System.out.print(r);
  }

  private static double median(List<Double> seconds) {
    List<Double> sorted = new ArrayList<>(seconds);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static String row(String name, List<Double> seconds) {
    String runs = String.join(", ", seconds.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
    double median = median(seconds);
    return String.format(Locale.ROOT, "| %s | %s | %.2f | ≤ 10 s: %s |%n", name, runs, median, median <= 10.0 ? "met" : "not met");
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** {@code gitversion compare A --all-remotes} as a user runs it: the launcher, in a JVM of its own, next to the pipeline. */
  private static final class Compare {
    private final Path launcher;
    private final Path cache;
    private final PgUrl a;
    private final EmbeddedPipeline pipeline;
    String last = "";

    Compare(Path launcher, Path cache, PgUrl a, EmbeddedPipeline pipeline) {
      this.launcher = launcher;
      this.cache = cache;
      this.a = a;
      this.pipeline = pipeline;
    }

    /** Seconds from start to exit; fails unless exactly {@code differing} remotes were found to differ, in one object each. */
    double timed(String... differing) throws Exception {
      long start = System.nanoTime();
      ProcessBuilder command = new ProcessBuilder(launcher.toString(), "compare", a.toUriWithPassword(), "--all-remotes",
          "--api=" + pipeline.dashboardUrl(), "--" + KafkaSettings.BOOTSTRAP_SERVERS_CONFIG + "=" + pipeline.bootstrapServers())
          .redirectErrorStream(true);
      command.environment().put("GITVERSION_CACHE", cache.toString());
      Process compare = command.start();
      last = new String(compare.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = compare.waitFor();
      double seconds = (System.nanoTime() - start) / 1e9;
      long found = last.lines().filter(line -> line.endsWith(": 1 object(s) differ")).count();
      boolean all = java.util.Arrays.stream(differing).allMatch(name -> last.contains(name + ": 1 object(s) differ"));
      if (code != 3 || !all || found != differing.length) {
        throw new IllegalStateException("compare did not find the differences in " + List.of(differing) + " (exit " + code + "):\n" + last);
      }
      return seconds;
    }
  }
}
