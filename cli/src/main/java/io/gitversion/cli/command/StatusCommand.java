package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.cli.Main;
import io.gitversion.cli.support.ApiClient;
import io.gitversion.cli.support.ApiOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Where each remote stands: state (following, paused, stopped on a conflict, divergence or failure),",
        "last commit applied, lag in commits and seconds, subscription, strategy, and what stopped it."})
public final class StatusCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ApiOptions api;

  @Option(names = "--json", description = "The API's answer as JSON.")
  boolean json;

  @Override
  public Integer call() {
    JsonNode remotes = api.client().get("api/status");
    PrintWriter out = Main.bufferedOut(spec);
    if (json) {
      out.println(remotes.toPrettyString());
    } else {
      out.println("remote\tstate\tlast applied\tlag (commits)\tlag (s)\tsources\ttakes\tstrategy\tstopped by");
      for (JsonNode r : remotes) {
        out.println(r.path("name").asText() + "\t" + r.path("state").asText() + "\t" + HistoryOutput.shortId(r.path("lastApplied"))
            + "\t" + r.path("lagCommits").asText("?") + "\t" + r.path("lagSeconds").asText("?") + "\t" + r.path("sources").asText()
            + "\t" + r.path("takes").asText("everything") + "\t" + r.path("strategy").asText() + "\t" + (r.hasNonNull("pending") ? r.path("pending").asText() : "-"));
      }
    }
    out.flush();
    return 0;
  }
}
