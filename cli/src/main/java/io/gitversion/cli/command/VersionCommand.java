package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.cli.support.ApiClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "version", mixinStandardHelpOptions = true,
    description = "An object as it is, or was at a tag, a commit or a time: its version, semantic version, hash and canonical DDL.")
public final class VersionCommand extends HistoryQuery {
  @Parameters(paramLabel = "OBJECT", description = "'kind schema.name', 'schema.name', a unique name, or the object key.")
  String object;

  @Option(names = "--at", paramLabel = "TAG|COMMIT|TIME", description = "The point (default: now).")
  String at;

  @Option(names = "--json", description = "The API's answer as JSON.")
  boolean json;

  @Override
  void run(ApiClient client, String source, PrintWriter out) {
    JsonNode v = client.get(path(source, "/objects/" + ApiClient.segment(object)
        + ApiClient.query(java.util.Collections.singletonMap("at", at))));
    if (json) {
      out.println(v.toPrettyString());
    } else {
      out.println(v.path("kind").asText() + " " + (v.hasNonNull("schema") ? v.path("schema").asText() + "." : "") + v.path("name").asText());
      out.println(HistoryOutput.versionLine(v));
      out.println(v.path("canonical").asText());
    }
  }
}
