package io.gitversion.cli.command;

import io.gitversion.catalog.UserError;
import io.gitversion.cli.support.Running;
import io.gitversion.cli.support.StageOptions;
import io.gitversion.syncer.Syncer;
import io.gitversion.syncer.SyncerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "syncer", mixinStandardHelpOptions = true,
    description = {"Run the syncer against an existing Kafka: applies every commit to each subscribed remote, in order",
        "and exactly once. Runs until stopped."})
public final class SyncerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SyncerConfig config = new SyncerConfig(StageOptions.resolve(spec, SyncerConfig.CONFIG, System.getenv()));
    if (config.remotes().isEmpty()) {
      throw new UserError("no remotes: pass --" + SyncerConfig.REMOTES_CONFIG + "=name=postgresql://...");
    }
    Syncer syncer = new Syncer(config).start();
    spec.commandLine().getOut().println("syncer running for " + config.remotes());
    spec.commandLine().getOut().flush();
    Running.untilStopped(syncer);
    return 0;
  }
}
