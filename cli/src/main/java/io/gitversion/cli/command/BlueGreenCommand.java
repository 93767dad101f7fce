package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.SqlScript;
import io.gitversion.catalog.UserError;
import io.gitversion.catalog.ddl.SchemaPlanner;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.cli.Main;
import io.gitversion.cli.bluegreen.BlueGreen;
import io.gitversion.cli.support.ApiClient;
import io.gitversion.schemas.BlueGreenDeployment;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gitversion bluegreen ...}: blue-green deployment of a source's schema, expand / contract (the advanced
 * module). The old and the new shape are served side by side as version schemas of views over the same tables;
 * clients choose one with {@code search_path}.
 */
@Command(name = "bluegreen", mixinStandardHelpOptions = true,
    description = {"Blue-green deployment of a schema of a source, expand / contract (the advanced module):",
        "  start SOURCE_URL --schema S (--file F | --to-tag T) [--new-version V]   expand: the old and the new shape",
        "      served side by side, as views in schemas S_<old version> and S_<new version> over the same tables",
        "  status [--json]   each schema's last deployment: its versions, state and the SQL of each step",
        "  complete SOURCE_URL --schema S   contract: the old shape removed, the tables given the new one",
        "  rollback SOURCE_URL --schema S   back to the old shape: the new removed, rows written through either kept",
        "Every step is DDL in the source, captured and versioned like any other change: remotes follow.",
        "Exit 0 when done, 2 when refused (a statement it cannot serve in both shapes, a failed step: nothing changed)."})
public final class BlueGreenCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @picocli.CommandLine.Mixin
  io.gitversion.cli.support.ModuleOptions options;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name an action: start, status, complete or rollback");
  }

  static final class Migration {
    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The migration (statements separated by ';').")
    Path file;

    @Option(names = "--to-tag", required = true, paramLabel = "TAG",
        description = "The schema's state at a tag of the source's history: the planner's migration from its state now.")
    String tag;
  }

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Expand a schema for a migration: the old and the new shape served side by side, as two version schemas of views.")
  int start(@Parameters(paramLabel = "SOURCE_URL", description = "The source database (captured).") String url,
            @Option(names = "--schema", required = true, paramLabel = "S", description = "The schema (its tables).") String schema,
            @ArgGroup(multiplicity = "1") Migration migration,
            @Option(names = "--new-version", paramLabel = "V", description = "The new shape's version. Default: the next number (v2 after v1).")
            String version) throws Exception {
    BlueGreen blueGreen = new BlueGreen(options.advanced("bluegreen start"));
    PgUrl source = PgUrl.parse(url);
    List<String> statements;
    if (migration.file != null) {
      if (!Files.isReadable(migration.file)) {
        throw new UserError("cannot read " + migration.file);
      }
      statements = SqlScript.statements(Files.readString(migration.file));
    } else {
      statements = toTag(options.client(), source.database(), schema, migration.tag);
    }
    BlueGreenDeployment d = blueGreen.start(source, schema, statements, version, user());
    PrintWriter out = Main.bufferedOut(spec);
    out.println("blue-green deployment of " + schema + " started: both shapes served");
    out.println("  old shape: SET search_path = " + schema + "_" + d.getFromVersion());
    out.println("  new shape: SET search_path = " + schema + "_" + d.getToVersion());
    d.getOperations().forEach(o -> out.println("  " + o));
    out.println("then: gitversion bluegreen complete (the old shape removed) or rollback (the new one removed)");
    out.flush();
    return 0;
  }

  /** The planner's migration of one schema from the source's captured state now to its state at a tag. */
  private static List<String> toTag(ApiClient client, String source, String schema, String tag) {
    SchemaModel now = SchemaModel.of(objectsOf(client, source, schema, null));
    SchemaModel then = SchemaModel.of(objectsOf(client, source, schema, tag));
    List<String> statements = SchemaPlanner.plan(now, then).statements();
    if (statements.isEmpty()) {
      throw new UserError("schema " + schema + " has the state of tag " + tag + " already: nothing to deploy");
    }
    return statements;
  }

  private static List<DbObject> objectsOf(ApiClient client, String source, String schema, String at) {
    List<DbObject> objects = new ArrayList<>();
    for (JsonNode definition : client.get("api/sources/" + ApiClient.segment(source) + "/definitions"
        + ApiClient.query(Collections.singletonMap("at", at)))) {
      DbObject o = Snapshots.object(definition.toString());
      if (schema.equals(o.kind() == ObjectKind.SCHEMA ? o.identity() : o.schema())) {
        objects.add(o);
      }
    }
    return objects;
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Each schema's last blue-green deployment (the query API's /api/bluegreen).")
  int status(@Option(names = "--json", description = "As JSON, with the SQL of each step.") boolean json) throws Exception {
    options.advanced("bluegreen status");
    JsonNode rows = options.client().get("api/bluegreen");
    PrintWriter out = Main.bufferedOut(spec);
    if (json) {
      out.println(rows.toPrettyString());
    } else {
      for (JsonNode d : rows) {
        out.println(d.path("source").asText() + "." + d.path("schema").asText() + "\t" + d.path("from").asText() + " -> " + d.path("to").asText()
            + "\t" + d.path("state").asText() + "\tstarted " + d.path("startedAt").asText()
            + (d.path("outcome").isNull() ? "" : "\t" + d.path("outcome").asText()));
      }
    }
    out.flush();
    return 0;
  }

  @Command(name = "complete", mixinStandardHelpOptions = true, description = "Contract: the old shape removed, the tables given the new one.")
  int complete(@Parameters(paramLabel = "SOURCE_URL", description = "The source database.") String url,
               @Option(names = "--schema", required = true, paramLabel = "S", description = "The schema.") String schema) throws Exception {
    BlueGreenDeployment d = new BlueGreen(options.advanced("bluegreen complete")).complete(PgUrl.parse(url), schema, user());
    println(d.getOutcome() + " (SET search_path = " + schema + "_" + d.getToVersion() + ", or " + schema + ")");
    return 0;
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Back to the old shape: the new one removed, rows kept.")
  int rollback(@Parameters(paramLabel = "SOURCE_URL", description = "The source database.") String url,
               @Option(names = "--schema", required = true, paramLabel = "S", description = "The schema.") String schema) throws Exception {
    BlueGreenDeployment d = new BlueGreen(options.advanced("bluegreen rollback")).rollback(PgUrl.parse(url), schema, user());
    println(d.getOutcome());
    return 0;
  }

  private void println(String line) {
    spec.commandLine().getOut().println(line);
    spec.commandLine().getOut().flush();
  }

  private static String user() {
    return System.getProperty("user.name", "cli");
  }
}
