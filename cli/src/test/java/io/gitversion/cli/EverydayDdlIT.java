package io.gitversion.cli;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The everyday DDL cases on the bundled PostgreSQL release, source and both remotes. */
class EverydayDdlIT extends EverydayDdl {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(2);

  @Override
  RunningPipeline pipeline() {
    return pipeline;
  }
}
