package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.embedded.testing.KafkaBroker;
import io.gitversion.embedded.testing.PostgresServer;
import io.gitversion.embedded.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real deployment's shape: each stage its own process against an existing broker and existing PostgreSQL servers,
 * configured through the three sources (flags, environment, a config file).
 */
class StagesIT {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();
  @RegisterExtension static final PostgresServer sourceServer = PostgresServer.named("stage-source");
  @RegisterExtension static final PostgresServer remoteServer = PostgresServer.named("stage-remote");

  @Test
  void separateStageProcessesCarryAChangeFromSourceToRemote() throws Exception {
    List<Process> stages = new ArrayList<>();
    try {
      TestDatabase sourceDb = sourceServer.database("inventory");
      String source = sourceDb.url();
      String remote = remoteServer.database("inventory").url();

      GitversionProcess.Result install = GitversionProcess.run("install", source);
      assertEquals(0, install.exitCode(), install.stderrLines().toString());
      assertTrue(install.stdout().startsWith("capture installed in " + source), install.stdout());
      assertTrue(GitversionProcess.run("install", source).stdout().contains("0 migration(s) applied now"), "install is idempotent");

      Path config = Files.createTempFile("syncer-", ".properties");
      Files.writeString(config, "syncer.remotes=warehouse=" + remote + "\nsyncer.strategy=fail\n");
      stages.add(start(List.of("processor", "--kafka.bootstrap.servers=" + kafka.bootstrapServers(), "--dashboard.port=0"), List.of()));
      stages.add(start(List.of("syncer", "--config", config.toString()), List.of("GITVERSION_KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers())));
      stages.add(start(List.of("collector", "--kafka.bootstrap.servers=" + kafka.bootstrapServers()), List.of("GITVERSION_SOURCE_URL=" + source)));

      sourceDb.exec("CREATE TABLE items (sku text NOT NULL, qty integer DEFAULT 0)");
      UpIT.awaitTable(PgUrl.parse(remote), "items");
    } finally {
      for (Process stage : stages) {
        stage.destroy();
        assertTrue(stage.waitFor(60, TimeUnit.SECONDS), "stage stops on SIGTERM");
      }
    }
  }

  /** Starts a stage and waits for its first stdout line, which it prints once it runs. */
  static Process start(List<String> args, List<String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(GitversionProcess.command(args.toArray(String[]::new)))
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    for (String entry : env) {
      builder.environment().put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
    }
    Process process = builder.start();
    String first = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertTrue(first != null && first.startsWith(args.get(0)), args.get(0) + " started: " + first);
    return process;
  }
}
