package io.gitversion.embedded.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for an effect that arrives asynchronously (a row on a remote, a state), polling every 100 ms. */
public final class Await {
  private Await() {}

  /**
   * Asks {@code probe} until its answer satisfies {@code done} and returns that answer; fails the test after
   * {@code timeout} with {@code what} and the last answer.
   */
  public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + timeout + "; last seen: " + last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(what + ": interrupted", e);
      }
      last = probe.get();
    }
    return last;
  }

  /** Waits until {@code condition} holds; fails the test after {@code timeout} with {@code what}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    until(what, timeout, condition::getAsBoolean, Boolean::booleanValue);
  }
}
