package io.gitversion.cli;

import io.gitversion.catalog.UserError;
import io.gitversion.cli.command.CollectorCommand;
import io.gitversion.cli.command.DemoCommand;
import io.gitversion.cli.command.DiffCommand;
import io.gitversion.cli.command.HistoryCommand;
import io.gitversion.cli.command.LogCommand;
import io.gitversion.cli.command.MigrateCommand;
import io.gitversion.cli.command.ModulesCommand;
import io.gitversion.cli.command.ApplyCommand;
import io.gitversion.cli.command.CompareCommand;
import io.gitversion.cli.command.ConflictsCommand;
import io.gitversion.cli.command.SchemaCommand;
import io.gitversion.cli.command.ShowCommand;
import io.gitversion.cli.command.StatusCommand;
import io.gitversion.cli.command.TagCommand;
import io.gitversion.cli.command.TagsCommand;
import io.gitversion.cli.command.VersionCommand;
import io.gitversion.cli.command.DriftCommand;
import io.gitversion.cli.command.HashCommand;
import io.gitversion.cli.command.InspectCommand;
import io.gitversion.cli.command.InstallCommand;
import io.gitversion.cli.command.ProcessorCommand;
import io.gitversion.cli.command.RemoteCommand;
import io.gitversion.cli.command.SyncerCommand;
import io.gitversion.cli.command.UninstallCommand;
import io.gitversion.cli.command.UpCommand;
import io.gitversion.cli.support.StageOptions;
import io.gitversion.collector.CollectorConfig;
import io.gitversion.processor.ProcessorConfig;
import io.gitversion.syncer.SyncerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code gitversion} command. */
@Command(name = "gitversion", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Git-like version control for PostgreSQL schemas, on Apache Kafka.")
public final class Main {
  /** A user error: bad input, unreachable server, unknown object. */
  public static final int EXIT_USER_ERROR = 2;
  /** Anything else: a bug or an environment failure; the log has the details. */
  public static final int EXIT_FAILURE = 1;

  /**
   * The subcommands, in the order the usage lists them. Each is built only when it is run or listed: picocli reads a
   * command's annotations when it is added, and adding all of them, with the stages' options, took a tenth of a second
   * of every one-shot command's start.
   */
  private static final Map<String, Supplier<Object>> COMMANDS = commands();

  private static Map<String, Supplier<Object>> commands() {
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("up", UpCommand::new);
    commands.put("demo", DemoCommand::new);
    commands.put("install", InstallCommand::new);
    commands.put("uninstall", UninstallCommand::new);
    commands.put("drift", DriftCommand::new);
    commands.put("diff", DiffCommand::new);
    commands.put("inspect", InspectCommand::new);
    commands.put("hash", HashCommand::new);
    commands.put("collector", CollectorCommand::new);
    commands.put("processor", ProcessorCommand::new);
    commands.put("syncer", SyncerCommand::new);
    commands.put("remote", RemoteCommand::new);
    commands.put("tag", TagCommand::new);
    commands.put("tags", TagsCommand::new);
    commands.put("log", LogCommand::new);
    commands.put("show", ShowCommand::new);
    commands.put("history", HistoryCommand::new);
    commands.put("version", VersionCommand::new);
    commands.put("schema", SchemaCommand::new);
    commands.put("modules", ModulesCommand::new);
    commands.put("compare", CompareCommand::new);
    commands.put("status", StatusCommand::new);
    commands.put("conflicts", ConflictsCommand::new);
    commands.put("migrate", MigrateCommand::new);
    commands.put("apply", ApplyCommand::new);
    commands.put("tenants", io.gitversion.cli.command.TenantsCommand::new);
    commands.put("shards", io.gitversion.cli.command.ShardsCommand::new);
    commands.put("bluegreen", io.gitversion.cli.command.BlueGreenCommand::new);
    commands.put("help", CommandLine.HelpCommand::new);
    return commands;
  }

  public static void main(String[] args) {
    System.exit(commandLine(args.length == 0 ? null : args[0]).execute(args));
  }

  /** The configured command line with every subcommand. */
  public static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * The configured command line: stage options generated from each stage's config, one-line errors. With
   * {@code named} one of the subcommands other than help, that one alone (its options and usage are the same, and
   * anything else is an unknown subcommand either way); else all of them.
   */
  static CommandLine commandLine(String named) {
    CommandLine cli = new CommandLine(new Main());
    boolean one = named != null && !named.equals("help") && COMMANDS.containsKey(named);
    COMMANDS.forEach((name, command) -> {
      if (!one || name.equals(named)) {
        cli.addSubcommand(name, command.get());
      }
    });
    Map<String, CommandLine> added = cli.getSubcommands();
    if (added.containsKey("collector")) {
      StageOptions.addTo(added.get("collector").getCommandSpec(), CollectorConfig.CONFIG);
    }
    if (added.containsKey("processor")) {
      StageOptions.addTo(added.get("processor").getCommandSpec(), ProcessorConfig.CONFIG);
    }
    if (added.containsKey("syncer")) {
      StageOptions.addTo(added.get("syncer").getCommandSpec(), SyncerConfig.CONFIG);
    }
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      Throwable user = userCause(e);
      if (user != null) {
        commandLine.getErr().println("gitversion: " + user.getMessage());
        log().debug("user error", e);
        return EXIT_USER_ERROR;
      }
      commandLine.getErr().println("gitversion: failed: " + e);
      log().error("command failed", e);
      return EXIT_FAILURE;
    });
    cli.setParameterExceptionHandler((e, args) -> {
      CommandLine commandLine = e.getCommandLine();
      commandLine.getErr().println("gitversion: " + e.getMessage() + " (see '" + commandLine.getCommandSpec().qualifiedName() + " --help')");
      return EXIT_USER_ERROR;
    });
    return cli;
  }

  /**
   * The command's standard output, buffered: picocli's flushes at every line, a system call each ({@code gitversion
   * inspect} of 10,000 tables made 55,006 {@code write} calls, 380 with this). The caller flushes it when done.
   */
  public static java.io.PrintWriter bufferedOut(CommandLine.Model.CommandSpec spec) {
    return new java.io.PrintWriter(new java.io.BufferedWriter(spec.commandLine().getOut(), 1 << 16), false);
  }

  /** Looked up when first needed: starting SLF4J scans every jar for its providers, which one-shot commands do not need. */
  private static Logger log() {
    return LoggerFactory.getLogger(Main.class);
  }

  private static Throwable userCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UserError || t instanceof ConfigException) {
        return t;
      }
    }
    return null;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"gitversion " + (version == null ? "development build" : version)};
    }
  }
}
