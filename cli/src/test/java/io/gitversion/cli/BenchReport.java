package io.gitversion.cli;

import java.time.Instant;
import java.util.Locale;

/** What every benchmark's report says first: which script wrote it, when, and on what machine. */
final class BenchReport {
  private BenchReport() {}

  /** {@code # TITLE}, then "Written by `SCRIPT` on DATE (N cores, Java V, OS ARCH)." and a blank line. */
  static StringBuilder start(String title, String script) {
    return new StringBuilder("# " + title + "\n\n").append(String.format(Locale.ROOT, "Written by `%s` on %s (%d cores, Java %s, %s %s).%n%n",
        script, Instant.now().toString().substring(0, 10), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("os.name"), System.getProperty("os.arch")));
  }
}
