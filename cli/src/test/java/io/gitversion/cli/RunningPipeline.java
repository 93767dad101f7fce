package io.gitversion.cli;

import io.gitversion.catalog.PgUrl;
import io.gitversion.cli.support.EmbeddedPipeline;
import io.gitversion.syncer.Syncer;
import io.gitversion.embedded.PostgresBinaries;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole embedded pipeline ({@code gitversion up} in process: broker, source, remotes, the three stages) for the
 * tests of one class. Register it as a static field:
 * {@code @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(2);}
 */
final class RunningPipeline implements BeforeAllCallback, AfterAllCallback {
  private final PostgresBinaries sourceRelease;
  private final List<PostgresBinaries> remoteReleases;
  private EmbeddedPipeline pipeline;

  private RunningPipeline(PostgresBinaries sourceRelease, List<PostgresBinaries> remoteReleases) {
    this.sourceRelease = sourceRelease;
    this.remoteReleases = remoteReleases;
  }

  /** A pipeline whose servers run the release the environment names ({@link PostgresBinaries#fromEnvironment}). */
  static RunningPipeline withRemotes(int remotes) {
    PostgresBinaries release = PostgresBinaries.fromEnvironment();
    return new RunningPipeline(release, java.util.Collections.nCopies(remotes, release));
  }

  /** A pipeline whose source runs PostgreSQL {@code sourceMajor} and whose remotes run the majors given (in order). */
  static RunningPipeline onPostgres(int sourceMajor, int... remoteMajors) {
    return new RunningPipeline(PostgresBinaries.major(sourceMajor),
        java.util.Arrays.stream(remoteMajors).mapToObj(PostgresBinaries::major).toList());
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  /** Starts the pipeline (what registering it does before a class's tests; a parameterized class calls it per run). */
  void start() throws InterruptedException {
    pipeline = EmbeddedPipeline.start(sourceRelease, remoteReleases);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  void stop() {
    if (pipeline != null) {
      pipeline.close();
      pipeline = null;
    }
  }

  PgUrl source() {
    return running().source();
  }

  Map<String, PgUrl> remotes() {
    return running().remotes();
  }

  String bootstrapServers() {
    return running().bootstrapServers();
  }

  String dashboardUrl() {
    return running().dashboardUrl();
  }

  /** The registry and the other compacted topics, as the commands read them. */
  io.gitversion.cli.support.Registry registry() {
    return io.gitversion.cli.support.KafkaOptions.of(bootstrapServers()).registry();
  }

  Syncer syncer() {
    return running().syncer();
  }

  io.gitversion.processor.ProcessorStage processor() {
    return running().processor();
  }

  private EmbeddedPipeline running() {
    if (pipeline == null) {
      throw new IllegalStateException("the pipeline is not running: register it with @RegisterExtension as a static field");
    }
    return pipeline;
  }
}
