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
    io.gitversion.observability.Observability observability = new io.gitversion.observability.Observability();
    Syncer syncer = new Syncer(config, observability).start();
    io.gitversion.observability.OpsServer ops = io.gitversion.observability.OpsSettings.serve(observability, config);
    spec.commandLine().getOut().println("syncer running for " + config.remotes());
    if (ops != null) {
      spec.commandLine().getOut().println("metrics " + ops.url() + "metrics");
    }
    spec.commandLine().getOut().flush();
    Running.untilStopped(() -> {
      if (ops != null) {
        ops.close();
      }
      syncer.close();
      observability.close();
    });
    return 0;
  }
}
