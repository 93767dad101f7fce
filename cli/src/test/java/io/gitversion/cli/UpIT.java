package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.UserError;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.time.Duration;

/** {@code gitversion up} as a user runs it: endpoints printed, psql DDL reaches both remotes, Ctrl-C leaves nothing. */
class UpIT {
  static final List<Pattern> ENDPOINTS = List.of(
      Pattern.compile("source (postgresql://postgres@127\\.0\\.0\\.1:\\d+/app)"),
      Pattern.compile("remote r1 (postgresql://postgres@127\\.0\\.0\\.1:\\d+/app)"),
      Pattern.compile("remote r2 (postgresql://postgres@127\\.0\\.0\\.1:\\d+/app)"),
      Pattern.compile("kafka (127\\.0\\.0\\.1:\\d+)"),
      Pattern.compile("dashboard (http://127\\.0\\.0\\.1:\\d+/)"),
      Pattern.compile("metrics (http://127\\.0\\.0\\.1:\\d+/metrics)"),
      Pattern.compile("(ready)"));

  @Test
  void upPrintsEndpointsSyncsPsqlDdlAndStopsCleanlyOnCtrlC() throws Exception {
    Path err = Files.createTempFile("gitversion-up-", ".log");
    Process up = new ProcessBuilder(GitversionProcess.command("up")).redirectError(err.toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
      List<String> values = new ArrayList<>();
      for (Pattern expected : ENDPOINTS) {
        String line = out.readLine();
        assertTrue(line != null, "up ended early; log: " + Files.readString(err));
        var matcher = expected.matcher(line);
        assertTrue(matcher.matches(), "line '" + line + "' should match " + expected);
        values.add(matcher.group(1));
      }
      String source = values.get(0);
      List<ProcessHandle> servers = postmasters(values.subList(0, 3));
      assertEquals(3, servers.size(), "one PostgreSQL server each for the source, r1 and r2");

      psql(source, "create table t(id int)");
      for (String remote : values.subList(1, 3)) {
        awaitTable(PgUrl.parse(remote), "t");
      }
      java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(values.get(5))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("gitversion_transactions_published_total{source=\"app\"}"), "the metrics line is Prometheus' endpoint");

      Runtime.getRuntime().exec(new String[] {"kill", "-INT", String.valueOf(up.pid())}).waitFor();
      if (!up.waitFor(60, TimeUnit.SECONDS)) {
        Process dump = new ProcessBuilder("jstack", String.valueOf(up.pid())).redirectErrorStream(true).start();
        String threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String log = Files.readString(err);
        throw new AssertionError("up did not stop within 60 s of Ctrl-C; log tail:\n" + log.substring(Math.max(0, log.length() - 6000))
            + "\nthreads:\n" + threads);
      }
      assertAllStopped(servers, 10);
      try {
        Database.connect(PgUrl.parse(source)).close();
        throw new AssertionError("the source still answers after Ctrl-C");
      } catch (UserError expected) {
        assertTrue(expected.getMessage().contains("cannot connect"));
      }
    } finally {
      up.destroyForcibly();
      Files.deleteIfExists(err);
    }
  }

  @Test
  void killedUpLeavesNoServerBehind() throws Exception {
    Process up = new ProcessBuilder(GitversionProcess.command("up", "--remotes", "1"))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
      List<String> urls = new ArrayList<>();
      for (String line = out.readLine(); line != null && !line.equals("ready"); line = out.readLine()) {
        if (line.startsWith("source ") || line.startsWith("remote ")) {
          urls.add(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      List<ProcessHandle> servers = postmasters(urls);
      assertEquals(2, servers.size());
      up.destroyForcibly(); // kill -9: no shutdown hook runs
      assertTrue(up.waitFor(30, TimeUnit.SECONDS));
      assertAllStopped(servers, 20);
    } finally {
      up.destroyForcibly();
    }
  }

  /**
   * The PostgreSQL postmaster processes listening on the ports of these URLs. A backend the postmaster has just forked
   * carries its parent's command line until it names itself, so a process whose parent matches too is not counted.
   */
  static List<ProcessHandle> postmasters(List<String> urls) {
    List<String> ports = urls.stream().map(u -> String.valueOf(PgUrl.parse(u).port())).toList();
    List<ProcessHandle> matching = ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(cmd -> cmd.contains("bin/postgres -D")
            && ports.stream().anyMatch(port -> cmd.contains(" -p " + port + " "))).orElse(false))
        .toList();
    List<Long> pids = matching.stream().map(ProcessHandle::pid).toList();
    return matching.stream()
        .filter(p -> p.parent().map(parent -> !pids.contains(parent.pid())).orElse(true))
        .toList();
  }

  static void assertAllStopped(List<ProcessHandle> servers, int seconds) throws Exception {
    for (ProcessHandle server : servers) {
      try {
        server.onExit().get(seconds, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("PostgreSQL server left behind: " + server.info().commandLine().orElse("" + server.pid()));
      }
    }
  }

  /** psql when the machine has it (as a user would), else the same statement over JDBC. */
  static void psql(String url, String sql) throws Exception {
    if (Files.isExecutable(Path.of("/usr/bin/psql"))) {
      Process psql = new ProcessBuilder("psql", url, "-v", "ON_ERROR_STOP=1", "-c", sql).redirectErrorStream(true).start();
      String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, psql.waitFor(), output);
      return;
    }
    TestDatabase.at(url).exec(sql);
  }

  static void awaitTable(PgUrl remote, String table) {
    TestDatabase db = TestDatabase.at(remote.toUriWithPassword());
    Await.until("table " + table + " reaches " + remote, Duration.ofSeconds(30),
        () -> "1".equals(db.value("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '" + table + "'")));
  }
}
