package io.gitversion.cli;

import io.gitversion.catalog.PgUrl;
import io.gitversion.cli.support.EmbeddedPipeline;
import io.gitversion.cli.support.Registry;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.schemas.TenantTemplate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tenants benchmark (bench/tenants/run.sh): the embedded pipeline, a template schema in its source and N tenant
 * schemas in the same database (registered in the registry as {@code gitversion tenants add} registers them, and
 * created by the running syncer from the template's state), then changes of the template, one at a time: for each, the
 * time from its COMMIT returning at the source to the last tenant's verified result (applied, hashes checked) as a
 * subscriber reads them on {@code gitversion.sync-results}. Writes the report to the file given as the first argument.
 */
public final class TenantsBenchmark {
  private TenantsBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int tenants = Integer.parseInt(System.getProperty("tenants", "1000"));
    int changes = Integer.parseInt(System.getProperty("changes", "3"));
    int parallelism = Integer.parseInt(System.getProperty("parallelism", "4"));
    int waveSize = Integer.parseInt(System.getProperty("waveSize", "250"));
    List<Double> seconds = new ArrayList<>();
    double setup;
    long setupStart = System.nanoTime();
    try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(0)) {
      PgUrl source = pipeline.source();
      Map<String, Set<String>> verified = new ConcurrentHashMap<>(); // commit id (or "rebased") -> tenants
      Map<String, Long> lastAt = new ConcurrentHashMap<>();
      AtomicBoolean reading = new AtomicBoolean(true);
      Thread reader = new Thread(() -> SyncBenchmark.follow(pipeline.bootstrapServers(), reading, commit -> { }, (result, at) -> {
        verified.computeIfAbsent(result.getCommitId(), k -> ConcurrentHashMap.newKeySet()).add(result.getRemote());
        lastAt.merge(result.getCommitId(), at, Math::max);
      }));
      reader.start();
      try {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pipeline.dashboardUrl()).resolve("api/modules/advanced"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\": true}")).header("Content-Type", "application/json").build(),
            HttpResponse.BodyHandlers.ofString());
        TestDb.exec(source, "GRANT gitversion_syncer TO postgres", // as gitversion tenants template requires: tenants' changes are no source's
            "CREATE SCHEMA app", "CREATE TABLE app.items (id int PRIMARY KEY, name text NOT NULL)",
            "CREATE INDEX items_name ON app.items (name)");
        Registry registry = new Registry(Map.of("bootstrap.servers", pipeline.bootstrapServers()), pipeline.bootstrapServers());
        awaitState(pipeline);
        registry.writeTemplate("app", TenantTemplate.newBuilder().setName("app").setSource(source.database()).setSchema$("app")
            .setUrl(source.toString()).setWaveSize(waveSize).setParallelism(parallelism).setChangedBy("bench").setChangedAt(Instant.now()).build());
        for (int t = 1; t <= tenants; t++) {
          RemoteSpec entry = RemoteSpec.newBuilder(Registry.entry("tenant_" + t, source.toString(), null, List.of(source.database()),
                  List.of("app"), List.of(), List.of(), Map.of("app", "t_" + t), null, "bench"))
              .setTemplate("app").build();
          registry.write(entry.getName(), entry);
        }
        long deadline = System.nanoTime() + 1_800_000_000_000L;
        for (long created = 0; created < tenants; created = TestDb.count(source,
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'items' AND schemaname LIKE 't\\_%'")) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the tenants were not created within 30 minutes: " + created);
          }
          Thread.sleep(1000);
        }
        verified.clear();
        setup = (System.nanoTime() - setupStart) / 1e9;
        for (int c = 1; c <= changes; c++) {
          long committed = System.nanoTime();
          TestDb.exec(source, "ALTER TABLE app.items ADD COLUMN c" + c + " int DEFAULT " + c);
          String commit = null;
          long until = System.nanoTime() + 300_000_000_000L;
          while (System.nanoTime() < until) {
            commit = verified.entrySet().stream().filter(e -> e.getValue().size() >= tenants && lastAt.get(e.getKey()) > committed)
                .map(Map.Entry::getKey).findFirst().orElse(null);
            if (commit != null) {
              break;
            }
            Thread.sleep(20);
          }
          if (commit == null) {
            throw new IllegalStateException("change " + c + " did not reach every tenant within 5 minutes");
          }
          seconds.add((lastAt.get(commit) - committed) / 1e9);
          verified.remove(commit);
          System.out.printf(Locale.ROOT, "change %d: %d tenants verified in %.2f s%n", c, tenants, seconds.get(seconds.size() - 1));
        }
      } finally {
        reading.set(false);
        reader.join();
      }
    }
    List<Double> sorted = new ArrayList<>(seconds);
    Collections.sort(sorted);
    StringBuilder r = BenchReport.start("Tenants benchmark", "bench/tenants/run.sh");
    r.append(String.format(Locale.ROOT, "One template (a table with a key and an index) and %,d tenant schemas in the same database, the "
        + "embedded pipeline in one JVM (broker, processor, syncer; PostgreSQL from the embedded binaries), waves of %d, %d at once. "
        + "Each change is an `ALTER TABLE ... ADD COLUMN ... DEFAULT` of the template, timed from its COMMIT at the source to the last "
        + "tenant's verified result on `gitversion.sync-results`. Setup (the tenants created from the template by the syncer) %.0f s.%n%n",
        tenants, waveSize, parallelism, setup));
    r.append("| change | seconds to all verified |\n|---|---|\n");
    for (int i = 0; i < seconds.size(); i++) {
      r.append(String.format(Locale.ROOT, "| %d | %.2f |%n", i + 1, seconds.get(i)));
    }
    r.append(String.format(Locale.ROOT, "%nMedian: %.2f s (target: ≤ 30 s).%n", sorted.get(sorted.size() / 2)));
    Files.writeString(out, r.toString());
    System.out.print(r);
  }

  /** Until the source's published history has the template's index (its last change). */
  private static void awaitState(EmbeddedPipeline pipeline) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 600; i++) {
      String definitions = http.send(HttpRequest.newBuilder(URI.create(pipeline.dashboardUrl()).resolve("api/sources/"
          + pipeline.source().database() + "/definitions")).build(), HttpResponse.BodyHandlers.ofString()).body();
      if (definitions.contains("items_name")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the template's index was not captured within a minute");
  }

  /** Statements on a database, each in its own transaction. */
  private static final class TestDb {
    static long count(PgUrl url, String sql) throws java.sql.SQLException {
      try (java.sql.Connection c = io.gitversion.catalog.Database.connect(url); java.sql.Statement st = c.createStatement();
           java.sql.ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    }

    static void exec(PgUrl url, String... statements) throws java.sql.SQLException {
      try (java.sql.Connection c = io.gitversion.catalog.Database.connect(url); java.sql.Statement st = c.createStatement()) {
        for (String sql : statements) {
          st.execute(sql);
        }
      }
    }
  }
}
