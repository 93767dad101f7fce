package io.gitversion.cli.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.SqlScript;
import io.gitversion.catalog.UserError;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.catalog.model.ObjectHash;
import io.gitversion.cli.support.ApiClient;
import io.gitversion.cli.support.Registry;
import io.gitversion.cli.support.RemotePlans;
import io.gitversion.schemas.Mismatch;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.syncer.Remote;
import io.gitversion.syncer.ScriptApplier;
import io.gitversion.syncer.Verification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the sync module's requests made in a source ({@code gitversion.sync_requests}, collector's sync.sql):
 * woken by {@code NOTIFY gitversion_sync_requests} (else it looks every second), it claims each pending request,
 * does what the matching command does ({@code remote add|test}, {@code compare}, {@code migrate}, {@code apply
 * [--plan]}) and writes the outcome, its duration and details into the request's row. Runs next to the source's
 * collector ({@code gitversion up}, {@code gitversion collector}).
 */
public final class SourceRequests implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SourceRequests.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);
  private static final int RETRIES = 3;

  private final PgUrl source;
  private final String database;
  private final Registry registry;
  private final String apiUrl;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Connection connection;

  private SourceRequests(PgUrl source, String database, Registry registry, String apiUrl) {
    this.source = source;
    this.database = database;
    this.registry = registry;
    this.apiUrl = apiUrl == null || apiUrl.isBlank() ? null : apiUrl;
    this.thread = new Thread(this, "gitversion-sync-requests-" + database);
    this.thread.setDaemon(true);
  }

  /**
   * Starts carrying out the requests of a source.
   *
   * @param database the source's name in the pipeline (its commits' and the query API's)
   * @param apiUrl the query API, for requests that read the source's history; null: they fail saying so
   */
  public static SourceRequests start(PgUrl source, String database, Registry registry, String apiUrl) {
    SourceRequests requests = new SourceRequests(source, database, registry, apiUrl);
    requests.thread.start();
    return requests;
  }

  @Override
  public void run() {
    boolean warned = false;
    while (running) {
      try (Connection c = Database.connect(source)) {
        connection = c;
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN gitversion_sync_requests");
        }
        while (running) {
          Request request = claim(c);
          if (request != null) {
            carryOut(c, request);
          } else {
            c.unwrap(PGConnection.class).getNotifications(1_000);
          }
        }
      } catch (SQLException e) {
        if (!running) {
          return;
        }
        if ("42P01".equals(e.getSQLState())) {
          if (!warned) {
            log.warn("{} has no sync requests table: upgrade its capture (gitversion install) to use the sync module's SQL", source);
            warned = true;
          }
        } else {
          log.warn("sync requests of {}: {}; trying again", source, Database.firstLine(e.getMessage()));
        }
        pause(5_000);
      } finally {
        connection = null;
      }
    }
  }

  private record Request(long id, String request, String remote, JsonNode args) {}

  private static Request claim(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("UPDATE gitversion.sync_requests r SET status = 'running' WHERE r.id = "
             + "(SELECT id FROM gitversion.sync_requests WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
             + "RETURNING r.id, r.request, r.remote, r.args::text")) {
      if (!rs.next()) {
        return null;
      }
      try {
        return new Request(rs.getLong(1), rs.getString(2), rs.getString(3), JSON.readTree(rs.getString(4)));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("unreadable request arguments: " + e.getOriginalMessage(), e);
      }
    }
  }

  private void carryOut(Connection c, Request request) throws SQLException {
    long start = System.nanoTime();
    Outcome outcome;
    try {
      outcome = execute(request);
    } catch (UserError | IllegalArgumentException | IllegalStateException | SQLException e) {
      outcome = new Outcome("failed", e instanceof SQLException sql ? Database.firstLine(sql.getMessage()) : e.getMessage(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = new Outcome("failed", "interrupted: the collector is stopping", null);
    }
    double millis = (System.nanoTime() - start) / 1e6;
    try (PreparedStatement ps = c.prepareStatement("UPDATE gitversion.sync_requests SET status = ?, result = ?, details = ?::jsonb, "
        + "finished_at = ?, duration_ms = ? WHERE id = ?")) {
      ps.setString(1, outcome.status());
      ps.setString(2, outcome.result());
      ps.setString(3, outcome.details() == null ? null : outcome.details().toString());
      ps.setTimestamp(4, Timestamp.from(Instant.now()));
      ps.setDouble(5, millis);
      ps.setLong(6, request.id());
      ps.executeUpdate();
    }
    log.info("sync request {} ({} {}) of {}: {} in {} ms", request.id(), request.request(), request.remote(), database, outcome.status(),
        Math.round(millis));
  }

  /** What became of a request: done or failed, its answer, and details (each statement, mismatches). */
  private record Outcome(String status, String result, JsonNode details) {
    static Outcome done(String result) {
      return new Outcome("done", result, null);
    }
  }

  private Outcome execute(Request r) throws SQLException, InterruptedException {
    return switch (r.request()) {
      case "add_remote" -> Outcome.done("remote " + r.remote() + " added: " + registry.add(Registry.entry(r.remote(), r.args().path("connection").asText(),
          text(r.args(), "password_from"), texts(r.args(), "sources"), texts(r.args(), "schemas"), texts(r.args(), "exclude_schemas"),
          texts(r.args(), "kinds"), map(r.args(), "map_schemas"), text(r.args(), "strategy"), "sql:" + database)));
      case "test" -> Outcome.done(Registry.test(registry.entry(r.remote())));
      case "read_hashes" -> readHashes(r.remote());
      case "migration" -> migration(r);
      case "apply" -> applied(r.remote(), SqlScript.statements(r.args().path("script").asText()), null, r.args().path("dry_run").asBoolean(true));
      case "sync" -> sync(r);
      case "resolve" -> resolve(r);
      case "tenant_template" -> tenantTemplate(r);
      case "tenant_sync" -> tenantSync(r);
      case "multi_tenant_sync" -> multiTenantSync();
      case "shard_check" -> shardCheck(r);
      default -> new Outcome("failed", "unknown request " + r.request(), null);
    };
  }

  /** advanced_setup_tenant_template: a schema of this source made a template, named after it. */
  private Outcome tenantTemplate(Request r) {
    io.gitversion.schemas.TenantTemplate t = new io.gitversion.cli.support.Tenants(registry).template(null,
        source.withPassword(null).withDatabase(database).toString(), text(r.args(), "password_from"), r.remote(),
        r.args().path("wave_size").asInt(100), r.args().path("parallelism").asInt(4), "sql:" + database);
    return Outcome.done("template " + t.getName() + ": schema " + t.getSchema$() + " of source " + t.getSource()
        + " (waves of " + t.getWaveSize() + ", " + t.getParallelism() + " at once)");
  }

  /** The template of this source whose schema is {@code schema}. */
  private io.gitversion.schemas.TenantTemplate templateOf(io.gitversion.cli.support.Tenants tenants, String schema) {
    return tenants.templates().values().stream().filter(t -> t.getSource().equals(database) && t.getSchema$().equals(schema)).findFirst()
        .orElseThrow(() -> new UserError("no template of schema " + schema + " in " + database
            + ": SELECT gitversion.advanced_setup_tenant_template('" + schema + "')"));
  }

  /**
   * advanced_tenant_sync: the tenant added if it is not yet (and created by the syncer), resumed if stopped, then
   * waited for (in step: following, no lag) and compared with its template by hash.
   */
  private Outcome tenantSync(Request r) throws InterruptedException {
    io.gitversion.cli.support.Tenants tenants = new io.gitversion.cli.support.Tenants(registry);
    io.gitversion.schemas.TenantTemplate template = templateOf(tenants, r.args().path("template").asText());
    Map<String, RemoteSpec> known = tenants.tenants(template.getName());
    if (!known.containsKey(r.remote())) {
      tenants.add(r.remote(), template.getName(), r.args().path("schema").asText(r.remote()), text(r.args(), "database"),
          text(r.args(), "password_from"), r.args().path("canary").asBoolean(false), "sql:" + database);
    }
    return tenantResults(tenants, List.of(r.remote()));
  }

  /** advanced_multi_tenant_sync: every tenant of this source's templates, each one's result. */
  private Outcome multiTenantSync() throws InterruptedException {
    io.gitversion.cli.support.Tenants tenants = new io.gitversion.cli.support.Tenants(registry);
    List<String> names = new ArrayList<>();
    tenants.templates().values().stream().filter(t -> t.getSource().equals(database))
        .forEach(t -> names.addAll(tenants.tenants(t.getName()).keySet()));
    if (names.isEmpty()) {
      return Outcome.done("no tenant of a template of " + database);
    }
    return tenantResults(tenants, names);
  }

  /**
   * Waits (a minute at most) until each tenant is in step or stopped, resumes those stopped at a commit (they replay
   * what they missed), and gives each one's state and drift from its template by hash: done when all are in step and
   * equal, failed otherwise; the details hold a row per tenant.
   */
  private Outcome tenantResults(io.gitversion.cli.support.Tenants tenants, List<String> names) throws InterruptedException {
    if (apiUrl == null) {
      throw new UserError("this source's collector runs without the query API (collector.api.url): tenants' states are read there");
    }
    ApiClient api = new ApiClient(apiUrl);
    Map<String, JsonNode> rows = new java.util.TreeMap<>();
    java.util.Set<String> resumed = new java.util.HashSet<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      rows.clear();
      for (JsonNode row : api.get("api/tenants")) {
        if (names.contains(row.path("name").asText())) {
          rows.put(row.path("name").asText(), row);
        }
      }
      boolean settled = rows.size() == names.size();
      for (JsonNode row : rows.values()) {
        String name = row.path("name").asText();
        String state = row.path("state").asText();
        if (state.startsWith("stopped") && resumed.add(name)) {
          io.gitversion.cli.command.RemoteCommand.request(new java.io.PrintWriter(java.io.Writer.nullWriter()), registry.servers(), 60,
              "tenant", name, "resume", null, null);
          settled = false;
        } else if (state.equals("joining") || state.equals("following") && row.path("lagCommits").asLong(0) > 0) {
          settled = false;
        }
      }
      if (settled || System.nanoTime() > deadline) {
        break;
      }
      pause(500);
    }
    Map<String, RemoteSpec> entries = new java.util.TreeMap<>(tenants.tenants(null));
    entries.keySet().retainAll(names);
    Map<String, List<String>> drift = tenants.drift(entries);
    ArrayNode details = JSON.createArrayNode();
    int inStep = 0;
    for (String name : names) {
      JsonNode row = rows.get(name);
      ObjectNode d = details.addObject();
      d.put("tenant", name);
      d.put("state", row == null ? "unknown" : row.path("state").asText());
      d.put("last_applied", row == null || row.path("lastApplied").isNull() ? null : row.path("lastApplied").asText());
      d.put("failure", row == null || row.path("failure").isNull() ? null : row.path("failure").asText());
      List<String> lines = drift.getOrDefault(name, List.of());
      d.put("equal_to_template", lines.isEmpty());
      ArrayNode differing = d.putArray("drift");
      lines.forEach(differing::add);
      if (row != null && row.path("state").asText().equals("following") && lines.isEmpty()) {
        inStep++;
      }
    }
    String result = inStep + " of " + names.size() + " tenant(s) in step with their template (equal by hash)";
    return new Outcome(inStep == names.size() ? "done" : "failed", result, details);
  }

  /** advanced_shard_consistency_check: a shard group's check (and repair), its rows and plans in the details. */
  private Outcome shardCheck(Request r) throws SQLException, InterruptedException {
    List<String> names = r.remote() != null ? List.of(r.remote()) : texts(r.args(), "members");
    io.gitversion.cli.support.Shards.Run run = new io.gitversion.cli.support.Shards(registry, apiUrl == null ? null : new ApiClient(apiUrl))
        .run(names, Set.copyOf(texts(r.args(), "schemas")), r.args().path("reference").asText(io.gitversion.cli.support.Shards.MAJORITY),
            r.args().path("repair").asBoolean(false), "sql:" + database);
    Map<String, Integer> divergent = run.before().divergentMembers();
    String result = "shard group " + run.before().group() + ": " + run.before().members().size() + " members, " + run.before().objects()
        + " objects; " + (run.before().consistent() ? "every member is equal"
        : run.before().divergent().size() + " object(s) differ" + (divergent.isEmpty() ? "" : " on " + String.join(", ", divergent.keySet())))
        + (run.outcomes().isEmpty() ? "" : "; " + String.join("; ", run.outcomes().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()))
        + (run.after() != run.before() ? "; after the repair: " + (run.after().consistent() ? "every member is equal" : "still divergent") : "");
    return new Outcome(run.failed() ? "failed" : "done", result, JSON.valueToTree(run.json()));
  }

  /** The remote's hashes into gitversion.remote_hashes, replacing those read before. */
  private Outcome readHashes(String name) throws SQLException {
    RemoteSpec entry = registry.entry(name);
    List<ObjectHash> objects = Inspector.hashes(Remote.of(entry).url(), Set.of(), false).objects();
    try (Connection c = Database.connect(source)) {
      c.setAutoCommit(false);
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM gitversion.remote_hashes WHERE remote = ?");
           PreparedStatement insert = c.prepareStatement("INSERT INTO gitversion.remote_hashes (remote, kind, schema_name, object_name, "
               + "identity, full_name, ddl_hash, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        delete.setString(1, name);
        delete.executeUpdate();
        Timestamp now = Timestamp.from(Instant.now());
        for (ObjectHash o : objects) {
          insert.setString(1, name);
          insert.setString(2, o.kind().label());
          insert.setString(3, o.schema());
          insert.setString(4, o.name());
          insert.setString(5, o.identity());
          insert.setString(6, o.schema() == null ? o.identity() : o.schema() + "." + o.identity());
          insert.setString(7, o.hash());
          insert.setTimestamp(8, now);
          insert.addBatch();
        }
        insert.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
    return Outcome.done(objects.size() + " object(s) of remote " + name + " read: SELECT * FROM gitversion.remote_objects('" + name + "')");
  }

  private RemotePlans plans(String remote) {
    if (apiUrl == null) {
      throw new UserError("this source's collector runs without the query API (collector.api.url): this request reads the source's history");
    }
    return new RemotePlans(new ApiClient(apiUrl), database, registry.entry(remote), Set.of());
  }

  private Outcome migration(Request r) {
    RemotePlans plans = plans(r.remote());
    List<RemotePlans.RemotePlan> printed = switch (r.args().path("direction").asText("to_remote")) {
      case "from_remote" -> List.of(plans.fromRemote(null));
      case "bidirectional" -> plans.bidirectional(null);
      default -> List.of(plans.toRemote(null));
    };
    StringBuilder sql = new StringBuilder();
    for (RemotePlans.RemotePlan p : printed) {
      sql.append("-- ").append(p.title()).append(": ").append(p.plan().steps().size()).append(" step(s)\n");
      p.notes().forEach(n -> sql.append("-- ").append(n).append('\n'));
      p.plan().statements().forEach(s -> sql.append(s).append('\n'));
    }
    return Outcome.done(sql.toString());
  }

  private Outcome sync(Request r) throws SQLException, InterruptedException {
    RemotePlans plans = plans(r.remote());
    RemotePlans.RemotePlan plan = r.args().hasNonNull("from") ? plans.betweenPoints(r.args().path("from").asText(), r.args().path("to").asText())
        : plans.toRemote(null);
    if (plan.plan().isEmpty()) {
      return Outcome.done("nothing to apply: remote " + r.remote() + " has that state already");
    }
    return applied(r.remote(), plan.plan().statements(), plan.verification(), false);
  }

  private Outcome resolve(Request r) throws SQLException, InterruptedException {
    String strategy = r.args().path("strategy").asText();
    List<RemotePlans.RemotePlan> both = plans(r.remote()).bidirectional(switch (strategy) {
      case "prefer-source" -> "source";
      case "prefer-remote" -> "remote";
      default -> null;
    });
    RemotePlans.RemotePlan toRemote = both.get(0);
    RemotePlans.RemotePlan toSource = both.get(1);
    if (!toRemote.notes().isEmpty()) {
      return new Outcome("failed", "strategy manual: nothing applied; " + String.join("; ", toRemote.notes()), null);
    }
    Outcome remoteSide = toRemote.plan().isEmpty() ? Outcome.done("the remote had everything")
        : applied(r.remote(), toRemote.plan().statements(), toRemote.verification(), false);
    if (!remoteSide.status().equals("done")) {
      return remoteSide;
    }
    if (!toSource.plan().isEmpty()) {
      // the source takes the remote's side: applied here as a change of this source (captured, then synced as any other)
      try (Connection c = Database.connect(source); Statement st = c.createStatement()) {
        c.setAutoCommit(false);
        for (String sql : toSource.plan().statements()) {
          st.execute(sql);
        }
        c.commit();
      }
    }
    return Outcome.done("remote " + r.remote() + ": " + remoteSide.result() + "; this source: " + toSource.plan().steps().size() + " statement(s) applied");
  }

  /** A script or a verified plan applied to a remote as {@code gitversion apply} does, its outcome and each statement's. */
  private Outcome applied(String name, List<String> statements, Verification verification, boolean dryRun) throws SQLException, InterruptedException {
    if (statements.isEmpty()) {
      throw new UserError("no statement to apply");
    }
    ScriptApplier.Result result = ScriptApplier.apply(Remote.of(registry.entry(name)), statements, verification, dryRun, LOCK_TIMEOUT, RETRIES);
    ObjectNode details = JSON.createObjectNode();
    ArrayNode steps = details.putArray("statements");
    for (ScriptApplier.Step step : result.steps()) {
      ObjectNode s = steps.addObject();
      s.put("sql", step.sql());
      s.put("outcome", step.outcome());
      s.put("ms", step.millis());
      ArrayNode locks = s.putArray("locks");
      step.locks().forEach(locks::add);
    }
    ArrayNode mismatches = details.putArray("mismatches");
    for (Mismatch m : result.mismatches()) {
      mismatches.addObject().put("object", m.getObject()).put("expected", m.getExpected()).put("actual", m.getActual());
    }
    String verified = verification == null ? "" : "; verified: " + verification.after().size() + " object(s) have the expected hashes";
    return switch (result.outcome()) {
      case "applied" -> new Outcome("done", "applied to " + name + ": " + statements.size() + " statement(s)" + verified, details);
      case "rolled back" -> new Outcome("done", "dry run on " + name + ": rolled back, nothing changed" + verified, details);
      case "duplicate" -> new Outcome("done", "already applied to " + name + ": nothing done", details);
      default -> new Outcome("failed", result.outcome() + " on " + name + ": " + result.error() + " (rolled back)", details);
    };
  }

  private static String text(JsonNode args, String field) {
    return args.hasNonNull(field) ? args.get(field).asText() : null;
  }

  private static List<String> texts(JsonNode args, String field) {
    List<String> values = new ArrayList<>();
    args.path(field).forEach(v -> values.add(v.asText()));
    return values;
  }

  private static Map<String, String> map(JsonNode args, String field) {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    args.path(field).fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
    return values;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
