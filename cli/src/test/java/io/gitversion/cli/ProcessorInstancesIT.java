package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitversion.contract.KafkaSettings;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.processor.ProcessorConfig;
import io.gitversion.processor.ProcessorStage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * History that lasts: a second processor instance of the same application answers every resource as the first does
 * (the request is passed to the instance that holds the source); with the first gone it holds the history itself,
 * restored from the changelogs; and an instance whose state directory is deleted rebuilds it and answers the same.
 */
class ProcessorInstancesIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> RESOURCES = List.of("api/sources", "api/sources/app", "api/sources/app/commits?limit=100",
      "api/sources/app/objects", "api/sources/app/objects/public.accounts/history", "api/sources/app/tags",
      "api/sources/app/schema?at=v1", "api/sources/app/migration?from=v1&to=" + "HEAD");

  /** Every resource's status and body, as one text. */
  static String answers(String base) {
    StringBuilder all = new StringBuilder();
    for (String resource : RESOURCES) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base).resolve(resource)).build(), HttpResponse.BodyHandlers.ofString());
        all.append(resource).append(' ').append(r.statusCode()).append(' ').append(r.body()).append('\n');
      } catch (Exception e) {
        all.append(resource).append(" unreachable ").append(e).append('\n');
      }
    }
    return all.toString();
  }

  static ProcessorStage instance(Path stateDir) throws InterruptedException {
    ProcessorStage stage = new ProcessorStage(new ProcessorConfig(Map.of(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
        KafkaSettings.TOPIC_PARTITIONS_CONFIG, "1", ProcessorConfig.DASHBOARD_PORT_CONFIG, "0",
        ProcessorConfig.STATE_DIR_CONFIG, stateDir.toString())));
    return stage.start(WAIT);
  }

  static void awaitAnswers(String what, String base, String expected) {
    String[] last = {""};
    try {
      Await.until(what, WAIT, () -> (last[0] = answers(base)).equals(expected));
    } catch (AssertionError e) {
      assertEquals(expected, last[0], what);
    }
  }

  @Test
  void everyInstanceAnswersTheSameAndALostStateDirectoryIsRebuilt() throws Exception {
    TestDatabase.at(pipeline.source().toUriWithPassword()).exec("CREATE TABLE accounts (id int PRIMARY KEY)",
        "ALTER TABLE accounts ADD COLUMN owner text", "CREATE VIEW account_owners AS SELECT owner FROM accounts");
    String first = pipeline.dashboardUrl();
    Await.until("the history has the view", WAIT, () -> answers(first).contains("account_owners"));
    HttpResponse<String> tagged = HTTP.send(HttpRequest.newBuilder(URI.create(first).resolve("api/sources/app/tags"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"v1\"}")).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, tagged.statusCode(), tagged.body());
    TestDatabase.at(pipeline.source().toUriWithPassword()).exec("ALTER TABLE accounts RENAME COLUMN owner TO holder");
    Await.until("the history has the rename", WAIT, () -> answers(first).contains("holder"));
    String expected = answers(first);

    Path stateDir = Files.createTempDirectory("gitversion-second-instance-");
    try {
      ProcessorStage second = instance(stateDir);
      try {
        String other = second.dashboardUrl().orElseThrow();
        awaitAnswers("the second instance answers as the first", other, expected);
        assertEquals(List.of(ProcessorStage.instanceId(stateDir.toString()) + "-1"), staticMembers(),
            "the instance with a state directory of its own is a static member of the group, by a name of that directory");
        pipeline.processor().close();
        awaitAnswers("with the first gone, the second holds the history itself", other, expected);
      } finally {
        second.close();
      }
      deleteTree(stateDir);
      ProcessorStage rebuilt = instance(stateDir);
      try {
        awaitAnswers("an instance whose state directory was deleted rebuilds it", rebuilt.dashboardUrl().orElseThrow(), expected);
        assertEquals(List.of(ProcessorStage.instanceId(stateDir.toString()) + "-1"), staticMembers(), "the same name at another start");
      } finally {
        rebuilt.close();
      }
    } finally {
      deleteTree(stateDir);
    }
  }

  /** The group instance names of the processor group's static members, sorted. */
  private static List<String> staticMembers() throws Exception {
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
        Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()))) {
      return admin.describeConsumerGroups(List.of("gitversion-processor")).all().get().get("gitversion-processor").members().stream()
          .flatMap(m -> m.groupInstanceId().stream()).sorted().toList();
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(all::add);
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
