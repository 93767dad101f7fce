package io.gitversion.processor.api;

import io.gitversion.contract.Topics;
import io.gitversion.schemas.ModuleState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The optional modules (sync, advanced): {@code GET /api/modules} (each with enabled, who and when) and {@code POST
 * /api/modules/{name}} ({@code {"enabled": true|false, "by": "..."}}). The state is the compacted {@code
 * gitversion.modules}, which sources follow too (their {@code gitversion.enabled_modules}).
 */
final class ModulesApi {
  private static final Duration VISIBLE = Duration.ofSeconds(15);

  private ModulesApi() {}

  static void register(RoutesConfig app, Router router, Producer<String, ModuleState> producer) {
    app.get("/api/modules", ctx -> ctx.json(list(router)));
    app.post("/api/modules/{name}", ctx -> change(ctx, router, producer));
  }

  static List<Map<String, Object>> list(Router router) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String name : Topics.MODULE_NAMES) {
      rows.add(row(name, router.modules().get(name)));
    }
    return rows;
  }

  private static Map<String, Object> row(String name, ModuleState state) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", name);
    row.put("enabled", state != null && state.getEnabled());
    row.put("changedBy", state == null ? null : state.getChangedBy());
    row.put("changedAt", state == null ? null : state.getChangedAt().toString());
    row.put("source", state == null ? null : state.getSource());
    return row;
  }

  private static void change(Context ctx, Router router, Producer<String, ModuleState> producer) throws Exception {
    String name = ctx.pathParam("name");
    if (!Topics.MODULE_NAMES.contains(name)) {
      throw new QueryApi.BadRequest("Unknown module: " + name + " (the modules are " + String.join(" and ", Topics.MODULE_NAMES) + ")");
    }
    Map<?, ?> request = QueryApi.Json.MAPPER.readValue(ctx.bodyAsBytes().length == 0 ? "{}".getBytes() : ctx.bodyAsBytes(), Map.class);
    if (!(request.get("enabled") instanceof Boolean enabled)) {
      throw new QueryApi.BadRequest("say {\"enabled\": true} or {\"enabled\": false}");
    }
    ModuleState now = router.modules().get(name);
    if (now == null ? !enabled : now.getEnabled() == enabled) {
      ctx.json(row(name, now));
      return;
    }
    ModuleState changed = ModuleState.newBuilder().setName(name).setEnabled(enabled)
        .setChangedBy(request.get("by") == null ? "api" : String.valueOf(request.get("by"))).setChangedAt(Instant.now()).build();
    try {
      producer.send(new ProducerRecord<>(Topics.MODULES.name(), name, changed)).get();
    } catch (ExecutionException e) {
      throw new Router.Unavailable("cannot write to " + Topics.MODULES.name() + ": " + e.getCause().getMessage());
    }
    long deadline = System.nanoTime() + VISIBLE.toNanos();
    while (router.modules().get(name) == null || router.modules().get(name).getEnabled() != enabled) {
      if (System.nanoTime() > deadline) {
        throw new Router.Unavailable("the change was written but is not readable yet: retry");
      }
      Thread.sleep(20);
    }
    ctx.json(row(name, changed));
  }
}
