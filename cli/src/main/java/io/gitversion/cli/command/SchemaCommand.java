package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.cli.support.ApiClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "schema", mixinStandardHelpOptions = true,
    description = {"The whole schema of a source at a tag, a commit or a time, as SQL in dependency order: loaded into an",
        "empty database, that database has the state hash printed in the first lines' comment."})
public final class SchemaCommand extends HistoryQuery {
  @Option(names = "--at", paramLabel = "TAG|COMMIT|TIME", description = "The point (default: now).")
  String at;

  @Override
  void run(ApiClient client, String source, PrintWriter out) {
    JsonNode schema = client.get(path(source, "/schema" + ApiClient.query(java.util.Collections.singletonMap("at", at))));
    out.println("-- schema of " + source + " at " + (at == null ? "now" : at) + ": commit " + schema.path("commit").asText("-")
        + ", " + schema.path("objects").asInt() + " objects");
    out.println("-- state hash " + schema.path("stateHash").asText());
    schema.path("sql").forEach(s -> out.println(s.asText()));
  }
}
