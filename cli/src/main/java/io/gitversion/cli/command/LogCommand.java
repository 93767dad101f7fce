package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.cli.support.ApiClient;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "log", mixinStandardHelpOptions = true,
    description = "The commits of a source, newest first: id, parent, author, application, client, time, objects changed.")
public final class LogCommand extends HistoryQuery {
  @Option(names = "--object", paramLabel = "OBJECT", description = "Only commits that changed this object ('kind schema.name', 'schema.name' or a unique name).")
  String object;

  @Option(names = "--since", paramLabel = "POINT", description = "Only commits at or after this tag, commit or time (ISO-8601).")
  String since;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N commits (default 20).")
  int limit;

  @Option(names = "--json", description = "The API's answer as JSON.")
  boolean json;

  @Override
  void run(ApiClient client, String source, PrintWriter out) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("limit", Integer.toString(limit));
    query.put("object", object);
    query.put("since", since);
    JsonNode page = client.get(path(source, "/commits" + ApiClient.query(query)));
    if (json) {
      out.println(page.path("commits").toPrettyString());
    } else {
      Map<String, StringBuilder> tags = new LinkedHashMap<>();
      client.get(path(source, "/tags")).forEach(t ->
          tags.computeIfAbsent(t.path("commit").asText(), c -> new StringBuilder()).append(tags.containsKey(t.path("commit").asText())
              && tags.get(t.path("commit").asText()).length() > 0 ? ", " : "").append(t.path("name").asText()));
      boolean first = true;
      for (JsonNode commit : page.path("commits")) {
        if (!first) {
          out.println();
        }
        first = false;
        StringBuilder tagged = tags.get(commit.path("id").asText());
        HistoryOutput.commitHeader(out, commit);
        if (tagged != null) {
          out.println("Tags:   " + tagged);
        }
        out.println();
        commit.path("objects").forEach(o -> out.println("    " + o.asText()));
      }
    }
  }
}
