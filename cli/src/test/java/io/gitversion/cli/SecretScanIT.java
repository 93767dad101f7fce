package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret scan (issue 20): a run in which passwords are given the ways a user gives them (in database URLs to the
 * commands, from a file for a remote of the registry) leaves them in no topic, no command's output or log, no answer
 * of the query API and not on the dashboard's page.
 */
class SecretScanIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String SECRET = "Scan-S3cret-" + Long.toHexString(System.nanoTime());
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static PgUrl withSecret(PgUrl url) {
    return url.withPassword(SECRET);
  }

  @Test
  void passwordsGivenToTheCommandsAppearNowhere(@TempDir Path dir) throws Exception {
    PgUrl source = pipeline.source();
    PgUrl r1 = pipeline.remotes().get("r1");
    TestDatabase.at(source.toUriWithPassword()).exec("ALTER ROLE postgres PASSWORD '" + SECRET + "'", "CREATE SCHEMA app",
        "CREATE TABLE app.scanned (id int PRIMARY KEY, note text)");
    String kafka = "--kafka.bootstrap.servers=" + pipeline.bootstrapServers();
    String api = "--api=" + pipeline.dashboardUrl();
    List<String> outputs = new ArrayList<>();
    outputs.add(run("modules", "enable", "sync", api).stdout());
    outputs.add(run("modules", "enable", "advanced", api).stdout());

    Path file = dir.resolve("password");
    Files.writeString(file, SECRET + "\n");
    TestDatabase.at(source.toUriWithPassword()).exec("CREATE DATABASE vault");
    PgUrl vault = source.withDatabase("vault");
    record(outputs, run("remote", "add", "vault", vault.toString(), "--password-from", "file:" + file, kafka));
    record(outputs, run("remote", "add", "leaky", withSecret(vault).toString(), kafka), 2);
    Await.until("the remote of the registry has the table", WAIT,
        () -> !"null".equals(String.valueOf(TestDatabase.at(vault.toUriWithPassword()).value("SELECT to_regclass('app.scanned')"))));

    record(outputs, run("inspect", withSecret(source).toString()));
    record(outputs, run("diff", "--from", withSecret(r1).toString(), "--to", withSecret(source).toString()));
    record(outputs, run("compare", withSecret(source).toString(), withSecret(r1).toString(), api, kafka));
    record(outputs, run("compare", "source:app", "--all-remotes", api, kafka));
    record(outputs, run("shards", "check", withSecret(source).toString(), withSecret(r1).toString(), api, kafka));
    record(outputs, run("status", api));
    record(outputs, run("remote", "list", kafka));
    record(outputs, run("remote", "show", "vault", kafka));
    record(outputs, run("bluegreen", "start", withSecret(source).toString(), "--schema", "app", "--file", script(dir), api, kafka));
    record(outputs, run("bluegreen", "status", "--json", api, kafka));
    record(outputs, run("bluegreen", "rollback", withSecret(source).toString(), "--schema", "app", api, kafka));
    record(outputs, run("inspect", "postgresql://postgres:" + SECRET + "@127.0.0.1:1/nowhere"), 2); // an error naming the URL
    assertTrue(outputs.stream().anyMatch(o -> o.contains("cannot")), "the unreachable URL was reported");

    // the stages as processes of their own, their whole log read: a collector on a second source and a syncer for a
    // new remote, each given its database's URL with the password in it
    TestDatabase.at(source.toUriWithPassword()).exec("CREATE DATABASE ledger");
    PgUrl ledger = source.withDatabase("ledger");
    io.gitversion.collector.SourceInstaller.install(ledger, "gitversion_ledger");
    outputs.add(stage(dir, "collector streaming", "collector", "--source.url=" + withSecret(ledger), kafka, "--ops.port=-1"));
    TestDatabase.at(r1.toUriWithPassword()).exec("CREATE DATABASE copy");
    PgUrl copy = r1.withDatabase("copy");
    outputs.add(stage(dir, "syncer running", "syncer", "--syncer.remotes=copy=" + withSecret(copy), "--syncer.group.prefix=scan.",
        kafka, "--ops.port=-1"));
    assertFalse("null".equals(String.valueOf(TestDatabase.at(copy.toUriWithPassword()).value("SELECT to_regclass('app.scanned')"))),
        "the syncer process worked on its remote");
    for (String output : outputs) {
      assertFalse(output.contains(SECRET), "a command printed the password:\n" + output);
    }

    // every topic, every record, key and value and headers
    Map<String, Object> props = new HashMap<>(Map.of("bootstrap.servers", pipeline.bootstrapServers()));
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : consumer.listTopics().keySet()) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long records = 0;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (var r : consumer.poll(Duration.ofMillis(500))) {
          records++;
          StringBuilder all = new StringBuilder();
          if (r.key() != null) {
            all.append(new String(r.key(), StandardCharsets.ISO_8859_1));
          }
          if (r.value() != null) {
            all.append(new String(r.value(), StandardCharsets.ISO_8859_1));
          }
          r.headers().forEach(h -> all.append(new String(h.value(), StandardCharsets.ISO_8859_1)));
          assertFalse(all.toString().contains(SECRET), "the password is on " + r.topic() + "@" + r.offset());
        }
      }
      assertTrue(records > 50, "the topics were read: " + records + " records");
      assertTrue(partitions.stream().anyMatch(p -> p.topic().equals(Topics.BLUEGREEN.name())), "the run used the advanced module's topics");
    }

    // every answer of the query API and the dashboard's page
    for (String path : List.of("", "api/sources", "api/sources/app", "api/sources/app/commits?limit=500", "api/sources/app/objects",
        "api/sources/app/definitions", "api/status", "api/tenants", "api/shards", "api/bluegreen", "api/modules", "metrics", "health/ready")) {
      HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.dashboardUrl()).resolve(path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertFalse(answer.body().contains(SECRET), "/" + path + " shows the password");
    }
  }

  private static String script(Path dir) throws java.io.IOException {
    Path migration = dir.resolve("m.sql");
    Files.writeString(migration, "ALTER TABLE scanned ADD COLUMN extra text;");
    return migration.toString();
  }

  /**
   * Runs a stage as a process until it printed {@code ready} and ten seconds more (its start, its first work), stops
   * it as Ctrl-C does, and returns everything it wrote (its log included).
   */
  private static String stage(Path dir, String ready, String... args) throws Exception {
    Path log = Files.createTempFile(dir, "stage-", ".log");
    Process process = new ProcessBuilder(GitversionProcess.command(args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Await.until(args[0] + " printed '" + ready + "'", WAIT, () -> read(log).contains(ready));
      Thread.sleep(10_000);
    } finally {
      process.destroy();
      process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    return read(log);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void record(List<String> outputs, GitversionProcess.Result r) {
    record(outputs, r, 0, 3);
  }

  /** Keeps what a command printed; it must have ended as expected (so it did what is scanned). */
  private static void record(List<String> outputs, GitversionProcess.Result r, int... expected) {
    String all = r.stdout() + "\n" + String.join("\n", r.stderrLines());
    assertTrue(java.util.Arrays.stream(expected).anyMatch(c -> c == r.exitCode()), "exit " + r.exitCode() + ":\n" + all);
    outputs.add(all);
  }

  private static GitversionProcess.Result run(String... args) {
    try {
      return GitversionProcess.run(args);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
