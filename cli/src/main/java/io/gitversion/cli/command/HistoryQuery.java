package io.gitversion.cli.command;

import io.gitversion.cli.Main;
import io.gitversion.cli.support.ApiClient;
import io.gitversion.cli.support.ApiOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that asks the query API about one source's history and prints the answer on stdout. */
abstract class HistoryQuery implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ApiOptions api;

  /** Asks, and prints what it prints; {@code source} is the one named or the only one. */
  abstract void run(ApiClient client, String source, PrintWriter out);

  /** The source's resource path: {@code api/sources/DB/rest}. */
  static String path(String source, String rest) {
    return "api/sources/" + ApiClient.segment(source) + rest;
  }

  @Override
  public Integer call() {
    ApiClient client = api.client();
    String source = api.source(client);
    PrintWriter out = Main.bufferedOut(spec);
    run(client, source, out);
    out.flush();
    return 0;
  }
}
