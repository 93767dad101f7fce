package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.cli.support.ApiClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
    description = "One commit (or the commit a tag names): its changes with each object's hash before and after, the source's statements, and the forward SQL remotes apply.")
public final class ShowCommand extends HistoryQuery {
  @Parameters(paramLabel = "COMMIT|TAG", description = "A commit id (or a unique prefix of 7 characters or more), or a tag.")
  String commit;

  @Option(names = "--json", description = "The API's answer as JSON.")
  boolean json;

  @Override
  void run(ApiClient client, String source, PrintWriter out) {
    JsonNode c = client.get(path(source, "/commits/" + ApiClient.segment(commit)));
    if (json) {
      out.println(c.toPrettyString());
    } else {
      HistoryOutput.commitHeader(out, c);
      out.println();
      for (JsonNode change : c.path("changes")) {
        out.println("    " + change.path("action").asText() + " " + change.path("kind").asText() + " " + change.path("name").asText()
            + "  " + HistoryOutput.shortId(change.path("beforeHash")) + " -> " + HistoryOutput.shortId(change.path("afterHash")));
      }
      out.println();
      out.println("Statements:");
      c.path("statements").forEach(s -> HistoryOutput.indented(out, s.asText()));
      out.println();
      out.println("Forward SQL:");
      c.path("forwardSql").forEach(s -> HistoryOutput.indented(out, s.asText()));
    }
  }
}
