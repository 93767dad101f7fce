package io.gitversion.cli.command;

import io.gitversion.cli.support.EmbeddedPipeline;
import io.gitversion.cli.support.Running;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Run the whole pipeline in this process until Ctrl-C: an in-process Kafka broker, a source and remote",
        "PostgreSQL servers (real, from embedded binaries), the collector, processor, syncer and dashboard.",
        "Prints one line per endpoint, then 'ready'."})
public final class UpCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--remotes", defaultValue = "2", description = "How many remote databases to start (r1, r2, ...). Default: ${DEFAULT-VALUE}.")
  int remotes;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    EmbeddedPipeline pipeline = EmbeddedPipeline.start(remotes);
    printEndpoints(pipeline, out);
    out.println("ready");
    out.flush();
    return Running.untilStopped(pipeline, pipeline.processor()::failure);
  }

  static void printEndpoints(EmbeddedPipeline pipeline, PrintWriter out) {
    out.println("source " + pipeline.source());
    for (Map.Entry<String, io.gitversion.catalog.PgUrl> remote : pipeline.remotes().entrySet()) {
      out.println("remote " + remote.getKey() + " " + remote.getValue());
    }
    out.println("kafka " + pipeline.bootstrapServers());
    out.println("dashboard " + pipeline.dashboardUrl());
    out.println("metrics " + pipeline.dashboardUrl() + "metrics");
  }
}
