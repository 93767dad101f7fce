package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.cli.support.ApiClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tags", mixinStandardHelpOptions = true, description = "The tags of a source: name, commit, state hash, when, who, message.")
public final class TagsCommand extends HistoryQuery {
  @Option(names = "--json", description = "The API's answer as JSON.")
  boolean json;

  @Override
  void run(ApiClient client, String source, PrintWriter out) {
    JsonNode tags = client.get(path(source, "/tags"));
    if (json) {
      out.println(tags.toPrettyString());
    } else {
      for (JsonNode t : tags) {
        out.println(t.path("name").asText() + "\t" + HistoryOutput.shortId(t.path("commit")) + "\t" + HistoryOutput.shortId(t.path("stateHash"))
            + "\t" + t.path("createdAt").asText() + "\t" + t.path("createdBy").asText() + (t.hasNonNull("message") ? "\t" + t.path("message").asText() : ""));
      }
    }
  }
}
