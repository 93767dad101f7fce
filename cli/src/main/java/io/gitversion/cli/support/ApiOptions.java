package io.gitversion.cli.support;

import picocli.CommandLine.Option;

/** What the history commands share: where the query API is, and which source they ask about. */
public final class ApiOptions {
  /** Where the API is when neither --api nor GITVERSION_API says: the dashboard's default address. */
  public static final String DEFAULT_API = "http://127.0.0.1:7070/";

  @Option(names = "--api", paramLabel = "URL", description = {"The query API: the URL gitversion up prints on its",
      "dashboard line. Default: $GITVERSION_API, else " + DEFAULT_API + "."})
  String api;

  @Option(names = "--source", paramLabel = "DB", description = "The source database. Default: the only one there is.")
  String source;

  public ApiClient client() {
    String url = api != null ? api : System.getenv().getOrDefault("GITVERSION_API", DEFAULT_API);
    return new ApiClient(url);
  }

  /** The source named, or the only one. */
  public String source(ApiClient client) {
    return client.source(source);
  }
}
