package io.gitversion.cli;

import io.gitversion.catalog.PgUrl;
import io.gitversion.cli.support.EmbeddedPipeline;
import io.gitversion.syncer.Syncer;
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
  private final int remotes;
  private EmbeddedPipeline pipeline;

  private RunningPipeline(int remotes) {
    this.remotes = remotes;
  }

  static RunningPipeline withRemotes(int remotes) {
    return new RunningPipeline(remotes);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    pipeline = EmbeddedPipeline.start(remotes);
  }

  @Override
  public void afterAll(ExtensionContext context) {
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
