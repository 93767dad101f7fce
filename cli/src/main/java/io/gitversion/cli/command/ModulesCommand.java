package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.catalog.UserError;
import io.gitversion.cli.Main;
import io.gitversion.cli.support.ApiClient;
import io.gitversion.cli.support.ApiOptions;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "modules", mixinStandardHelpOptions = true,
    description = {"The optional modules: list them, or enable or disable sync or advanced for the whole pipeline (durable;",
        "every source's gitversion.enabled_modules follows). Prints each module, enabled or not, who changed it and when."})
public final class ModulesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ApiOptions api;

  @Parameters(index = "0", paramLabel = "list|enable|disable", description = "What to do.")
  String action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "MODULE", description = "sync or advanced (enable, disable).")
  String module;

  @Override
  public Integer call() {
    ApiClient client = api.client();
    PrintWriter out = Main.bufferedOut(spec);
    switch (action) {
      case "list" -> print(out, client.get("api/modules"));
      case "enable", "disable" -> {
        if (module == null) {
          throw new UserError("name the module to " + action + ": sync or advanced");
        }
        JsonNode changed = client.post("api/modules/" + ApiClient.segment(module),
            Map.of("enabled", action.equals("enable"), "by", System.getProperty("user.name", "cli")));
        print(out, client.get("api/modules"));
        if (changed.path("enabled").asBoolean() != action.equals("enable")) {
          throw new UserError("module " + module + " did not change");
        }
      }
      default -> throw new UserError("modules takes list, enable or disable, not " + action);
    }
    out.flush();
    return 0;
  }

  private static void print(PrintWriter out, JsonNode modules) {
    for (JsonNode m : modules) {
      out.println(m.path("name").asText() + "\t" + (m.path("enabled").asBoolean() ? "enabled" : "disabled")
          + (m.hasNonNull("changedBy") ? "\t" + m.path("changedBy").asText() + "\t" + m.path("changedAt").asText() : "")
          + (m.hasNonNull("source") ? "\tin " + m.path("source").asText() : ""));
    }
  }
}
