package io.gitversion.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code gitversion} jar as a separate process, the way a user runs it. */
final class GitversionProcess {
  record Result(int exitCode, String stdout, List<String> stderrLines) {}

  private GitversionProcess() {}

  static List<String> command(String... args) {
    String jar = System.getProperty("gitversion.jar", "target/gitversion.jar");
    if (!new File(jar).isFile()) {
      throw new AssertionError("the runnable jar is missing: " + jar + " (failsafe runs after package)");
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
    command.addAll(List.of(args));
    return command;
  }

  static Result run(String... args) throws IOException, InterruptedException {
    return run(command(args), String.join(" ", args));
  }

  /** Runs the repository's {@code gitversion} launcher (next to the pom), as the README does. */
  static Result launch(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher().toString()));
    command.addAll(List.of(args));
    return run(command, String.join(" ", args));
  }

  static Path launcher() {
    return Path.of(System.getProperty("gitversion.jar", "target/gitversion.jar")).toAbsolutePath().getParent().getParent().getParent()
        .resolve("gitversion");
  }

  private static Result run(List<String> command, String what) throws IOException, InterruptedException {
    Path err = Files.createTempFile("gitversion-err-", ".txt");
    Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("gitversion " + what + " did not finish");
    }
    List<String> errLines = Files.readAllLines(err).stream().filter(l -> !l.isBlank()).toList();
    Files.deleteIfExists(err);
    return new Result(process.exitValue(), out, errLines);
  }
}
