package io.gitversion.processor.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitversion.contract.Changes;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.ObjectVersion;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processor's HTTP server: the live dashboard page, the change feed it reads, and (registered by the processor)
 * the query API. Started before the streams application, so that the instance can name its own address to Kafka
 * Streams ({@code application.server}).
 */
public final class Dashboard implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Javalin app;
  private final ChangeFeed feed;
  private final String url;

  private Dashboard(Javalin app, ChangeFeed feed, String url) {
    this.app = app;
    this.feed = feed;
    this.url = url;
  }

  /**
   * Serves on {@code host:port} (port 0: a free one); {@code routes} adds the query API's routes before the server
   * starts.
   */
  public static Dashboard start(String host, int port, Map<String, Object> kafkaClientProperties,
                                java.util.function.Consumer<io.javalin.config.RoutesConfig> routes) {
    ChangeFeed feed = new ChangeFeed(kafkaClientProperties).start();
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.startupWatcherEnabled = false;
      config.routes.get("/", Dashboard::page);
      config.routes.get("/api/changes", ctx -> changes(ctx, feed));
      routes.accept(config.routes);
    });
    try {
      app.start(host, port);
    } catch (RuntimeException e) {
      feed.close();
      throw new UncheckedIOException(new IOException("cannot serve the dashboard on " + host + ":" + port + ": " + e.getMessage(), e));
    }
    return new Dashboard(app, feed, "http://" + host + ":" + app.port() + "/");
  }

  public String url() {
    return url;
  }

  public int port() {
    return app.port();
  }

  private static void page(Context ctx) throws IOException {
    try (InputStream in = Dashboard.class.getResourceAsStream("index.html")) {
      ctx.header("Cache-Control", "no-store").contentType("text/html; charset=utf-8").result(in.readAllBytes());
    }
  }

  private static void changes(Context ctx, ChangeFeed feed) throws IOException {
    List<Map<String, Object>> rows = feed.latest(200).stream().map(Dashboard::row).toList();
    ctx.header("Cache-Control", "no-store").contentType("application/json").result(JSON.writeValueAsBytes(rows));
  }

  private static Map<String, Object> row(Change change) {
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
    List<String> hazards = new java.util.ArrayList<>();
    Changes.risks(change).forEach(h -> hazards.add(h.name().toLowerCase(java.util.Locale.ROOT)));
    hazards.addAll(Changes.problems(change));
    row.put("hazards", hazards);
    return row;
  }

  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      feed.close();
    }
  }
}
