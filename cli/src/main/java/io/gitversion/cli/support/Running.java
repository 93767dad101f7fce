package io.gitversion.cli.support;

import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until Ctrl-C (or SIGTERM), then closes what it runs before the JVM exits. */
public final class Running {
  private Running() {}

  public static void untilStopped(AutoCloseable running) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.close();
      } catch (Exception e) {
        System.err.println("gitversion: error while stopping: " + e.getMessage());
      } finally {
        stopped.countDown();
      }
    }, "gitversion-shutdown"));
    stopped.await();
  }
}
