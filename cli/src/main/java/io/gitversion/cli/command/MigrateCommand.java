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
    description = {"Print the plan between a source's captured state and a remote of the registry: --to-remote brings",
        "the remote to the source's state, --from-remote brings the source's state to the remote's. Nothing is",
        "applied (gitversion apply REMOTE --file applies a plan). Part of the sync module."})
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
  }

  @ArgGroup(multiplicity = "1")
  Direction direction;

  @Option(names = "--at", paramLabel = "TAG|COMMIT|TIME", description = "The source's state at this point (default: now).")
  String at;

  @Option(names = "--schema", paramLabel = "SCHEMA", description = "Only these schemas (repeatable). Default: all.")
  List<String> schemas = List.of();

  @Mixin
  io.gitversion.cli.support.KafkaOptions kafka;

  @Override
  public Integer call() {
    ApiClient client = api.client();
    Modules.require(client, "sync", "migrate");
    String name = direction.toRemote != null ? direction.toRemote : direction.fromRemote;
    RemoteSpec entry = kafka.registry().read().get(name);
    if (entry == null) {
      throw new UserError("no remote " + name + " in the registry (gitversion remote list)");
    }
    Set<String> only = new HashSet<>(schemas);
    String source = api.source(client);
    List<DbObject> objects = new ArrayList<>();
    for (JsonNode definition : client.get("api/sources/" + ApiClient.segment(source) + "/definitions"
        + ApiClient.query(java.util.Collections.singletonMap("at", at)))) {
      DbObject o = Snapshots.object(definition.toString());
      if (only.isEmpty() || only.contains(o.schema())) {
        objects.add(o);
      }
    }
    SchemaModel sourceModel = SchemaModel.of(objects);
    SchemaModel remoteModel = Inspections.inspectOneOfTwo(Remote.of(entry).url().toUriWithPassword(), only);
    Plan plan = direction.toRemote != null ? SchemaPlanner.plan(remoteModel, sourceModel) : SchemaPlanner.plan(sourceModel, remoteModel);
    PrintWriter out = Main.bufferedOut(spec);
    out.println("-- " + (direction.toRemote != null ? "remote " + name + " to the state of " + source : source + " to the state of remote " + name)
        + (at == null ? "" : " at " + at) + ": " + plan.steps().size() + " step(s)");
    for (Step step : plan.steps()) {
      if (!step.hazards().isEmpty()) {
        out.println("-- hazard: " + step.hazards().stream().map(h -> h.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(", ")));
      }
      out.println(step.sql());
    }
    out.flush();
    return 0;
  }
}
