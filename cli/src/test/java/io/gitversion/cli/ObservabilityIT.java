package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Metrics and health (issue 20): the pipeline's meters on {@code /metrics} as a commit flows through it, every name
 * the Grafana dashboard and the alert rules of {@code deploy/} use is on the live endpoint, {@code /health/ready}
 * answers with each check, and turns 503 naming capture when a user's {@code DROP EXTENSION plpgsql CASCADE} removes
 * capture's event triggers.
 */
class ObservabilityIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern NAME = Pattern.compile("\\b(gitversion_[a-z_]+|kafka_[a-z_]+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.dashboardUrl()).resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The metric names a file uses. */
  private static Set<String> namesIn(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** A sample's value (-1 when there is none). */
  private static double value(String metrics, String sample) {
    return metrics.lines().filter(l -> l.startsWith(sample + " ")).mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1).strip()))
        .findFirst().orElse(-1);
  }

  /** Whether the exposition has a sample of that name (with labels or without). */
  private static boolean exposes(String metrics, String name) {
    return metrics.lines().anyMatch(l -> !l.startsWith("#") && (l.startsWith(name + "{") || l.startsWith(name + " ")));
  }

  @Test
  void metricsAndHealthShowTheCommitFlowAndAUserBreakingCapture() throws Exception {
    TestDatabase source = TestDatabase.at(pipeline.source().toUriWithPassword());
    TestDatabase remote = TestDatabase.at(pipeline.remotes().get("r1").toUriWithPassword());
    source.exec("CREATE TABLE watched (id int PRIMARY KEY)");
    Await.until("the remote has the table", WAIT, () -> !"null".equals(String.valueOf(remote.value("SELECT to_regclass('public.watched')"))));

    String[] metrics = new String[1];
    Await.until("the commits are counted (the install's baseline and the table)", WAIT, () -> {
      metrics[0] = get("metrics").body();
      return value(metrics[0], "gitversion_commits_processed_total{source=\"app\"}") >= 2
          && value(metrics[0], "gitversion_commit_applied_seconds_count{remote=\"r1\"}") >= 2;
    });
    assertTrue(value(metrics[0], "gitversion_transactions_published_total{source=\"app\"}") >= 2, metrics[0]);
    assertEquals(1.0, value(metrics[0], "gitversion_remote_state{remote=\"r1\",state=\"in_sync\"}"), metrics[0]);
    assertEquals(0.0, value(metrics[0], "gitversion_conflicts_total{remote=\"r1\"}"), metrics[0]);
    assertEquals(1.0, value(metrics[0], "gitversion_capture_intact{source=\"app\"}"), metrics[0]);

    // every name the dashboard and the alert rules use is on the live endpoint
    JsonNode dashboard = new ObjectMapper().readTree(ROOT.resolve("deploy/grafana/gitversion.json").toFile());
    StringBuilder expressions = new StringBuilder();
    dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> expressions.append(t.path("expr").asText()).append('\n')));
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("deploy/prometheus/alerts.yml").toFile());
    rules.path("groups").forEach(g -> g.path("rules").forEach(r -> {
      assertTrue(r.hasNonNull("alert") && r.hasNonNull("expr"), "each rule has an alert and an expr: " + r);
      expressions.append(r.path("expr").asText()).append('\n');
    }));
    Set<String> used = namesIn(expressions.toString());
    assertTrue(used.size() >= 10, used.toString());
    for (String name : used) {
      assertTrue(exposes(metrics[0], name), name + " (used in deploy/) is not on /metrics");
    }

    HttpResponse<String> live = get("health/live");
    assertEquals(200, live.statusCode());
    HttpResponse<String>[] answer = new HttpResponse[1];
    Await.until("ready (the slot is looked at every 2 s)", WAIT, () -> {
      answer[0] = get("health/ready");
      return answer[0].statusCode() == 200;
    });
    HttpResponse<String> ready = answer[0];
    JsonNode checks = new ObjectMapper().readTree(ready.body()).path("checks");
    for (String check : Set.of("collector.broker", "collector.slot", "collector.capture", "processor.streams", "syncer.broker", "syncer.remotes")) {
      assertEquals("UP", checks.path(check).path("status").asText(), check + ": " + ready.body());
    }

    // a user removes capture without a word: readiness says so, and the gauge
    source.exec("DROP EXTENSION plpgsql CASCADE");
    HttpResponse<String>[] broken = new HttpResponse[1];
    Await.until("readiness turns down on capture", WAIT, () -> {
      broken[0] = get("health/ready");
      return broken[0].statusCode() == 503;
    });
    JsonNode capture = new ObjectMapper().readTree(broken[0].body()).path("checks").path("collector.capture");
    assertEquals("DOWN", capture.path("status").asText(), broken[0].body());
    assertTrue(capture.path("detail").asText().contains("gitversion install"), broken[0].body());
    assertEquals(0.0, value(get("metrics").body(), "gitversion_capture_intact{source=\"app\"}"));
  }
}
