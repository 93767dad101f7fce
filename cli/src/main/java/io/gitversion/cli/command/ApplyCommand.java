package io.gitversion.cli.command;

import io.gitversion.catalog.SqlScript;
import io.gitversion.catalog.UserError;
import io.gitversion.cli.Main;
import io.gitversion.cli.support.Registry;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.syncer.Remote;
import io.gitversion.syncer.ScriptApplier;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "apply", mixinStandardHelpOptions = true,
    description = {"Apply a SQL script to a remote of the registry, in one transaction with capture off, recorded in its",
        "ledger (the same script is never applied twice). --dry-run runs it in a transaction and rolls back, reporting",
        "each statement's outcome, duration and the locks it took. Part of the sync module. Exit 0 when applied (or",
        "rolled back), 1 when a statement failed."})
public final class ApplyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "REMOTE", description = "A remote of the registry.")
  String remote;

  @Option(names = "--file", required = true, paramLabel = "FILE", description = "The script (statements separated by ';').")
  Path file;

  @Option(names = "--dry-run", description = "Run it in a transaction and roll back.")
  boolean dryRun;

  @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "5", description = "How long a statement waits for a lock. Default: ${DEFAULT-VALUE}.")
  int lockTimeoutSeconds;

  @Option(names = "--retries", paramLabel = "N", defaultValue = "3", description = "Tries again after a lock timeout. Default: ${DEFAULT-VALUE}.")
  int retries;

  @picocli.CommandLine.Mixin
  io.gitversion.cli.support.KafkaOptions kafka;

  @Override
  public Integer call() throws Exception {
    Registry registry = kafka.registry();
    registry.requireSync("apply");
    RemoteSpec entry = registry.read().get(remote);
    if (entry == null) {
      throw new UserError("no remote " + remote + " in the registry (gitversion remote list)");
    }
    if (!Files.isReadable(file)) {
      throw new UserError("cannot read " + file);
    }
    List<String> statements = SqlScript.statements(Files.readString(file));
    if (statements.isEmpty()) {
      throw new UserError(file + " holds no statement");
    }
    ScriptApplier.Result result = ScriptApplier.apply(Remote.of(entry), statements, dryRun, Duration.ofSeconds(lockTimeoutSeconds), retries);
    PrintWriter out = Main.bufferedOut(spec);
    for (ScriptApplier.Step step : result.steps()) {
      out.println(String.format(Locale.ROOT, "%-8s %9.1f ms  %s", step.outcome().startsWith("ok") ? "ok" : step.outcome().startsWith("not run") ? "not run"
          : "failed", step.millis(), step.sql().replaceAll("\\s+", " ")));
      if (!step.outcome().equals("ok") && !step.outcome().equals("failed")) {
        out.println("         " + step.outcome());
      }
      step.locks().forEach(lock -> out.println("         lock: " + lock));
    }
    out.println(switch (result.outcome()) {
      case "rolled back" -> "dry run on " + remote + ": rolled back, nothing changed";
      case "duplicate" -> "already applied to " + remote + " (" + result.scriptId().substring(0, 18) + "): nothing done";
      case "applied" -> "applied to " + remote + ": " + statements.size() + " statement(s), recorded as " + result.scriptId().substring(0, 18);
      default -> "not applied to " + remote + ": " + result.error() + " (rolled back)";
    });
    out.flush();
    return result.outcome().equals("failed") ? Main.EXIT_FAILURE : 0;
  }
}
