package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.catalog.UserError;
import io.gitversion.cli.support.ApiOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "conflicts", mixinStandardHelpOptions = true,
    description = {"The remotes stopped on a commit they did not apply (a conflict: changed by hand; a divergence; a",
        "failure), and their resolution:",
        "  list                                   each stopped remote, the commit, the objects and both hashes",
        "  resolve REMOTE --take source|remote|skip",
        "      source: the remote takes the source's state (a verified rebase), then follows",
        "      remote: the remote keeps what it has; the commit is recorded as skipped",
        "      skip:   the commit is recorded as skipped"})
public final class ConflictsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ApiOptions api;

  @Parameters(index = "0", paramLabel = "list|resolve", description = "What to do.")
  String action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "REMOTE", description = "The remote (resolve).")
  String remote;

  @Option(names = "--take", paramLabel = "source|remote|skip", description = "How to resolve.")
  String take;

  @Mixin
  io.gitversion.cli.support.KafkaOptions kafka;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", description = "How long to wait for the syncer's answer.")
  int timeoutSeconds;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    io.gitversion.cli.support.Modules.require(api.client(), "sync", "conflicts");
    if (action.equals("list")) {
      int pending = 0;
      for (JsonNode r : api.client().get("api/status")) {
        if (r.hasNonNull("pending")) {
          out.println(r.path("name").asText() + "\t" + r.path("state").asText() + "\t" + r.path("pending").asText());
          pending++;
        }
      }
      if (pending == 0) {
        out.println("no remote waits on a conflict");
      }
      out.flush();
      return 0;
    }
    if (!action.equals("resolve")) {
      throw new UserError("conflicts takes list or resolve, not " + action);
    }
    if (remote == null || take == null) {
      throw new UserError("resolve REMOTE --take source|remote|skip");
    }
    String servers = kafka.servers();
    return switch (take) {
      case "source" -> RemoteCommand.request(out, servers, timeoutSeconds, "remote", remote, "rebase", null, null);
      case "remote", "skip" -> RemoteCommand.request(out, servers, timeoutSeconds, "remote", remote, "skip", null, null);
      default -> throw new UserError("--take source, remote or skip, not " + take);
    };
  }
}
