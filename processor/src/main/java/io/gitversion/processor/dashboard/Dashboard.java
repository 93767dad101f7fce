package io.gitversion.processor.dashboard;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The processor's HTTP server: the live dashboard page, its server-sent events, and (registered by the processor) the
 * query API it reads. Started before the streams application, so that the instance can name its own address to Kafka
 * Streams ({@code application.server}).
 */
public final class Dashboard implements AutoCloseable {
  private final Javalin app;
  private final LiveEvents events;
  private final String url;

  private Dashboard(Javalin app, LiveEvents events, String url) {
    this.app = app;
    this.events = events;
    this.url = url;
  }

  /**
   * Serves on {@code host:port} (port 0: a free one); {@code routes} adds the query API's routes before the server
   * starts.
   */
  public static Dashboard start(String host, int port, Map<String, Object> kafkaClientProperties,
                                java.util.function.Consumer<io.javalin.config.RoutesConfig> routes) {
    LiveEvents events = new LiveEvents(kafkaClientProperties).start();
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.startupWatcherEnabled = false;
      config.routes.get("/", Dashboard::page);
      config.routes.sse("/api/events", events::listen);
      routes.accept(config.routes);
    });
    try {
      app.start(host, port);
    } catch (RuntimeException e) {
      events.close();
      throw new UncheckedIOException(new IOException("cannot serve the dashboard on " + host + ":" + port + ": " + e.getMessage(), e));
    }
    return new Dashboard(app, events, "http://" + host + ":" + app.port() + "/");
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

  @Override
  public void close() {
    try {
      events.close();
    } finally {
      app.stop();
    }
  }
}
