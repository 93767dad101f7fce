package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** How the history commands print what the query API answers: like git, one shape per kind of answer. */
final class HistoryOutput {
  private HistoryOutput() {}

  static String shortId(JsonNode id) {
    String text = id == null || id.isNull() ? "-" : id.asText();
    return text.length() > 12 ? text.substring(0, 12) : text;
  }

  /** A commit's header: id, parent, author (application, client), date. */
  static void commitHeader(PrintWriter out, JsonNode commit) {
    out.println("commit " + commit.path("id").asText());
    if (commit.hasNonNull("parent")) {
      out.println("Parent: " + commit.path("parent").asText());
    }
    StringBuilder author = new StringBuilder(commit.path("author").asText());
    if (commit.hasNonNull("application") && !commit.path("application").asText().isEmpty()) {
      author.append("  application=").append(commit.path("application").asText());
    }
    if (commit.hasNonNull("client")) {
      author.append("  client=").append(commit.path("client").asText());
    }
    out.println("Author: " + author);
    out.println("Date:   " + commit.path("committedAt").asText());
    if (commit.hasNonNull("origin")) {
      out.println("Synced from: " + commit.path("origin").asText() + " (applied here by the syncer; never taken back there)");
    }
  }

  /** One version of an object: number, semver, action, hash, when, who. */
  static String versionLine(JsonNode v) {
    return "v" + v.path("version").asInt() + "  " + v.path("semver").asText() + "  "
        + (v.hasNonNull("action") ? v.path("action").asText() + "  " : "") + (v.path("dropped").asBoolean() ? "dropped" : shortId(v.path("hash")))
        + "  " + v.path("changedAt").asText() + "  " + v.path("changedBy").asText() + "  commit " + shortId(v.path("commit"));
  }

  /** Text indented by four spaces, line by line. */
  static void indented(PrintWriter out, String text) {
    for (String line : text.split("\n", -1)) {
      out.println("    " + line);
    }
  }
}
