package io.gitversion.cli.command;

import io.gitversion.catalog.PgUrl;
import io.gitversion.cli.support.SourceOptions;
import io.gitversion.collector.SourceInstaller;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "install", mixinStandardHelpOptions = true,
    description = {"Install (or upgrade) capture in a source database: schema gitversion with the DDL log, the event",
        "triggers, the publication, and the replication slot the collector reads. Needs a superuser and wal_level=logical."})
public final class InstallCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  SourceOptions options;

  @Override
  public Integer call() {
    PgUrl source = options.source();
    String slotName = options.slotName();
    int applied = SourceInstaller.install(source, slotName);
    spec.commandLine().getOut().println("capture installed in " + source + " (" + applied + " migration(s) applied now, slot " + slotName + ")");
    return 0;
  }
}
