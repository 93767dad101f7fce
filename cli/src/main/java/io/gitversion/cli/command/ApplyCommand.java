package io.gitversion.cli.command;

import io.gitversion.catalog.SqlScript;
import io.gitversion.catalog.UserError;
import io.gitversion.cli.Main;
import io.gitversion.cli.support.Registry;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.syncer.Remote;
import io.gitversion.syncer.ScriptApplier;
import io.gitversion.syncer.Verification;
import io.gitversion.cli.support.RemotePlans;
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
    description = {"Apply a SQL script (--file) or a plan (--plan: what gitversion migrate --to-remote prints, made now) to a",
        "remote of the registry, in one transaction with capture off, recorded in its ledger (the same script is never",
        "applied twice). A plan is verified by hash in the same transaction: the remote must be what it was made from,",
        "and become what it was made to, else everything is rolled back. --dry-run runs it in a transaction and rolls",
        "back, reporting each statement's outcome, duration and the locks it took. Part of the sync module. Exit 0 when",
        "applied (or rolled back by --dry-run), 1 when a statement failed, 3 on a conflict or a divergence."})
public final class ApplyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "REMOTE", description = "A remote of the registry.")
  String remote;

  static final class What {
    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The script (statements separated by ';').")
    Path file;

    @Option(names = "--plan", required = true, description = "The plan to the source's state (--at, or --from-tag A --to-tag B), made now and verified.")
    boolean plan;
  }

  @picocli.CommandLine.ArgGroup(multiplicity = "1")
  What what;

  @picocli.CommandLine.Mixin
  io.gitversion.cli.support.PlanPoints points;

  @Option(names = "--dry-run", description = "Run it in a transaction and roll back.")
  boolean dryRun;

  @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "5", description = "How long a statement waits for a lock. Default: ${DEFAULT-VALUE}.")
  int lockTimeoutSeconds;

  @Option(names = "--retries", paramLabel = "N", defaultValue = "3", description = "Tries again after a lock timeout. Default: ${DEFAULT-VALUE}.")
  int retries;

  @picocli.CommandLine.Mixin
  io.gitversion.cli.support.KafkaOptions kafka;

  @picocli.CommandLine.Mixin
  io.gitversion.cli.support.ApiOptions api;

  @Override
  public Integer call() throws Exception {
    Registry registry = kafka.registry();
    registry.requireSync("apply");
    RemoteSpec entry = registry.entry(remote);
    List<String> statements;
    Verification verification = null;
    PrintWriter out = Main.bufferedOut(spec);
    if (what.plan) {
      io.gitversion.cli.support.ApiClient client = api.client();
      RemotePlans.RemotePlan plan = points.toRemote(new RemotePlans(client, api.source(client), entry, points.schemas()));
      out.println("-- " + plan.title() + ": " + plan.plan().steps().size() + " step(s)");
      if (plan.plan().isEmpty()) {
        out.println("nothing to apply: " + remote + " has that state already");
        out.flush();
        return 0;
      }
      statements = plan.plan().statements();
      verification = plan.verification();
    } else {
      if (!points.isDefault()) {
        throw new UserError("--at, --from-tag, --to-tag and --schema go with --plan, not --file");
      }
      if (!Files.isReadable(what.file)) {
        throw new UserError("cannot read " + what.file);
      }
      statements = SqlScript.statements(Files.readString(what.file));
      if (statements.isEmpty()) {
        throw new UserError(what.file + " holds no statement");
      }
    }
    ScriptApplier.Result result = ScriptApplier.apply(Remote.of(entry), statements, verification, dryRun, Duration.ofSeconds(lockTimeoutSeconds),
        retries);
    for (ScriptApplier.Step step : result.steps()) {
      out.println(String.format(Locale.ROOT, "%-8s %9.1f ms  %s", step.outcome().startsWith("ok") ? "ok" : step.outcome().startsWith("not run") ? "not run"
          : "failed", step.millis(), step.sql().replaceAll("\\s+", " ")));
      if (!step.outcome().equals("ok") && !step.outcome().equals("failed")) {
        out.println("         " + step.outcome());
      }
      step.locks().forEach(lock -> out.println("         lock: " + lock));
    }
    result.mismatches().forEach(m -> out.println("  " + m.getObject() + ": expected " + hash(m.getExpected()) + ", is " + hash(m.getActual())));
    String verified = verification == null ? "" : "; verified: " + verification.after().size() + " object(s) have the expected hashes";
    out.println(switch (result.outcome()) {
      case "rolled back" -> "dry run on " + remote + ": rolled back, nothing changed" + verified;
      case "duplicate" -> "already applied to " + remote + " (" + (result.error() != null ? result.error() : result.scriptId().substring(0, 18))
          + "): nothing done";
      case "applied" -> "applied to " + remote + ": " + statements.size() + " statement(s), recorded as " + result.scriptId().substring(0, 18) + verified;
      default -> "not applied to " + remote + ": " + result.outcome() + ": " + result.error() + " (rolled back)";
    });
    out.flush();
    return switch (result.outcome()) {
      case "failed" -> Main.EXIT_FAILURE;
      case "conflict", "divergence" -> CompareCommand.EXIT_DIFFERENT;
      default -> 0;
    };
  }

  private static String hash(String hash) {
    return hash == null ? "absent" : hash.substring(0, Math.min(12, hash.length()));
  }
}
