package io.gitversion.cli.command;


import io.gitversion.catalog.PgUrl;
import io.gitversion.collector.Reconciler;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "drift", mixinStandardHelpOptions = true,
    description = {"Compare the live hash of every object of a source with the last captured one, print the differences",
        "(changed, new, missing) and record them as one drift commit, published like any captured change.",
        "With --check: record nothing, exit 3 when there is drift."})
public final class DriftCommand implements Callable<Integer> {
  static final int EXIT_DRIFT = 3;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SOURCE_URL", description = "postgresql://user[:password]@host:port/database (capture installed)")
  String url;

  @Option(names = "--check", description = "Only report: record nothing; exit 3 when something drifted.")
  boolean check;

  @Override
  public Integer call() {
    PgUrl source = PgUrl.parse(url);
    List<Reconciler.Drift> drifts = Reconciler.detect(source);
    PrintWriter out = spec.commandLine().getOut();
    drifts.forEach(out::println);
    if (drifts.isEmpty()) {
      spec.commandLine().getErr().println("gitversion: no drift");
      return 0;
    }
    if (check) {
      spec.commandLine().getErr().println("gitversion: " + drifts.size() + " object(s) drifted");
      return EXIT_DRIFT;
    }
    int recorded = Reconciler.reconcile(source);
    spec.commandLine().getErr().println("gitversion: " + recorded + " drift change(s) recorded");
    return 0;
  }
}
