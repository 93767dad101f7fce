package io.gitversion.cli.command;

import io.gitversion.catalog.PgUrl;
import io.gitversion.cli.support.SourceOptions;
import io.gitversion.collector.SourceInstaller;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "uninstall", mixinStandardHelpOptions = true,
    description = {"Remove capture from a source database: the event triggers, the publication, the replication slot",
        "and schema gitversion (the DDL log and recorded versions). Refused while a collector reads the slot.",
        "The history already in Kafka stays."})
public final class UninstallCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  SourceOptions options;

  @Override
  public Integer call() {
    PgUrl source = options.source();
    String slotName = options.slotName();
    SourceInstaller.uninstall(source, slotName);
    spec.commandLine().getOut().println("capture removed from " + source + " (slot " + slotName + " dropped)");
    return 0;
  }
}
