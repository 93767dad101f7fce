package io.gitversion.processor.api;

import io.gitversion.catalog.ddl.Plan;
import io.gitversion.catalog.ddl.SchemaPlanner;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.contract.Commits;
import io.gitversion.contract.Topics;
import io.gitversion.processor.history.History;
import io.gitversion.processor.history.HistoryStores;
import io.gitversion.processor.internals.PointPlanner;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.ObjectVersion;
import io.gitversion.schemas.Tag;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The query API: JSON over HTTP from the history stores, the one API the CLI's history commands, the dashboard and
 * other programs use. Resources (all under {@code /api}; the document is {@code /api/openapi.json}):
 * sources; a source's objects ({@code ?at=}), one object ({@code ?at=}), its history; commits (paged, newest first),
 * one commit; tags (and making one); the schema at a point; the migration between two points. A point ({@code at},
 * {@code from}, {@code to}) is a tag, a commit (id or unique prefix) or a time (ISO-8601); none is now. Unknown
 * source, object, commit or tag: 404; an unreadable point: 400; errors are {@code {"error": "..."}}.
 */
final class QueryApi {
  private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,199}");
  private static final Duration TAG_VISIBLE = Duration.ofSeconds(15);

  private final Router router;
  private final Producer<String, Tag> tags;

  private QueryApi(Router router, Producer<String, Tag> tags) {
    this.router = router;
    this.tags = tags;
  }

  static void register(RoutesConfig app, Router router, Producer<String, Tag> tags) {
    QueryApi api = new QueryApi(router, tags);
    app.get("/api/openapi.json", ctx -> ctx.contentType("application/json")
        .result(QueryApi.class.getResourceAsStream("openapi.json")));
    app.get("/api/sources", api::sources);
    app.get("/api/changes", ctx -> ctx.json(api.latestChanges(200)));
    app.get("/api/local/sources", ctx -> ctx.json(api.localSources()));
    app.get("/api/sources/{db}", routed(api, (h, ctx) -> source(h, ctx)));
    app.get("/api/sources/{db}/objects", routed(api, QueryApi::objects));
    app.get("/api/sources/{db}/objects/{object}", routed(api, QueryApi::object));
    app.get("/api/sources/{db}/objects/{object}/history", routed(api, QueryApi::history));
    app.get("/api/sources/{db}/commits", routed(api, QueryApi::commits));
    app.get("/api/sources/{db}/commits/{commit}", routed(api, QueryApi::commit));
    app.get("/api/sources/{db}/tags", routed(api, (h, ctx) -> ctx.json(h.tags(db(h, ctx)).values().stream().map(QueryApi::tag).toList())));
    app.get("/api/sources/{db}/tags/{tag}", routed(api, (h, ctx) -> ctx.json(tag(h.tag(db(h, ctx), ctx.pathParam("tag"))
        .orElseThrow(() -> new NotFound("unknown tag " + ctx.pathParam("tag") + " of " + ctx.pathParam("db")))))));
    app.post("/api/sources/{db}/tags", routed(api, api::makeTag));
    app.get("/api/sources/{db}/schema", routed(api, QueryApi::schema));
    app.get("/api/sources/{db}/states", routed(api, QueryApi::states));
    app.get("/api/sources/{db}/hashes", routed(api, QueryApi::hashes));
    app.get("/api/sources/{db}/definitions", routed(api, QueryApi::definitions));
    app.get("/api/sources/{db}/migration", routed(api, QueryApi::migration));
    app.exception(NotFound.class, (e, ctx) -> error(ctx, HttpStatus.NOT_FOUND, e.getMessage()));
    app.exception(History.UnknownPoint.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
    app.exception(BadRequest.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
    app.exception(Conflict.class, (e, ctx) -> error(ctx, HttpStatus.CONFLICT, e.getMessage()));
    app.exception(Router.Unavailable.class, (e, ctx) -> error(ctx, HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
    app.exception(InvalidStateStoreException.class, (e, ctx) -> error(ctx, HttpStatus.SERVICE_UNAVAILABLE,
        "the history is being restored or moved between instances: retry (" + e.getMessage() + ")"));
  }

  private interface Answer {
    void answer(History history, Context ctx) throws Exception;
  }

  /** Answers here when this instance holds the source, else passes the request to the one that does. */
  private static io.javalin.http.Handler routed(QueryApi api, Answer answer) {
    return ctx -> {
      String database = ctx.pathParam("db");
      Optional<HostInfo> owner = ctx.header(Router.ROUTED) == null ? api.router.elsewhere(database) : Optional.empty();
      if (owner.isPresent()) {
        String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
        HttpResponse<byte[]> passed = api.router.pass(owner.get(), ctx.req().getMethod(), ctx.path() + query, ctx.bodyAsBytes(), ctx.contentType());
        ctx.status(passed.statusCode());
        passed.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
        ctx.result(passed.body());
        return;
      }
      answer.answer(api.router.local(), ctx);
    };
  }

  private void sources(Context ctx) {
    Map<String, Object> all = new TreeMap<>();
    localSources().forEach(s -> all.put((String) s.get("name"), s));
    if (ctx.header(Router.ROUTED) == null) {
      for (HostInfo other : router.others()) {
        HttpResponse<byte[]> answer = router.pass(other, "GET", "/api/local/sources", null, null);
        if (answer.statusCode() == 200) {
          try {
            for (Object s : Json.MAPPER.readValue(answer.body(), List.class)) {
              all.put((String) ((Map<?, ?>) s).get("name"), s);
            }
          } catch (java.io.IOException e) {
            throw new Router.Unavailable("unreadable answer from " + other + ": " + e.getMessage());
          }
        }
      }
    }
    ctx.json(new ArrayList<>(all.values()));
  }

  /**
   * The latest changes of the sources this instance holds, newest first (the first dashboard's feed, which scripts
   * still read): each object's change with its version, statement, forward SQL and hazards.
   */
  private List<Map<String, Object>> latestChanges(int limit) {
    if (!router.holdsHistory()) {
      return List.of();
    }
    History history = router.local();
    List<io.gitversion.schemas.Change> all = new ArrayList<>();
    history.sources().keySet().forEach(database -> history.log(database, 0, limit, c -> true)
        .forEach(n -> all.addAll(n.commit().getChanges())));
    all.sort(java.util.Comparator.comparing((io.gitversion.schemas.Change c) -> changedAt(c)).reversed());
    return all.stream().limit(limit).map(Json::change).toList();
  }

  private static Instant changedAt(io.gitversion.schemas.Change change) {
    ObjectVersion state = change.getAfter() != null ? change.getAfter() : change.getBefore();
    return state == null ? Instant.EPOCH : state.getChangedAt();
  }

  private List<Map<String, Object>> localSources() {
    if (!router.holdsHistory()) {
      return List.of();
    }
    History history = router.local();
    List<Map<String, Object>> rows = new ArrayList<>();
    history.sources().forEach((database, head) -> rows.add(sourceRow(history, database, head)));
    return rows;
  }

  private static Map<String, Object> sourceRow(History history, String database, long head) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", database);
    row.put("commits", head);
    Commit last = history.commitAt(database, head).map(History.Numbered::commit).orElse(null);
    row.put("head", last == null ? null : last.getId());
    row.put("lastCommitAt", last == null ? null : last.getCommittedAt().toString());
    row.put("tags", history.tags(database).size());
    return row;
  }

  private static void source(History history, Context ctx) {
    String database = db(history, ctx);
    long head = history.head(database).orElse(0L);
    Map<String, Object> row = sourceRow(history, database, head);
    // kept per commit by the history: the dashboard asks on every event, and recomputing it reads every definition
    row.put("stateHash", history.stateHashAt(database, head).orElseGet(() -> history.schemaAt(database, head).stateHash()));
    ctx.json(row);
  }

  private static void objects(History history, Context ctx) {
    String database = db(history, ctx);
    long point = history.resolve(database, ctx.queryParam("at"));
    String kind = ctx.queryParam("kind");
    String schema = ctx.queryParam("schema");
    String search = ctx.queryParam("q");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ObjectVersion v : history.objectsAt(database, point).values()) {
      if ((kind == null || kind.equals(v.getKind())) && (schema == null || schema.equals(v.getSchema$()))
          && (search == null || v.getName().toLowerCase(java.util.Locale.ROOT).contains(search.toLowerCase(java.util.Locale.ROOT)))) {
        rows.add(Json.version(v, false));
      }
    }
    ctx.json(rows);
  }

  private static void object(History history, Context ctx) {
    String database = db(history, ctx);
    String key = objectKey(history, database, ctx.pathParam("object"));
    long point = history.resolve(database, ctx.queryParam("at"));
    ObjectVersion v = history.objectAt(database, key, point)
        .orElseThrow(() -> new NotFound(ctx.pathParam("object") + " did not exist in " + database + " at " + describe(ctx.queryParam("at"))));
    ctx.json(Json.version(v, true));
  }

  private static void history(History history, Context ctx) {
    String database = db(history, ctx);
    String key = objectKey(history, database, ctx.pathParam("object"));
    ctx.json(history.versions(database, key).stream().map(v -> {
      Map<String, Object> row = Json.version(v, true);
      history.madeBy(database, key, v.getVersion()).ifPresent(made -> {
        row.put("action", made[0]);
        row.put("statement", made[1].isEmpty() ? null : made[1]);
      });
      return row;
    }).toList());
  }

  private static void commits(History history, Context ctx) {
    String database = db(history, ctx);
    long before = parseLong(ctx.queryParam("before"), 0, "before");
    int limit = (int) Math.min(1000, parseLong(ctx.queryParam("limit"), 50, "limit"));
    String object = ctx.queryParam("object");
    String key = object == null ? null : objectKey(history, database, object);
    Instant since = ctx.queryParam("since") == null ? null : history.commitAt(database, Math.max(1,
        history.resolve(database, ctx.queryParam("since")))).map(n -> n.commit().getCommittedAt()).orElse(Instant.EPOCH);
    List<History.Numbered> page = history.log(database, before, limit, c -> (key == null
        || c.getChanges().stream().anyMatch(ch -> ch.getObjectKey().equals(key)))
        && (since == null || !c.getCommittedAt().isBefore(since)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("commits", page.stream().map(n -> Json.commit(n, false)).toList());
    long last = page.isEmpty() ? 0 : page.get(page.size() - 1).sequence();
    body.put("next", page.size() == limit && last > 1 ? "/api/sources/" + database + "/commits?before=" + last + "&limit=" + limit
        + (object == null ? "" : "&object=" + java.net.URLEncoder.encode(object, java.nio.charset.StandardCharsets.UTF_8)) : null);
    ctx.json(body);
  }

  private static void commit(History history, Context ctx) {
    String database = db(history, ctx);
    String id = ctx.pathParam("commit");
    Optional<Tag> tagged = history.tag(database, id);
    History.Numbered found = (tagged.isPresent() ? history.commit(database, tagged.get().getCommitId()) : history.commit(database, id))
        .orElseThrow(() -> new NotFound("unknown commit or tag " + id + " of " + database));
    ctx.json(Json.commit(found, true));
  }

  /** The schema state hash after each commit, newest first: how the source's state moved over time. */
  private static void states(History history, Context ctx) {
    String database = db(history, ctx);
    int limit = (int) Math.min(1000, parseLong(ctx.queryParam("limit"), 50, "limit"));
    ctx.json(history.log(database, 0, limit, c -> true).stream().map(n -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("sequence", n.sequence());
      row.put("commit", n.commit().getId());
      row.put("committedAt", n.commit().getCommittedAt().toString());
      row.put("stateHash", history.stateHashAt(database, n.sequence()).orElse(null));
      return row;
    }).toList());
  }

  /** Every object's hash at a point, by id ({@code kind schema.identity}, as {@code gitversion inspect} names them). */
  private static void hashes(History history, Context ctx) {
    String database = db(history, ctx);
    SchemaModel model = history.schemaAt(database, history.resolve(database, ctx.queryParam("at")));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("source", database);
    body.put("stateHash", model.stateHash());
    body.put("hashes", model.hashes());
    ctx.json(body);
  }

  /** Every object's definition at a point, as capture recorded it (what a client plans a migration from). */
  private static void definitions(History history, Context ctx) throws Exception {
    String database = db(history, ctx);
    List<Object> all = new ArrayList<>();
    for (ObjectVersion v : history.objectsAt(database, history.resolve(database, ctx.queryParam("at"))).values()) {
      if (v.getDefinition() != null) {
        all.add(Json.MAPPER.readTree(v.getDefinition()));
      }
    }
    ctx.json(all);
  }

  private static void schema(History history, Context ctx) {
    String database = db(history, ctx);
    long point = history.resolve(database, ctx.queryParam("at"));
    SchemaModel model = history.schemaAt(database, point);
    Plan plan = SchemaPlanner.plan(SchemaModel.of(List.of()), model);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("source", database);
    body.put("commit", history.commitAt(database, point).map(n -> n.commit().getId()).orElse(null));
    body.put("stateHash", model.stateHash());
    body.put("objects", model.objects().size());
    body.put("sql", plan.statements());
    ctx.json(body);
  }

  private static void migration(History history, Context ctx) {
    String database = db(history, ctx);
    if (ctx.queryParam("from") == null || ctx.queryParam("to") == null) {
      throw new BadRequest("a migration needs two points: ?from=...&to=... (tags, commits or times)");
    }
    long from = history.resolve(database, ctx.queryParam("from"));
    long to = history.resolve(database, ctx.queryParam("to"));
    Plan plan = PointPlanner.between(definitions(history.objectsAt(database, from)), definitions(history.objectsAt(database, to)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("source", database);
    body.put("from", history.commitAt(database, from).map(n -> n.commit().getId()).orElse(null));
    body.put("to", history.commitAt(database, to).map(n -> n.commit().getId()).orElse(null));
    body.put("fromStateHash", history.schemaAt(database, from).stateHash());
    body.put("toStateHash", history.schemaAt(database, to).stateHash());
    body.put("sql", plan.statements());
    body.put("hazards", plan.hazards().stream().map(h -> h.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList());
    ctx.json(body);
  }

  private static Map<String, DbObject> definitions(Map<String, ObjectVersion> objects) {
    Map<String, DbObject> all = new TreeMap<>();
    objects.forEach((key, v) -> {
      if (v.getDefinition() != null) {
        all.put(key, Snapshots.object(v.getDefinition()));
      }
    });
    return all;
  }

  /** POST a tag: {"name", "at", "message", "by", "force"}. A tag of the same name on the same commit is answered as is. */
  private void makeTag(History history, Context ctx) throws Exception {
    String database = db(history, ctx);
    Map<?, ?> request = Json.MAPPER.readValue(ctx.bodyAsBytes().length == 0 ? "{}".getBytes() : ctx.bodyAsBytes(), Map.class);
    String name = (String) request.get("name");
    if (name == null || !TAG_NAME.matcher(name).matches()) {
      throw new BadRequest("a tag name is letters, digits and . _ + - (at most 200, starting with a letter or digit), not " + name);
    }
    long point = history.resolve(database, (String) request.get("at"));
    History.Numbered commit = history.commitAt(database, point)
        .orElseThrow(() -> new BadRequest(database + " has no commit to tag at " + describe((String) request.get("at"))));
    Optional<Tag> existing = history.tag(database, name);
    boolean force = Boolean.TRUE.equals(request.get("force"));
    if (existing.isPresent() && existing.get().getCommitId().equals(commit.commit().getId())) {
      ctx.json(tag(existing.get()));
      return;
    }
    if (existing.isPresent() && !force) {
      throw new Conflict("tag " + name + " of " + database + " names commit " + existing.get().getCommitId().substring(0, 12)
          + " already: tags do not move (--force moves it)");
    }
    Tag made = Tag.newBuilder().setDatabase(database).setName(name).setCommitId(commit.commit().getId())
        .setStateHash(history.schemaAt(database, point).stateHash()).setMessage((String) request.get("message"))
        .setCreatedBy(request.get("by") == null ? "api" : (String) request.get("by")).setCreatedAt(Instant.now()).build();
    try {
      tags.send(new ProducerRecord<>(Topics.TAGS.name(), HistoryStores.tagKey(database, name), made)).get();
    } catch (ExecutionException e) {
      throw new Router.Unavailable("cannot write the tag to " + Topics.TAGS.name() + ": " + e.getCause().getMessage());
    }
    long deadline = System.nanoTime() + TAG_VISIBLE.toNanos();
    while (!history.tag(database, name).map(t -> t.getCommitId().equals(made.getCommitId())).orElse(false)) {
      if (System.nanoTime() > deadline) {
        throw new Router.Unavailable("the tag was written but is not readable yet: retry");
      }
      Thread.sleep(20);
    }
    ctx.status(HttpStatus.CREATED).json(tag(made));
  }

  static Map<String, Object> tag(Tag t) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", t.getName());
    row.put("source", t.getDatabase());
    row.put("commit", t.getCommitId());
    row.put("stateHash", t.getStateHash());
    row.put("message", t.getMessage());
    row.put("createdBy", t.getCreatedBy());
    row.put("createdAt", t.getCreatedAt().toString());
    return row;
  }

  private static String db(History history, Context ctx) {
    String database = ctx.pathParam("db");
    if (history.head(database).isEmpty()) {
      throw new NotFound("unknown source: " + database);
    }
    return database;
  }

  private static String objectKey(History history, String database, String object) {
    return history.objectKeyOf(database, object).or(() -> history.versions(database, object).isEmpty()
        ? Optional.empty() : Optional.of(object)).orElseThrow(() -> new NotFound("unknown object " + object + " of " + database));
  }

  private static long parseLong(String value, long fallback, String name) {
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < 0) {
        throw new BadRequest(name + " must not be negative");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " must be a number, not " + value);
    }
  }

  private static String describe(String at) {
    return at == null ? "now" : at;
  }

  private static void error(Context ctx, HttpStatus status, String message) {
    ctx.status(status).json(Map.of("error", message));
  }

  static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message);
    }
  }

  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  static final class Conflict extends RuntimeException {
    Conflict(String message) {
      super(message);
    }
  }

  /** How the API writes the history's records: plain JSON, never Avro's own rendering. */
  static final class Json {
    static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    static Map<String, Object> version(ObjectVersion v, boolean full) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("object", v.getObjectKey());
      row.put("kind", v.getKind());
      row.put("schema", v.getSchema$());
      row.put("name", v.getName());
      row.put("version", v.getVersion());
      row.put("semver", v.getSemver());
      row.put("hash", v.getHash());
      row.put("changedAt", v.getChangedAt().toString());
      row.put("changedBy", v.getChangedBy());
      row.put("commit", v.getCommitId());
      row.put("dropped", v.getDropped());
      if (full) {
        row.put("canonical", v.getCanonical());
      }
      return row;
    }

    static Map<String, Object> change(io.gitversion.schemas.Change change) {
      ObjectVersion state = change.getAfter() != null ? change.getAfter() : change.getBefore();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("commit", change.getCommitId());
      row.put("database", change.getDatabase());
      row.put("action", change.getAction());
      row.put("kind", change.getKind());
      row.put("schema", state == null ? null : state.getSchema$());
      row.put("name", state == null ? null : state.getName());
      row.put("version", state == null ? null : state.getVersion());
      row.put("semver", state == null ? null : state.getSemver());
      row.put("hash", state == null ? null : state.getHash());
      row.put("changedAt", state == null ? null : state.getChangedAt().toString());
      row.put("changedBy", state == null ? null : state.getChangedBy());
      row.put("statement", change.getStatement());
      row.put("sql", change.getForwardSql());
      List<String> hazards = new ArrayList<>();
      io.gitversion.contract.Changes.risks(change).forEach(h -> hazards.add(h.name().toLowerCase(java.util.Locale.ROOT)));
      hazards.addAll(io.gitversion.contract.Changes.problems(change));
      row.put("hazards", hazards);
      return row;
    }

    static Map<String, Object> commit(History.Numbered n, boolean full) {
      Commit c = n.commit();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", c.getId());
      row.put("sequence", n.sequence());
      row.put("parent", c.getParent());
      row.put("source", c.getDatabase());
      row.put("author", c.getAuthor().getRole());
      row.put("application", c.getAuthor().getApplication());
      row.put("client", c.getAuthor().getClientAddress());
      row.put("committedAt", c.getCommittedAt().toString());
      row.put("origin", c.getOrigin());
      row.put("objects", c.getChanges().stream().map(ch -> {
        Map<String, Object> summary = History.summary(ch);
        return ch.getAction() + " " + summary.get("kind") + " " + summary.get("name");
      }).toList());
      if (full) {
        row.put("statements", c.getStatements());
        row.put("changes", c.getChanges().stream().map(History::summary).toList());
        row.put("forwardSql", Commits.forwardSql(c));
      }
      return row;
    }
  }
}
