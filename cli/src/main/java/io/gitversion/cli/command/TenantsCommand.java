package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.catalog.UserError;
import io.gitversion.cli.Main;
import io.gitversion.cli.support.KafkaOptions;
import io.gitversion.cli.support.Registry;
import io.gitversion.cli.support.Tenants;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.schemas.TenantTemplate;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gitversion tenants ...}: tenant templates and their tenants (the advanced module). A template is a schema of
 * a source; each tenant (a schema in the template's database, or in a database of its own) takes every change of it
 * under its own schema name, rolled out live by the running syncer (canaries first, then waves), verified by hash.
 */
@Command(name = "tenants", mixinStandardHelpOptions = true,
    description = {"Tenant templates and their tenants, followed live by the running syncer (the advanced module):",
        "  template SOURCE_URL SCHEMA   a schema of a source whose changes its tenants take",
        "  add NAME --schema S [--database URL] [--canary]   a tenant, created from the template's state now",
        "  list, templates, status [--drift], remove NAME, pause NAME, resume NAME (after a repair: it",
        "  replays what it missed), rebase NAME (back to the template's state), remove-template NAME",
        "Exit 0 when done, 2 when refused, 3 from status --drift when a tenant differs from its template."})
public final class TenantsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @picocli.CommandLine.Mixin
  io.gitversion.cli.support.ModuleOptions options;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "How long to wait for the syncer's answer. Default: ${DEFAULT-VALUE}.")
  int timeoutSeconds;

  private io.gitversion.cli.support.ApiClient client() {
    return options.client();
  }

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "name an action: template, templates, add, list, status, remove, pause, resume, rebase or remove-template");
  }

  @Command(name = "template", mixinStandardHelpOptions = true,
      description = "Make a schema of a source a tenant template: every change of it reaches every tenant of it, live.")
  int template(@Parameters(index = "0", paramLabel = "SOURCE_URL", description = "The source database (captured), without a password.") String url,
               @Parameters(index = "1", paramLabel = "SCHEMA", description = "The template schema in it.") String schema,
               @Option(names = "--name", paramLabel = "NAME", description = "The template's name. Default: the schema's.") String name,
               @Option(names = "--password-from", paramLabel = "env:VAR|file:PATH", description = "Where the syncer reads the password.")
               String passwordFrom,
               @Option(names = "--wave-size", paramLabel = "N", defaultValue = "100",
                   description = "After the canaries, how many tenants take a change before the next start. Default: ${DEFAULT-VALUE}.") int waveSize,
               @Option(names = "--parallelism", paramLabel = "N", defaultValue = "4",
                   description = "How many tenants apply at once. Default: ${DEFAULT-VALUE}.") int parallelism) {
    TenantTemplate t = tenants("template").template(name, url, passwordFrom, schema, waveSize, parallelism, user());
    println("template " + t.getName() + ": schema " + t.getSchema$() + " of source " + t.getSource() + " (waves of " + t.getWaveSize()
        + ", " + t.getParallelism() + " at once)");
    return 0;
  }

  @Command(name = "templates", mixinStandardHelpOptions = true, description = "The tenant templates.")
  int templates() {
    Tenants tenants = tenants("templates");
    Map<String, RemoteSpec> all = tenants.tenants(null);
    for (TenantTemplate t : tenants.templates().values()) {
      long count = all.values().stream().filter(s -> s.getTemplate().equals(t.getName())).count();
      println(t.getName() + "\t" + t.getSource() + "." + t.getSchema$() + "\t" + t.getUrl() + "\twave-size=" + t.getWaveSize()
          + "\tparallelism=" + t.getParallelism() + "\ttenants=" + count);
    }
    return 0;
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Add a tenant: the running syncer creates it from the template's current state (verified by hash), then it follows.")
  int add(@Parameters(paramLabel = "NAME", description = "Letters, digits, '_', '.', '-'.") String name,
          @Option(names = "--schema", required = true, paramLabel = "S", description = "Its schema.") String schema,
          @Option(names = "--database", paramLabel = "URL", description = "A database of its own, without a password. Default: the template's.")
          String database,
          @Option(names = "--password-from", paramLabel = "env:VAR|file:PATH", description = "Where the syncer reads its database's password.")
          String passwordFrom,
          @Option(names = "--template", paramLabel = "T", description = "Its template. Default: the only one.") String template,
          @Option(names = "--canary", description = "It takes each change before the others; a change it fails stops the rollout.")
          boolean canary) {
    RemoteSpec entry = tenants("add").add(name, template, schema, database, passwordFrom, canary, user());
    println("tenant " + name + " added to template " + entry.getTemplate() + " (schema " + schema + (database == null ? "" : " in " + entry.getUrl())
        + (canary ? ", canary" : "") + "); the running syncer creates it from the template's state, then it follows");
    return 0;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The tenants (never a password).")
  int list(@Option(names = "--template", paramLabel = "T", description = "Of one template.") String template) {
    for (RemoteSpec t : tenants("list").tenants(template).values()) {
      println(t.getName() + "\t" + t.getTemplate() + "\t" + Tenants.schemaOf(t) + "\t" + t.getUrl() + (t.getCanary() ? "\tcanary" : "")
          + (t.getPaused() ? "\tpaused" : ""));
    }
    return 0;
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Where each tenant stands: state, last commit applied, lag, the failure that stopped it;",
          "with --drift, also whether its schema is its template's, by hash (read live)."})
  int status(@Option(names = "--template", paramLabel = "T", description = "Of one template.") String template,
             @Option(names = "--drift", description = "Compare each tenant's schema with its template's, by hash.") boolean drift,
             @Option(names = "--json", description = "As JSON.") boolean json) {
    Tenants tenants = tenants("status");
    Map<String, RemoteSpec> entries = tenants.tenants(template);
    Map<String, List<String>> drifted = drift ? tenants.drift(entries) : Map.of();
    JsonNode rows = client().get("api/tenants");
    PrintWriter out = Main.bufferedOut(spec);
    com.fasterxml.jackson.databind.node.ArrayNode shown = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    for (JsonNode row : rows) {
      if (entries.containsKey(row.path("name").asText())) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = row.deepCopy();
        if (drift) {
          List<String> lines = drifted.getOrDefault(row.path("name").asText(), List.of());
          copy.put("drift", lines.size());
          copy.set("drifted", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().addAll(
              lines.stream().map(com.fasterxml.jackson.databind.node.TextNode::valueOf).toList()));
        }
        shown.add(copy);
      }
    }
    boolean anyDrift = drifted.values().stream().anyMatch(l -> !l.isEmpty());
    if (json) {
      out.println(shown.toPrettyString());
    } else {
      out.println("tenant\ttemplate\tschema\tstate\tlast applied\tlag (commits)" + (drift ? "\tdrift" : "") + "\tstopped by");
      for (JsonNode r : shown) {
        out.println(r.path("name").asText() + "\t" + r.path("template").asText() + "\t" + r.path("schema").asText() + "\t" + r.path("state").asText()
            + (r.path("canary").asBoolean() ? " (canary)" : "") + "\t" + HistoryOutput.shortId(r.path("lastApplied")) + "\t"
            + r.path("lagCommits").asText("-") + (drift ? "\t" + (r.path("drift").asInt() == 0 ? "none" : r.path("drift").asInt() + " object(s)") : "")
            + "\t" + (r.hasNonNull("failure") ? r.path("failure").asText() : "-"));
        if (drift) {
          r.path("drifted").forEach(line -> out.println("  " + line.asText()));
        }
      }
    }
    out.flush();
    return anyDrift ? CompareCommand.EXIT_DIFFERENT : 0;
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a tenant: no longer kept in step (its schema is left as it is).")
  int remove(@Parameters(paramLabel = "NAME", description = "The tenant.") String name) {
    Tenants tenants = tenants("remove");
    tenants.tenant(name);
    registry().write(name, null);
    println("tenant " + name + " removed; its schema is left as it is");
    return 0;
  }

  @Command(name = "remove-template", mixinStandardHelpOptions = true, description = "Remove a template that has no tenants left.")
  int removeTemplate(@Parameters(paramLabel = "NAME", description = "The template.") String name) {
    Tenants tenants = tenants("remove-template");
    tenants.templateNamed(name);
    Map<String, RemoteSpec> left = tenants.tenants(name);
    if (!left.isEmpty()) {
      throw new UserError("template " + name + " has " + left.size() + " tenant(s): remove them first (gitversion tenants list --template " + name + ")");
    }
    registry().writeTemplate(name, null);
    println("template " + name + " removed");
    return 0;
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a tenant: it takes nothing until resumed.")
  int pause(@Parameters(paramLabel = "NAME", description = "The tenant.") String name) {
    RemoteSpec entry = tenants("pause").tenant(name);
    registry().write(name, RemoteSpec.newBuilder(entry).setPaused(true).setChangedBy(user()).setChangedAt(Instant.now()).build());
    println("tenant " + name + " paused");
    return 0;
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Resume a paused tenant, or one stopped at a commit (after its repair): it replays, in order, what it missed.")
  int resume(@Parameters(paramLabel = "NAME", description = "The tenant.") String name) {
    RemoteSpec entry = tenants("resume").tenant(name);
    if (entry.getPaused()) {
      registry().write(name, RemoteSpec.newBuilder(entry).setPaused(false).setChangedBy(user()).setChangedAt(Instant.now()).build());
      println("tenant " + name + ": resumed (it was paused)");
      return 0;
    }
    return RemoteCommand.request(spec.commandLine().getOut(), kafka().servers(), timeoutSeconds, "tenant", name, "resume", null, null);
  }

  @Command(name = "rebase", mixinStandardHelpOptions = true,
      description = "Bring a tenant to its template's current state with one planned, verified migration (what it has beyond is kept).")
  int rebase(@Parameters(paramLabel = "NAME", description = "The tenant.") String name) {
    tenants("rebase").tenant(name);
    return RemoteCommand.request(spec.commandLine().getOut(), kafka().servers(), timeoutSeconds, "tenant", name, "rebase", null, null);
  }

  private void println(String line) {
    spec.commandLine().getOut().println(line);
    spec.commandLine().getOut().flush();
  }

  private KafkaOptions kafka() {
    return options.kafka();
  }

  private Registry registry() {
    return new Registry(kafka().clientProperties(), kafka().servers());
  }

  /** The tenants, for a command of the advanced module (refused while it is not enabled). */
  private Tenants tenants(String command) {
    return new Tenants(options.advanced("tenants " + command));
  }

  private static String user() {
    return System.getProperty("user.name", "cli");
  }
}
