package io.gitversion.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The endpoints of a stage run on its own (the JDK's HTTP server; {@code gitversion up} and the processor serve the
 * same on the dashboard's): {@code /metrics} (Prometheus' text format), {@code /health/live} (200 while the process
 * runs) and {@code /health/ready} (200 when every readiness check is up, else 503; JSON naming each check).
 */
public final class OpsServer implements AutoCloseable {
  private final HttpServer server;

  private OpsServer(HttpServer server) {
    this.server = server;
  }

  /** Serves {@code observability} on host:port (port 0: any free one); a port in use is a clear error. */
  public static OpsServer start(Observability observability, String host, int port) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new org.apache.kafka.common.config.ConfigException("cannot serve metrics and health on " + host + ":" + port + ": " + e.getMessage());
    }
    server.createContext("/metrics", x -> answer(x, 200, "text/plain; version=0.0.4; charset=utf-8", observability.scrape()));
    server.createContext("/health/live", x -> answer(x, 200, "application/json", "{\"status\": \"UP\"}"));
    server.createContext("/health/ready", x -> {
      Observability.Readiness readiness = observability.readiness();
      answer(x, readiness.up() ? 200 : 503, "application/json", readiness.json());
    });
    server.start();
    return new OpsServer(server);
  }

  /** Where it listens: {@code http://host:port/}. */
  public String url() {
    InetSocketAddress a = server.getAddress();
    return "http://" + a.getHostString() + ":" + a.getPort() + "/";
  }

  private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
