package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.cli.support.ApiClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Every version of an object, oldest first: number, semantic version, action, hash, when, who, the statement and the canonical DDL.")
public final class HistoryCommand extends HistoryQuery {
  @Parameters(paramLabel = "OBJECT", description = "'kind schema.name', 'schema.name', a unique name, or the object key.")
  String object;

  @Option(names = "--json", description = "The API's answer as JSON.")
  boolean json;

  @Override
  void run(ApiClient client, String source, PrintWriter out) {
    JsonNode versions = client.get(path(source, "/objects/" + ApiClient.segment(object) + "/history"));
    if (json) {
      out.println(versions.toPrettyString());
    } else {
      boolean first = true;
      for (JsonNode v : versions) {
        if (!first) {
          out.println();
        }
        first = false;
        out.println(HistoryOutput.versionLine(v));
        if (v.hasNonNull("statement")) {
          out.println("  statement:");
          HistoryOutput.indented(out, v.path("statement").asText());
        }
        if (v.hasNonNull("canonical") && !v.path("dropped").asBoolean()) {
          out.println("  definition:");
          HistoryOutput.indented(out, v.path("canonical").asText());
        }
      }
    }
  }
}
