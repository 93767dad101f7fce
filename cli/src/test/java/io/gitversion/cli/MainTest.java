package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line builds only the subcommand it runs, and that one is the same as in the full command line. */
class MainTest {
  @Test
  void eachSubcommandIsRegisteredUnderItsOwnName() {
    CommandLine all = Main.commandLine();
    assertEquals(List.of("up", "demo", "install", "uninstall", "drift", "diff", "inspect", "hash", "collector", "processor",
        "syncer", "remote", "tag", "tags", "log", "show", "history", "version", "schema", "modules", "compare", "status", "conflicts", "migrate", "apply", "tenants", "shards", "bluegreen", "help"), List.copyOf(all.getSubcommands().keySet()));
    all.getSubcommands().forEach((name, sub) ->
        assertEquals(name, sub.getCommand().getClass().getAnnotation(Command.class).name(), "annotation of " + name));
  }

  @Test
  void aNamedSubcommandIsBuiltAloneWithTheSameOptionsAndUsage() {
    CommandLine all = Main.commandLine();
    for (String name : List.of("diff", "collector", "syncer")) {
      CommandLine one = Main.commandLine(name);
      assertEquals(List.of(name), List.copyOf(one.getSubcommands().keySet()));
      assertEquals(options(all.getSubcommands().get(name)), options(one.getSubcommands().get(name)), name);
      assertEquals(all.getSubcommands().get(name).getUsageMessage(), one.getSubcommands().get(name).getUsageMessage(), name);
    }
  }

  @Test
  void anythingElseGetsEverySubcommandAndAnUnknownOneIsAUserError() {
    assertEquals(Main.commandLine().getSubcommands().keySet(), Main.commandLine("help").getSubcommands().keySet());
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine("difff");
    cli.setErr(new PrintWriter(err));
    assertEquals(Main.EXIT_USER_ERROR, cli.execute("difff"));
    assertEquals(true, err.toString().contains("Unmatched argument at index 0: 'difff'"), err.toString());
    assertEquals(true, err.toString().contains("diff"), err.toString());
  }

  private static String options(CommandLine command) {
    return command.getCommandSpec().options().stream().map(o -> String.join("|", o.names())).sorted()
        .collect(Collectors.joining(","));
  }
}
