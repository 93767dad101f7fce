package io.gitversion.cli.support;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a long-running command alive until Ctrl-C (or SIGTERM), then closes what it runs before the JVM exits; or
 * until what it runs fails for good (a stage that cannot go on: its state directory full, its engine stopped), then
 * says why in one line and ends the command with a non-zero status.
 */
public final class Running {
  /** The status of a command whose stage failed while running. */
  public static final int EXIT_FAILED = 2;

  private Running() {}

  public static void untilStopped(AutoCloseable running) throws InterruptedException {
    untilStopped(running, Optional::empty);
  }

  /**
   * Runs until stopped (returns 0) or until {@code failure} names why it cannot go on (checked every half second):
   * then prints {@code gitversion: REASON}, closes it and returns {@link #EXIT_FAILED}.
   */
  public static int untilStopped(AutoCloseable running, Supplier<Optional<String>> failure) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      close(running);
      stopped.countDown();
    }, "gitversion-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
      Optional<String> failed = failure.get();
      if (failed.isPresent()) {
        System.err.println("gitversion: " + failed.get());
        Runtime.getRuntime().removeShutdownHook(hook);
        close(running);
        return EXIT_FAILED;
      }
    }
    return 0;
  }

  private static void close(AutoCloseable running) {
    try {
      running.close();
    } catch (Exception e) {
      System.err.println("gitversion: error while stopping: " + e.getMessage());
    }
  }
}
