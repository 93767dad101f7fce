package io.gitversion.processor.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gitversion.contract.Changes;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.ObjectVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/** The live dashboard: a page listing change events as they happen, and the JSON API it reads. */
public final class Dashboard implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ChangeFeed feed;
  private final String url;

  private Dashboard(HttpServer server, ChangeFeed feed, String url) {
    this.server = server;
    this.feed = feed;
    this.url = url;
  }

  /** Starts serving on {@code host:port} (port 0: a free one). */
  public static Dashboard start(String host, int port, Map<String, Object> kafkaClientProperties) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
      ChangeFeed feed = new ChangeFeed(kafkaClientProperties).start();
      Dashboard dashboard = new Dashboard(server, feed, "http://" + host + ":" + server.getAddress().getPort() + "/");
      server.createContext("/api/changes", dashboard::changes);
      server.createContext("/", dashboard::page);
      server.setExecutor(Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "gitversion-dashboard-http");
        t.setDaemon(true);
        return t;
      }));
      server.start();
      return dashboard;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the dashboard on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  public String url() {
    return url;
  }

  private void page(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestURI().getPath().equals("/")) {
      send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
      return;
    }
    try (InputStream in = Dashboard.class.getResourceAsStream("index.html")) {
      send(exchange, 200, "text/html; charset=utf-8", in.readAllBytes());
    }
  }

  private void changes(HttpExchange exchange) throws IOException {
    List<Map<String, Object>> rows = feed.latest(200).stream().map(Dashboard::row).toList();
    send(exchange, 200, "application/json", JSON.writeValueAsBytes(rows));
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

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    feed.close();
  }
}
