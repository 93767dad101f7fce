package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.catalog.UserError;
import io.gitversion.catalog.ddl.Plan;
import io.gitversion.catalog.ddl.SchemaPlanner;
import io.gitversion.catalog.ddl.Step;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.cli.Main;
import io.gitversion.cli.support.ApiClient;
import io.gitversion.cli.support.ApiOptions;
import io.gitversion.cli.support.Inspections;
import io.gitversion.cli.support.Modules;
import io.gitversion.cli.support.RemotePlans;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.syncer.Remote;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = {"Print the plan between a source's captured state and a remote of the registry, under the remote's",
        "subscription: --to-remote brings the remote to the source's state (--at a point, or --from-tag A --to-tag B:",
        "the source's migration between two tags, for a remote at A), --from-remote brings the source's state to the",
        "remote's, --bidirectional gives each side what only the other has (a conflict: --prefer source|remote).",
        "Nothing is applied: gitversion apply REMOTE --plan applies and verifies it. Part of the sync module.",
        "Exit 0; 3 when --bidirectional leaves conflicts undecided."})
public final class MigrateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ApiOptions api;

  static final class Direction {
    @Option(names = "--to-remote", paramLabel = "NAME", description = "The remote to bring to the source's state.")
    String toRemote;

    @Option(names = "--from-remote", paramLabel = "NAME", description = "The remote whose state the source should take.")
    String fromRemote;

    @Option(names = "--bidirectional", paramLabel = "NAME", description = "Both ways: each side gets what only the other has.")
    String bidirectional;
  }

  @ArgGroup(multiplicity = "1")
  Direction direction;

  @Mixin
  io.gitversion.cli.support.PlanPoints points;

  @Option(names = "--prefer", paramLabel = "source|remote", description = "With --bidirectional: which side a conflict takes.")
  String prefer;

  @Mixin
  io.gitversion.cli.support.KafkaOptions kafka;

  @Override
  public Integer call() {
    ApiClient client = api.client();
    Modules.require(client, "sync", "migrate");
    if (points.betweenTags() && direction.toRemote == null) {
      throw new UserError("--from-tag/--to-tag plan --to-remote only");
    }
    if (prefer != null && (direction.bidirectional == null || !List.of("source", "remote").contains(prefer))) {
      throw new UserError("--prefer source|remote goes with --bidirectional");
    }
    String name = direction.toRemote != null ? direction.toRemote : direction.fromRemote != null ? direction.fromRemote : direction.bidirectional;
    RemotePlans plans = new RemotePlans(client, api.source(client), kafka.registry().entry(name), points.schemas());
    List<RemotePlans.RemotePlan> printed;
    if (direction.bidirectional != null) {
      printed = plans.bidirectional(prefer);
    } else if (direction.fromRemote != null) {
      printed = List.of(plans.fromRemote(points.at()));
    } else {
      printed = List.of(points.toRemote(plans));
    }
    PrintWriter out = Main.bufferedOut(spec);
    int conflicts = 0;
    for (RemotePlans.RemotePlan p : printed) {
      out.println("-- " + p.title() + ": " + p.plan().steps().size() + " step(s)");
      p.notes().forEach(n -> out.println("-- " + n));
      conflicts += p.notes().size();
      print(out, p.plan());
    }
    out.flush();
    return conflicts > 0 ? CompareCommand.EXIT_DIFFERENT : 0;
  }

  /** A plan's statements, each step's hazards as a comment above it. */
  static void print(PrintWriter out, Plan plan) {
    for (Step step : plan.steps()) {
      if (!step.hazards().isEmpty()) {
        out.println("-- hazard: " + step.hazards().stream().map(h -> h.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(", ")));
      }
      out.println(step.sql());
    }
  }
}
