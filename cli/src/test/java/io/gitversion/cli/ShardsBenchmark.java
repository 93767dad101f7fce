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
 * The shards benchmark (bench/shards/run.sh): {@code gitversion shards check GROUP} of S databases of N objects each
 * (a quarter tables with a primary key, a quarter their keys, a quarter indexes, a quarter views; copies made with
 * {@code CREATE DATABASE ... TEMPLATE}), two of which differ: one has a column more, one lacks a view. The group is
 * remotes of the registry (paused: the syncer leaves them alone). The command runs as a user runs it: the launcher, in
 * a JVM of its own, while the pipeline runs; it reads every member's hashes, names the two, and plans their repairs.
 * Writes the report to the file given as the first argument.
 */
public final class ShardsBenchmark {
  private ShardsBenchmark() {}

  private static void exec(PgUrl url, String sql) throws java.sql.SQLException {
    try (java.sql.Connection c = io.gitversion.catalog.Database.connect(url); java.sql.Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int shards = Integer.parseInt(System.getProperty("shards", "32"));
    int objects = Integer.parseInt(System.getProperty("objects", "2000"));
    int runs = Integer.parseInt(System.getProperty("runs", "5"));
    int tables = objects / 4;
    List<Double> seconds = new ArrayList<>();
    double setup;
    String last = "";
    long setupStart = System.nanoTime();
    try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(0); EmbeddedPostgres server = EmbeddedPostgres.start("shards")) {
      PgUrl template = PgUrl.parse(server.createDatabase("shard_template"));
      exec(template, "DO $$ BEGIN FOR i IN 1.." + tables + " LOOP "
          + "EXECUTE format('CREATE TABLE t%s (id bigint PRIMARY KEY, name text, at timestamptz)', i); "
          + "EXECUTE format('CREATE INDEX t%s_name ON t%s (name)', i, i); "
          + "EXECUTE format('CREATE VIEW v%s AS SELECT id, name FROM t%s', i, i); END LOOP; END $$");
      exec(template, "VACUUM ANALYZE");
      PgUrl admin = PgUrl.parse(server.url("postgres"));
      Registry registry = new Registry(Map.of("bootstrap.servers", pipeline.bootstrapServers()), pipeline.bootstrapServers());
      for (int s = 1; s <= shards; s++) {
        exec(admin, "CREATE DATABASE shard_" + s + " TEMPLATE shard_template");
        registry.write("shard_" + s, RemoteSpec.newBuilder().setName("shard_" + s).setUrl(server.url("shard_" + s)).setGroup("bench")
            .setChangedBy("bench").setChangedAt(Instant.now()).setPaused(true).build()); // paused: the syncer leaves them alone
      }
      exec(PgUrl.parse(server.url("shard_3")), "ALTER TABLE t1 ADD COLUMN by_hand int");
      exec(PgUrl.parse(server.url("shard_" + shards)), "DROP VIEW v2");
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pipeline.dashboardUrl()).resolve("api/modules/advanced"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\": true}")).header("Content-Type", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
      exec(admin, "CHECKPOINT");
      new ProcessBuilder("sync").inheritIO().start().waitFor();
      setup = (System.nanoTime() - setupStart) / 1e9;
      Path launcher = Path.of(System.getProperty("launcher", "gitversion")).toAbsolutePath();
      for (int run = 0; run < runs; run++) {
        long start = System.nanoTime();
        Process check = new ProcessBuilder(launcher.toString(), "shards", "check", "bench", "--api=" + pipeline.dashboardUrl(),
            "--" + KafkaSettings.BOOTSTRAP_SERVERS_CONFIG + "=" + pipeline.bootstrapServers()).redirectErrorStream(true).start();
        last = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = check.waitFor();
        seconds.add((System.nanoTime() - start) / 1e9);
        if (code != 3 || !last.contains("divergent: shard_3 (1 object(s)), shard_" + shards + " (1 object(s))")) {
          throw new IllegalStateException("shards check did not name the two divergent shards (exit " + code + "):\n" + last);
        }
      }
    }
    List<Double> sorted = new ArrayList<>(seconds);
    Collections.sort(sorted);
    StringBuilder r = BenchReport.start("Shards benchmark", "bench/shards/run.sh");
    r.append(String.format(Locale.ROOT, "`gitversion shards check GROUP`: a group of %d databases (remotes of the registry) of %,d objects each "
        + "(%d tables, their keys, an index each, a view each), all on one embedded PostgreSQL server; two differ (a column added by hand on "
        + "one, a view dropped on another). Run by the launcher in a JVM of its own while the pipeline runs, timed from start to exit: "
        + "registry and module read from Kafka, every member's hashes read, the matrix, and the two repair plans (definitions read of the "
        + "two and of one member that holds the majority's). Setup %.0f s.%n%n", shards, tables * 4, tables, setup));
    r.append("| run | seconds |\n|---|---|\n");
    for (int i = 0; i < seconds.size(); i++) {
      r.append(String.format(Locale.ROOT, "| %d | %.2f |%n", i + 1, seconds.get(i)));
    }
    r.append(String.format(Locale.ROOT, "%nMedian: %.2f s (target: ≤ 15 s). The last run printed:%n%n```%n%s```%n", sorted.get(sorted.size() / 2),
        last.lines().limit(30).reduce("", (x, y) -> x + y + "\n")));
    Files.writeString(out, r.toString());
    System.out.print(r);
  }
}
