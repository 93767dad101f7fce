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

  private static GitversionProcess.Result run(String... args) {
    try {
      return GitversionProcess.run(args);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
