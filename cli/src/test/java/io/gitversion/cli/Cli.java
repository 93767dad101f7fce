package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs gitversion commands in process against a query API, as a user would type them. */
final class Cli {
  record Result(int code, String out, String err) {}

  private final String api;

  Cli(String api) {
    this.api = api;
  }

  /** Runs {@code gitversion ARGS --api=...}: its exit code and what it printed. */
  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine(args[0]);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = "--api=" + api;
    int code = cli.execute(all);
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs {@code gitversion remote ARGS --kafka.bootstrap.servers=...}: its exit code and all it printed. */
  static Result remote(String bootstrapServers, String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine("remote");
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    String[] all = new String[args.length + 2];
    all[0] = "remote";
    System.arraycopy(args, 0, all, 1, args.length);
    all[all.length - 1] = "--" + io.gitversion.contract.KafkaSettings.BOOTSTRAP_SERVERS_CONFIG + "=" + bootstrapServers;
    int code = cli.execute(all);
    return new Result(code, out.toString(), "");
  }

  /** Runs {@code gitversion NOUN ARGS --kafka.bootstrap.servers=... --api=...} (the advanced module's commands). */
  Result withKafka(String bootstrapServers, String noun, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = noun;
    System.arraycopy(args, 0, all, 1, args.length);
    all[all.length - 1] = "--" + io.gitversion.contract.KafkaSettings.BOOTSTRAP_SERVERS_CONFIG + "=" + bootstrapServers;
    return run(all);
  }

  /** As {@link #run}, and it must succeed. */
  Result ok(String... args) {
    Result r = run(args);
    assertEquals(0, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
    return r;
  }
}
