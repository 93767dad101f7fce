package io.gitversion.processor.api;

import io.gitversion.observability.Observability;
import io.javalin.config.RoutesConfig;

/**
 * The process's metrics and health on the dashboard's address ({@code gitversion up}, {@code gitversion processor}):
 * {@code /metrics} (Prometheus' text format), {@code /health/live}, {@code /health/ready} (503 when a check is down).
 */
public final class OpsRoutes {
  private OpsRoutes() {}

  public static void register(RoutesConfig app, Observability observability) {
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(observability.scrape()));
    app.get("/health/live", ctx -> ctx.contentType("application/json").result("{\"status\": \"UP\"}"));
    app.get("/health/ready", ctx -> {
      Observability.Readiness readiness = observability.readiness();
      ctx.status(readiness.up() ? 200 : 503).contentType("application/json").result(readiness.json());
    });
  }
}
