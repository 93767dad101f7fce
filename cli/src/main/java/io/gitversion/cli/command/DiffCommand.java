package io.gitversion.cli.command;

import io.gitversion.catalog.ddl.Hazard;
import io.gitversion.catalog.ddl.Ownership;
import io.gitversion.catalog.ddl.Plan;
import io.gitversion.catalog.ddl.SchemaPlanner;
import io.gitversion.catalog.ddl.Step;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.cli.Main;
import io.gitversion.cli.support.Inspections;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "diff", mixinStandardHelpOptions = true,
    description = {"Print on stdout the SQL that turns database FROM into database TO, or (--from-tag, --to-tag) a",
        "source's schema at one tag into its schema at another. Each step's hazards are SQL comments above it.",
        "Messages go to stderr. Exit 3 with --safe when a step could lose data."})
public final class DiffCommand implements Callable<Integer> {
  static final int EXIT_UNSAFE = 3;

  @Spec
  CommandSpec spec;

  @Option(names = "--from", paramLabel = "URL", description = "The database as it is.")
  String from;

  @Option(names = "--to", paramLabel = "URL", description = "The database as it should be.")
  String to;

  @Option(names = "--from-tag", paramLabel = "POINT", description = {"A source's schema at this tag (or commit, or time), from its",
      "history (the query API: --api, --source). Renames between the two points stay renames."})
  String fromTag;

  @Option(names = "--to-tag", paramLabel = "POINT", description = "... into its schema at this tag (or commit, or time).")
  String toTag;

  @picocli.CommandLine.Mixin
  io.gitversion.cli.support.ApiOptions api;

  @Option(names = "--schema", paramLabel = "SCHEMA", description = "Only these schemas (repeatable). Default: all.")
  List<String> schemas = List.of();

  @Option(names = "--safe", description = "Refuse (exit 3) when a step is destructive, i.e. can lose data.")
  boolean safe;

  @Option(names = "--owners", description = {"Also give objects the owners they have in TO (ALTER ... OWNER TO) where",
      "they differ, and new objects theirs. Default: owners are left alone (they are outside the hash)."})
  boolean owners;

  @Override
  public Integer call() {
    if ((from == null) != (to == null) || (fromTag == null) != (toTag == null) || (from == null) == (fromTag == null)) {
      throw new io.gitversion.catalog.UserError("diff needs --from URL --to URL (two databases), or --from-tag A --to-tag B (a source's history)");
    }
    if (fromTag != null) {
      return betweenTags();
    }
    Set<String> only = new HashSet<>(schemas);
    // both databases at once: each inspection waits on its server most of the time
    CompletableFuture<SchemaModel> targetModel = CompletableFuture.supplyAsync(() -> Inspections.inspectOneOfTwo(to, only));
    SchemaModel source = Inspections.inspectOneOfTwo(from, only);
    SchemaModel target = Inspections.alignReleases(from, to, source, Inspections.join(targetModel));
    Plan plan = SchemaPlanner.plan(source, target, owners ? Ownership.ALL : Ownership.IGNORED);
    PrintWriter err = spec.commandLine().getErr();
    if (plan.isEmpty() && !source.hashes().equals(target.hashes())) {
      // never "no differences" when the hashes say otherwise: a difference no step migrates is a gap of the planner
      List<String> differing = differing(source, target);
      err.println("gitversion: the databases differ in " + differing.size() + " object(s) that no step migrates: "
          + String.join(", ", differing.subList(0, Math.min(10, differing.size()))) + (differing.size() > 10 ? ", ..." : "")
          + " (a gap of the planner: please report it)");
      return Main.EXIT_FAILURE;
    }
    if (safe) {
      List<Step> destructive = plan.steps().stream().filter(s -> s.hazards().stream().anyMatch(Hazard::destructive)).toList();
      if (!destructive.isEmpty()) {
        err.println("gitversion: refusing (--safe): " + destructive.size() + " destructive step(s), first: " + destructive.get(0).sql());
        return EXIT_UNSAFE;
      }
    }
    PrintWriter out = Main.bufferedOut(spec);
    for (Step step : plan.steps()) {
      if (!step.hazards().isEmpty()) {
        out.println("-- hazard: " + step.hazards().stream().map(h -> h.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(", ")));
      }
      out.println(step.sql());
    }
    out.flush();
    err.println(plan.isEmpty() ? "gitversion: no differences" : "gitversion: " + plan.steps().size() + " step(s)");
    return 0;
  }

  /** The migration between two points of a source's history, as the query API plans it (identities known). */
  private int betweenTags() {
    io.gitversion.cli.support.ApiClient client = api.client();
    String source = api.source(client);
    java.util.Map<String, String> points = new java.util.LinkedHashMap<>();
    points.put("from", fromTag);
    points.put("to", toTag);
    com.fasterxml.jackson.databind.JsonNode migration = client.get("api/sources/" + io.gitversion.cli.support.ApiClient.segment(source)
        + "/migration" + io.gitversion.cli.support.ApiClient.query(points));
    PrintWriter err = spec.commandLine().getErr();
    List<String> hazards = new java.util.ArrayList<>();
    migration.path("hazards").forEach(h -> hazards.add(h.asText()));
    if (safe && hazards.stream().anyMatch(h -> Hazard.valueOf(h.toUpperCase(Locale.ROOT)).destructive())) {
      err.println("gitversion: refusing (--safe): the migration has destructive steps (" + String.join(", ", hazards) + ")");
      return EXIT_UNSAFE;
    }
    PrintWriter out = Main.bufferedOut(spec);
    out.println("-- " + source + " from " + fromTag + " (state hash " + migration.path("fromStateHash").asText() + ") to " + toTag
        + " (state hash " + migration.path("toStateHash").asText() + ")");
    if (!hazards.isEmpty()) {
      out.println("-- hazards: " + String.join(", ", hazards));
    }
    migration.path("sql").forEach(s -> out.println(s.asText()));
    out.flush();
    err.println(migration.path("sql").isEmpty() ? "gitversion: no differences" : "gitversion: " + migration.path("sql").size() + " step(s)");
    return 0;
  }

  /** The ids of the objects whose hashes differ between the two models (in one only, or changed), in id order. */
  static List<String> differing(SchemaModel source, SchemaModel target) {
    java.util.SortedSet<String> ids = new java.util.TreeSet<>(source.hashes().keySet());
    ids.addAll(target.hashes().keySet());
    return ids.stream().filter(id -> !java.util.Objects.equals(source.hashes().get(id), target.hashes().get(id))).toList();
  }
}
