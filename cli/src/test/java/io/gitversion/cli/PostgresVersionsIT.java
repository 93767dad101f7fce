package io.gitversion.cli;

import java.util.Map;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The version matrix: the everyday DDL cases captured on a source of each supported PostgreSQL release, replicated to
 * remotes of two other releases each (every release a source and a remote, 17 to 14 and 14 to 17 among them), and
 * migrated by {@code diff} across releases. One pipeline per source release, four in all.
 */
@ParameterizedClass(name = "source on PostgreSQL {0}")
@ValueSource(ints = {14, 15, 16, 17})
class PostgresVersionsIT extends EverydayDdl {
  /** Each source release's remotes (r1, r2). */
  private static final Map<Integer, int[]> REMOTES =
      Map.of(14, new int[] {17, 15}, 15, new int[] {16, 14}, 16, new int[] {15, 17}, 17, new int[] {14, 16});
  private static RunningPipeline pipeline;

  /** The source's release of this run (what the pipeline was started with). */
  @Parameter int sourceMajor;

  @BeforeParameterizedClassInvocation
  static void start(int sourceMajor) throws Exception {
    pipeline = RunningPipeline.onPostgres(sourceMajor, REMOTES.get(sourceMajor));
    pipeline.start();
  }

  @AfterParameterizedClassInvocation
  static void stop(int sourceMajor) {
    pipeline.stop();
  }

  @Override
  RunningPipeline pipeline() {
    return pipeline;
  }

  @org.junit.jupiter.api.Test
  void theSourceRunsTheReleaseOfThisRun() {
    org.junit.jupiter.api.Assertions.assertEquals(sourceMajor,
        io.gitversion.embedded.testing.TestDatabase.at(pipeline.source().toUriWithPassword()).serverMajor());
  }
}
