package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Failures are loud and short (issue 20): a stage started as a process without its broker says so in one line and
 * exits 2 within the broker wait, rather than wait in silence.
 */
class StageFailuresIT {
  @Test
  void aStageWithoutItsBrokerSaysSoAndExits() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // nothing listens there once closed
    }
    String kafka = "--kafka.bootstrap.servers=127.0.0.1:" + closed;
    CompletableFuture<GitversionProcess.Result> syncer = CompletableFuture.supplyAsync(() -> run("syncer", kafka,
        "--syncer.remotes=r1=postgresql://postgres@127.0.0.1:1/app", "--ops.port=-1"));
    CompletableFuture<GitversionProcess.Result> processor = CompletableFuture.supplyAsync(() -> run("processor", kafka, "--dashboard.port=-1"));
    for (GitversionProcess.Result r : List.of(syncer.join(), processor.join())) {
      assertEquals(2, r.exitCode(), r.stdout() + r.stderrLines());
      List<String> said = r.stderrLines().stream().filter(l -> l.startsWith("gitversion: ")).toList();
      assertEquals(1, said.size(), r.stderrLines().toString());
      assertTrue(said.get(0).contains("no Kafka broker answered at 127.0.0.1:" + closed + " within 30 s"), said.get(0));
    }
  }

  @Test
  void aCollectorRefusesASourceWithoutCaptureOrWithoutItsSlot() throws Exception {
    try (io.gitversion.embedded.EmbeddedPostgres server = io.gitversion.embedded.EmbeddedPostgres.start("failures")) {
      io.gitversion.catalog.PgUrl source = io.gitversion.catalog.PgUrl.parse(server.createDatabase("shop"));
      String url = "--source.url=" + source.toUriWithPassword();
      String kafka = "--kafka.bootstrap.servers=127.0.0.1:1"; // never reached: the source is checked first
      GitversionProcess.Result notInstalled = GitversionProcess.run("collector", url, kafka, "--ops.port=-1");
      assertEquals(2, notInstalled.exitCode(), notInstalled.stderrLines().toString());
      assertTrue(notInstalled.stderrLines().stream().anyMatch(l -> l.startsWith("gitversion: capture is not installed in")),
          notInstalled.stderrLines().toString());

      io.gitversion.collector.SourceInstaller.install(source, "gitversion_shop");
      io.gitversion.embedded.testing.TestDatabase.at(source.toUriWithPassword()).exec("SELECT pg_drop_replication_slot('gitversion_shop')");
      GitversionProcess.Result noSlot = GitversionProcess.run("collector", url, kafka, "--ops.port=-1");
      assertEquals(2, noSlot.exitCode(), noSlot.stderrLines().toString());
      assertTrue(noSlot.stderrLines().stream().anyMatch(l -> l.startsWith("gitversion: ") && l.contains("has no replication slot gitversion_shop (dropped?)")),
          noSlot.stderrLines().toString());
    }
  }

  /**
   * A processor whose state directory has no room: it says so in one line naming the directory and exits 2, rather
   * than replace its stream thread forever. No room is made by a file size limit (`ulimit -f`: writes fail with "File
   * too large", as they fail with "No space left on device" on a full disk); its output goes to a pipe, which no
   * limit applies to.
   */
  @Test
  void aProcessorWhoseStateDirectoryHasNoRoomSaysSoAndExits() throws Exception {
    java.nio.file.Path stateDir = java.nio.file.Files.createTempDirectory("gitversion-full-state-");
    try (io.gitversion.embedded.EmbeddedKafka kafka = io.gitversion.embedded.EmbeddedKafka.start()) {
      List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", "ulimit -f 4 && exec \"$@\"", "sh"));
      command.addAll(GitversionProcess.command("processor", "--kafka.bootstrap.servers=" + kafka.bootstrapServers(),
          "--kafka.topic.partitions=1", "--dashboard.port=-1", "--processor.state.dir=" + stateDir));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      List<String> lines = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
      assertTrue(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the processor ended");
      assertEquals(2, process.exitValue(), String.join("\n", lines));
      List<String> said = lines.stream().filter(l -> l.startsWith("gitversion: ")).toList();
      assertEquals(1, said.size(), String.join("\n", lines));
      assertTrue(said.get(0).contains("state directory " + stateDir) && said.get(0).contains("has no room (File too large)"), said.get(0));
    } finally {
      try (var files = java.nio.file.Files.walk(stateDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static GitversionProcess.Result run(String... args) {
    try {
      return GitversionProcess.run(args);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
