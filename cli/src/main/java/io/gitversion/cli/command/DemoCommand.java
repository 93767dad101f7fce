package io.gitversion.cli.command;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.catalog.model.Relation;
import io.gitversion.cli.Main;
import io.gitversion.cli.support.ChangeHistory;
import io.gitversion.cli.support.EmbeddedPipeline;
import io.gitversion.schemas.Change;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Start the embedded pipeline (as 'up'), run a scripted tour: create a table, add a column, rename it;",
        "show the table's history and that both remotes have it; then stop and exit."})
public final class DemoCommand implements Callable<Integer> {
  private static final List<String> TOUR = List.of(
      "CREATE TABLE customers (id bigint NOT NULL, name text NOT NULL)",
      "ALTER TABLE customers ADD COLUMN email text",
      "ALTER TABLE customers RENAME COLUMN email TO email_address");
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(2)) {
      UpCommand.printEndpoints(pipeline, out);
      out.println("ready");
      out.println();
      try (Connection c = Database.connect(pipeline.source()); Statement st = c.createStatement()) {
        for (String sql : TOUR) {
          out.println("source> " + sql);
          out.flush();
          st.execute(sql);
        }
      }
      out.println();
      boolean converged = true;
      for (Map.Entry<String, PgUrl> remote : pipeline.remotes().entrySet()) {
        Optional<Relation> table = awaitTable(remote.getValue(), "email_address");
        if (table.isPresent()) {
          out.println("remote " + remote.getKey() + " has " + describe(table.get()));
        } else {
          out.println("remote " + remote.getKey() + " did not receive the change within " + CONVERGE.toSeconds() + " s");
          converged = false;
        }
      }
      out.println();
      out.println("history of public.customers:");
      for (Change change : ChangeHistory.ofObject(ChangeHistory.readAll(pipeline.bootstrapServers()), "public", "customers")) {
        var after = change.getAfter();
        out.printf("  v%d  %-6s  %-7s by %s  %s%n", after.getVersion(), after.getSemver(), change.getAction(), after.getChangedBy(),
            String.join(" ", change.getForwardSql()).replaceAll("\\s*\n\\s*", " "));
      }
      out.println();
      out.println(converged ? "demo complete: both remotes are in step with the source" : "demo FAILED: a remote is not in step");
      out.flush();
      return converged ? 0 : Main.EXIT_FAILURE;
    }
  }

  private static Optional<Relation> awaitTable(PgUrl remote, String column) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + CONVERGE.toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = Database.connect(remote)) {
        Optional<Relation> table = new Inspector(c).tables().stream()
            .filter(t -> t.name().equals("customers") && t.columns().stream().anyMatch(col -> col.name().equals(column)))
            .findFirst();
        if (table.isPresent()) {
          return table;
        }
      }
      Thread.sleep(200);
    }
    return Optional.empty();
  }

  private static String describe(Relation table) {
    return table.schema() + "." + table.name() + "("
        + table.columns().stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", ")) + ")";
  }

}
