package io.gitversion.cli.command;

import io.gitversion.cli.support.Running;
import io.gitversion.cli.support.StageOptions;
import io.gitversion.cli.sync.SourceRequests;
import io.gitversion.collector.Collector;
import io.gitversion.collector.CollectorConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "collector", mixinStandardHelpOptions = true,
    description = {"Run the collector against an existing source and Kafka: streams the source's DDL log (installed by",
        "'gitversion install') into gitversion.ddl-events. Runs until stopped."})
public final class CollectorCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    CollectorConfig config = new CollectorConfig(StageOptions.resolve(spec, CollectorConfig.CONFIG, System.getenv()));
    io.gitversion.observability.Observability observability = new io.gitversion.observability.Observability();
    Collector collector = new Collector(config, observability);
    try {
      collector.start(Duration.ofSeconds(120));
    } catch (RuntimeException e) {
      collector.close();
      throw e;
    }
    // the sync module's requests made in the source (gitversion.sync_requests) are carried out next to its collector
    SourceRequests requests = SourceRequests.start(config.sourceUrl(), config.sourceName(),
        io.gitversion.cli.support.KafkaOptions.of(config.getString(io.gitversion.contract.KafkaSettings.BOOTSTRAP_SERVERS_CONFIG)).registry(),
        config.getString(CollectorConfig.API_URL_CONFIG));
    io.gitversion.observability.OpsServer ops = io.gitversion.observability.OpsSettings.serve(observability, config);
    spec.commandLine().getOut().println("collector streaming " + config.sourceUrl());
    if (ops != null) {
      spec.commandLine().getOut().println("metrics " + ops.url() + "metrics");
    }
    spec.commandLine().getOut().flush();
    Running.untilStopped(() -> {
      if (ops != null) {
        ops.close();
      }
      requests.close();
      collector.close();
      observability.close();
    });
    return 0;
  }
}
