package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.cli.support.ApiClient;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tag", mixinStandardHelpOptions = true,
    description = {"Name a commit of a source, with the schema state hash at it. Tags do not move: a tag of the same",
        "name on another commit is refused (exit 2) unless --force."})
public final class TagCommand extends HistoryQuery {
  @Parameters(paramLabel = "NAME", description = "Letters, digits and . _ + - (e.g. v1.2.0).")
  String name;

  @Option(names = "--at", paramLabel = "COMMIT|TAG|TIME", description = "The commit to tag (default: the newest).")
  String at;

  @Option(names = {"-m", "--message"}, paramLabel = "MESSAGE", description = "What the tag is for.")
  String message;

  @Option(names = "--force", description = "Move a tag that names another commit.")
  boolean force;

  @Override
  void run(ApiClient client, String source, PrintWriter out) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", name);
    request.put("at", at);
    request.put("message", message);
    request.put("by", System.getProperty("user.name"));
    request.put("force", force);
    JsonNode tag = client.post(path(source, "/tags"), request);
    out.println("tagged " + tag.path("name").asText() + ": " + source + " commit " + tag.path("commit").asText()
        + ", state hash " + tag.path("stateHash").asText());
  }
}
