package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** User errors end in one clear line on stderr and exit code 2, from the real command. */
class UserErrorIT {
  static void assertOneLineError(GitversionProcess.Result result, String expected) {
    assertEquals(2, result.exitCode(), "exit code; stderr: " + result.stderrLines());
    assertEquals(1, result.stderrLines().size(), "one line: " + result.stderrLines());
    assertTrue(result.stderrLines().get(0).startsWith("gitversion: "), result.stderrLines().get(0));
    assertTrue(result.stderrLines().get(0).contains(expected), result.stderrLines().get(0));
    assertEquals("", result.stdout());
  }

  static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void badUrl() throws Exception {
    assertOneLineError(GitversionProcess.run("install", "mysql://root@localhost/db"), "not a PostgreSQL URL");
  }

  @Test
  void unreachableServerNamesTheServerButNotThePassword() throws Exception {
    GitversionProcess.Result result = GitversionProcess.run("install", "postgresql://admin:topsecret@127.0.0.1:" + closedPort() + "/app");
    assertOneLineError(result, "cannot connect to postgresql://admin:***@127.0.0.1:");
    assertFalse(result.stderrLines().get(0).contains("topsecret"));
  }

  @Test
  void unknownCommandAndOption() throws Exception {
    assertOneLineError(GitversionProcess.run("frobnicate"), "Unmatched argument");
    assertOneLineError(GitversionProcess.run("up", "--no-such-option"), "Unknown option");
  }

  @Test
  void missingAndInvalidStageSettings() throws Exception {
    assertOneLineError(GitversionProcess.run("collector", "--kafka.bootstrap.servers=127.0.0.1:1"), "missing source.url");
    assertOneLineError(GitversionProcess.run("syncer", "--syncer.remotes=r1=postgresql://u@127.0.0.1:1/d", "--syncer.strategy=maybe"),
        "syncer.strategy");
    assertOneLineError(GitversionProcess.run("syncer", "--syncer.remotes=r1"), "bad remote 'r1'");
  }

  @Test
  void helpIsAvailableOnEveryCommandAndExitsZero() throws Exception {
    for (String command : new String[] {"up", "demo", "install", "collector", "processor", "syncer"}) {
      GitversionProcess.Result result = GitversionProcess.run(command, "--help");
      assertEquals(0, result.exitCode(), command);
      assertTrue(result.stdout().startsWith("Usage: gitversion " + command), result.stdout());
    }
    assertTrue(GitversionProcess.run("collector", "--help").stdout().contains("--source.url"), "stage keys are flags");
  }
}
