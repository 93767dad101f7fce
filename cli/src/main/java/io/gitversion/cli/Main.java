package io.gitversion.cli;

import io.gitversion.catalog.UserError;
import io.gitversion.collector.CollectorConfig;
import io.gitversion.processor.ProcessorConfig;
import io.gitversion.syncer.SyncerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gitversion} command. */
@Command(name = "gitversion", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Git-like version control for PostgreSQL schemas, on Apache Kafka.",
    subcommands = {UpCommand.class, DemoCommand.class, InstallCommand.class, UninstallCommand.class, DriftCommand.class, DiffCommand.class, InspectCommand.class, HashCommand.class, CollectorCommand.class, ProcessorCommand.class,
        SyncerCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  /** A user error: bad input, unreachable server, unknown object. */
  public static final int EXIT_USER_ERROR = 2;
  /** Anything else: a bug or an environment failure; the log has the details. */
  public static final int EXIT_FAILURE = 1;

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line: stage options generated from each stage's config, one-line errors. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    StageOptions.addTo(cli.getSubcommands().get("collector").getCommandSpec(), CollectorConfig.CONFIG);
    StageOptions.addTo(cli.getSubcommands().get("processor").getCommandSpec(), ProcessorConfig.CONFIG);
    StageOptions.addTo(cli.getSubcommands().get("syncer").getCommandSpec(), SyncerConfig.CONFIG);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      Throwable user = userCause(e);
      if (user != null) {
        commandLine.getErr().println("gitversion: " + user.getMessage());
        log.debug("user error", e);
        return EXIT_USER_ERROR;
      }
      commandLine.getErr().println("gitversion: failed: " + e);
      log.error("command failed", e);
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
  static java.io.PrintWriter bufferedOut(CommandLine.Model.CommandSpec spec) {
    return new java.io.PrintWriter(new java.io.BufferedWriter(spec.commandLine().getOut(), 1 << 16), false);
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
