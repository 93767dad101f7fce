package io.gitversion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.EmbeddedKafka;
import io.gitversion.processor.ProcessorConfig;
import io.gitversion.processor.ProcessorStage;
import io.gitversion.schemas.Author;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.ObjectVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The history benchmark (bench/history/run.sh): a source's history of N objects with V versions each, written as
 * the processor writes it (commits of ten object changes each on {@code gitversion.commits}, every version with its
 * definition), served by one processor instance; then object look-ups ({@code GET .../objects/public.tNNN}) and
 * histories ({@code GET .../objects/public.tNNN/history}) over HTTP at random, one at a time, p50 and p99 per run; and
 * the time a processor whose state directory was deleted takes to answer the whole history again. Writes the report to
 * the file given as the first argument.
 */
public final class HistoryBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private HistoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int objects = Integer.parseInt(System.getProperty("objects", "10000"));
    int versions = Integer.parseInt(System.getProperty("versions", "10"));
    int runs = Integer.parseInt(System.getProperty("runs", "3"));
    int samples = Integer.parseInt(System.getProperty("samples", "1000"));
    StringBuilder report = new StringBuilder();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, Object> keys = Map.of(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), KafkaSettings.TOPIC_PARTITIONS_CONFIG, "1");
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        Topics.createAll(admin, kafka.bootstrapServers(), 1, (short) 1);
      }
      long written = System.nanoTime();
      int commits = write(kafka.bootstrapServers(), objects, versions);
      double writeSeconds = (System.nanoTime() - written) / 1e9;
      Path stateDir = Files.createTempDirectory("gitversion-history-bench-");
      List<double[]> lookups = new ArrayList<>();
      List<double[]> histories = new ArrayList<>();
      double firstBuild;
      long started = System.nanoTime();
      try (ProcessorStage processor = processor(keys, stateDir)) {
        firstBuild = awaitWhole(processor, started, commits, objects, versions);
        String api = processor.dashboardUrl().orElseThrow();
        Random random = new Random(42);
        for (int run = 0; run < runs; run++) {
          lookups.add(sample(api, random, objects, samples, ""));
          histories.add(sample(api, random, objects, samples, "/history"));
        }
      }
      List<Double> rebuilds = new ArrayList<>();
      for (int run = 0; run < runs; run++) {
        deleteTree(stateDir);
        long restarted = System.nanoTime();
        try (ProcessorStage processor = processor(keys, stateDir)) {
          rebuilds.add(awaitWhole(processor, restarted, commits, objects, versions));
        }
      }
      deleteTree(stateDir);
      report.append(report(objects, versions, commits, writeSeconds, firstBuild, lookups, histories, rebuilds, samples));
    }
    Files.writeString(out, report.toString());
    System.out.print(report);
  }

  /** Writes the history: V rounds, each changing every object once, ten objects a commit. Returns the commits written. */
  private static int write(String bootstrap, int objects, int versions) throws Exception {
    Map<String, Object> props = new java.util.HashMap<>(KafkaSettings.largeRecords());
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    String parent = null;
    int commits = 0;
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    try (KafkaProducer<String, Commit> producer = new KafkaProducer<>(props, Topics.COMMITS.keySerde().serializer(), Topics.COMMITS.valueSerde().serializer())) {
      for (int v = 1; v <= versions; v++) {
        for (int first = 0; first < objects; first += 10) {
          String id = io.gitversion.catalog.model.Sha256.of("bench " + v + " " + first);
          List<Change> changes = new ArrayList<>();
          for (int o = first; o < Math.min(objects, first + 10); o++) {
            ObjectVersion after = version(o, v, id, at);
            changes.add(Change.newBuilder().setCommitId(id).setDatabase("app").setPosition(changes.size()).setObjectKey("table:" + (100000 + o))
                .setKind("table").setAction(v == 1 ? "create" : "alter").setStatement("ALTER TABLE public.t" + o + " ADD COLUMN c" + v + " int")
                .setBefore(v == 1 ? null : version(o, v - 1, "previous", at)).setAfter(after).setForwardSql(List.of()).build());
          }
          Commit commit = Commit.newBuilder().setId(id).setParent(parent).setDatabase("app").setEventId("app:" + id).setTxId(commits)
              .setAuthor(Author.newBuilder().setRole("bench").build()).setCommittedAt(at).setStatements(List.of("bench"))
              .setChanges(changes).build();
          producer.send(new ProducerRecord<>(Topics.COMMITS.name(), "app", commit));
          parent = id;
          commits++;
          at = at.plusMillis(10);
        }
      }
      producer.flush();
    }
    return commits;
  }

  /** Table {@code public.tN} at version V: N's columns c1..cV, with its definition as capture records it. */
  private static ObjectVersion version(int o, int v, String commitId, Instant at) {
    StringBuilder ddl = new StringBuilder("CREATE TABLE \"public\".\"t" + o + "\" (\n    \"id\" integer");
    StringBuilder columns = new StringBuilder("{\"num\": 1, \"name\": \"id\", \"type\": \"integer\", \"notNull\": false, \"definition\": \"\\\"id\\\" integer\"}");
    for (int c = 2; c <= v; c++) {
      ddl.append(",\n    \"c").append(c).append("\" integer");
      columns.append(", {\"num\": ").append(c).append(", \"name\": \"c").append(c).append("\", \"type\": \"integer\", \"notNull\": false, \"definition\": \"\\\"c")
          .append(c).append("\\\" integer\"}");
    }
    ddl.append("\n);");
    String canonical = ddl.toString();
    String snapshot = "{\"kind\": \"table\", \"schema\": \"public\", \"name\": \"t" + o + "\", \"persistence\": \"p\", \"columns\": [" + columns + "]}";
    String definition;
    try {
      definition = JSON.writeValueAsString(Map.of("kind", "table", "schema", "public", "name", "t" + o, "identity", "t" + o,
          "ddl", canonical, "deps", List.of("schema public"), "extra", Map.of("owner", "bench", "replicaIdentity", "d"),
          "snapshot", JSON.readTree(snapshot), "canonical", canonical, "tail", ""));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return ObjectVersion.newBuilder().setDatabase("app").setObjectKey("table:" + (100000 + o)).setKind("table").setSchema$("public")
        .setName("t" + o).setVersion(v).setSemver("1." + (v - 1) + ".0").setHash(io.gitversion.catalog.model.Sha256.of(canonical))
        .setCanonical(canonical).setSnapshot(snapshot).setChangedAt(at).setChangedBy("bench").setCommitId(commitId).setDefinition(definition).build();
  }

  private static ProcessorStage processor(Map<String, Object> keys, Path stateDir) throws InterruptedException {
    Map<String, Object> config = new java.util.HashMap<>(keys);
    config.put(ProcessorConfig.DASHBOARD_PORT_CONFIG, "0");
    config.put(ProcessorConfig.STATE_DIR_CONFIG, stateDir.toString());
    return new ProcessorStage(new ProcessorConfig(config)).start(Duration.ofMinutes(5));
  }

  /** Seconds from {@code start} (the processor's start) until the API answers every commit and the last object's every version. */
  private static double awaitWhole(ProcessorStage processor, long start, int commits, int objects, int versions) throws Exception {
    String api = processor.dashboardUrl().orElseThrow();
    while (true) {
      HttpResponse<String> source = get(api, "api/sources/app");
      if (source.statusCode() == 200 && JSON.readTree(source.body()).path("commits").asInt() == commits) {
        HttpResponse<String> last = get(api, "api/sources/app/objects/public.t" + (objects - 1) + "/history");
        if (last.statusCode() == 200 && JSON.readTree(last.body()).size() == versions) {
          return (System.nanoTime() - start) / 1e9;
        }
      }
      if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
        throw new IllegalStateException("the history was not whole within 10 minutes: " + source.body());
      }
      Thread.sleep(100);
    }
  }

  /** One run: {@code samples} requests for random objects, one at a time; latencies in ms, sorted. */
  private static double[] sample(String api, Random random, int objects, int samples, String suffix) throws Exception {
    for (int i = 0; i < samples / 10; i++) {
      get(api, "api/sources/app/objects/public.t" + random.nextInt(objects) + suffix); // warm-up
    }
    double[] ms = new double[samples];
    for (int i = 0; i < samples; i++) {
      String path = "api/sources/app/objects/public.t" + random.nextInt(objects) + suffix;
      long start = System.nanoTime();
      HttpResponse<String> r = get(api, path);
      ms[i] = (System.nanoTime() - start) / 1e6;
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
      }
    }
    java.util.Arrays.sort(ms);
    return ms;
  }

  private static HttpResponse<String> get(String api, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(api).resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double pct(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static String report(int objects, int versions, int commits, double writeSeconds, double firstBuild, List<double[]> lookups,
                               List<double[]> histories, List<Double> rebuilds, int samples) {
    StringBuilder r = new StringBuilder();
    r.append("# History benchmark\n\n");
    r.append(String.format(Locale.ROOT, "Written by `bench/history/run.sh` on %s (%d cores, %d MiB heap max, Java %s, %s).%n%n",
        Instant.now().toString().substring(0, 10), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"), System.getProperty("os.name") + " " + System.getProperty("os.arch")));
    r.append(String.format(Locale.ROOT, "A source of %,d objects (tables) with %,d versions each: %,d versions in %,d commits of ten changes, "
        + "written to `gitversion.commits` in %.1f s; one processor instance (broker in process) built its history in %.1f s.%n%n",
        objects, versions, objects * versions, commits, writeSeconds, firstBuild));
    r.append("| request | run | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n");
    for (int i = 0; i < lookups.size(); i++) {
      r.append(String.format(Locale.ROOT, "| object look-up `GET /api/sources/app/objects/public.tN` | %d | %.2f | %.2f | %.2f |%n", i + 1,
          pct(lookups.get(i), .5), pct(lookups.get(i), .99), lookups.get(i)[lookups.get(i).length - 1]));
    }
    for (int i = 0; i < histories.size(); i++) {
      r.append(String.format(Locale.ROOT, "| history `GET .../objects/public.tN/history` (%d versions) | %d | %.2f | %.2f | %.2f |%n", versions, i + 1,
          pct(histories.get(i), .5), pct(histories.get(i), .99), histories.get(i)[histories.get(i).length - 1]));
    }
    List<Double> lookupP99 = lookups.stream().map(s -> pct(s, .99)).toList();
    List<Double> historyP99 = histories.stream().map(s -> pct(s, .99)).toList();
    r.append(String.format(Locale.ROOT, "%nMedian of the runs' p99: look-up %.2f ms, history %.2f ms (target: p99 ≤ 20 ms). %d requests a run, "
        + "one at a time, random objects, over HTTP on the loopback.%n%n", median(lookupP99), median(historyP99), samples));
    r.append("Rebuild after the state directory is deleted (a new processor instance, the same application, until the API answers "
        + "every commit and the last object's every version):\n\n| run | seconds |\n|---|---|\n");
    for (int i = 0; i < rebuilds.size(); i++) {
      r.append(String.format(Locale.ROOT, "| %d | %.1f |%n", i + 1, rebuilds.get(i)));
    }
    r.append(String.format(Locale.ROOT, "%nMedian rebuild: %.1f s (target: ≤ 60 s).%n", median(rebuilds)));
    return r.toString();
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
