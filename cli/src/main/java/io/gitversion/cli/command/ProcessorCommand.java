package io.gitversion.cli.command;

import io.gitversion.cli.support.Running;
import io.gitversion.cli.support.StageOptions;
import io.gitversion.processor.ProcessorConfig;
import io.gitversion.processor.ProcessorStage;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "processor", mixinStandardHelpOptions = true,
    description = {"Run the processor against an existing Kafka: versions every object, makes commits, serves the",
        "dashboard. Several instances with the same application id share the work. Runs until stopped."})
public final class ProcessorCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ProcessorConfig config = new ProcessorConfig(StageOptions.resolve(spec, ProcessorConfig.CONFIG, System.getenv()));
    ProcessorStage processor = new ProcessorStage(config);
    try {
      processor.start(Duration.ofSeconds(120));
    } catch (RuntimeException e) {
      processor.close();
      if (processor.failure().isPresent()) { // it cannot go on (its state directory full): one line, not a stack
        spec.commandLine().getErr().println("gitversion: " + processor.failure().get());
        return Running.EXIT_FAILED;
      }
      throw e;
    }
    spec.commandLine().getOut().println("processor running" + processor.dashboardUrl().map(u -> ", dashboard " + u).orElse(""));
    processor.dashboardUrl().ifPresent(u -> spec.commandLine().getOut().println("metrics " + u + "metrics"));
    spec.commandLine().getOut().flush();
    return Running.untilStopped(processor, processor::failure);
  }
}
