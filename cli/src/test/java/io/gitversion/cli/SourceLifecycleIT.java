package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.embedded.testing.KafkaBroker;
import io.gitversion.embedded.testing.PostgresServer;
import io.gitversion.embedded.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A source's life as its owner runs it: install, drift found and recorded, uninstall refused then done. */
class SourceLifecycleIT {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();
  @RegisterExtension static final PostgresServer server = PostgresServer.named("lifecycle");

  @Test
  void installDriftAndUninstallAsProcesses() throws Exception {
    TestDatabase db = server.database("shop").exec("CREATE TABLE items (id int PRIMARY KEY)");
    String source = db.url();
    assertEquals(0, GitversionProcess.run("install", source).exitCode());
    assertEquals(List.of("3"), db.column("SELECT count(*) FROM gitversion.ddl_log WHERE action = 'baseline'"),
        "schema public, table items and its key: the baseline");

    GitversionProcess.Result clean = GitversionProcess.run("drift", source, "--check");
    assertEquals(0, clean.exitCode(), clean.stderrLines().toString());
    assertEquals(List.of("gitversion: no drift"), clean.stderrLines());

    db.exec("ALTER EVENT TRIGGER gitversion_ddl_command_end DISABLE", "ALTER TABLE items ADD COLUMN hidden text",
        "ALTER EVENT TRIGGER gitversion_ddl_command_end ENABLE");
    GitversionProcess.Result check = GitversionProcess.run("drift", source, "--check");
    assertEquals(3, check.exitCode(), "--check exits 3 on drift");
    assertEquals("changed table public.items\n", check.stdout());
    GitversionProcess.Result record = GitversionProcess.run("drift", source);
    assertEquals(0, record.exitCode());
    assertEquals(List.of("gitversion: 1 drift change(s) recorded"), record.stderrLines());
    assertEquals(List.of("drift|2|1.1.0"), db.column(
        "SELECT action || '|' || version || '|' || semver FROM gitversion.ddl_log WHERE object_name = 'items' AND kind = 'table' ORDER BY id DESC LIMIT 1"));
    assertEquals(0, GitversionProcess.run("drift", source, "--check").exitCode(), "recorded: no drift left");

    Process collector = StagesIT.start(List.of("collector", "--kafka.bootstrap.servers=" + kafka.bootstrapServers(),
        "--source.url=" + source), List.of());
    try {
      GitversionProcess.Result refused = GitversionProcess.run("uninstall", source);
      assertEquals(2, refused.exitCode());
      assertTrue(refused.stderrLines().get(0).contains("is in use by process") && refused.stderrLines().get(0).contains("stop the collector first"),
          refused.stderrLines().toString());
      assertEquals(List.of("1"), db.column("SELECT count(*) FROM pg_namespace WHERE nspname = 'gitversion'"), "nothing removed");
    } finally {
      collector.destroy();
      assertTrue(collector.waitFor(60, TimeUnit.SECONDS));
    }
    GitversionProcess.Result removed = GitversionProcess.run("uninstall", source);
    assertEquals(0, removed.exitCode(), removed.stderrLines().toString());
    assertEquals(List.of("0|0|0|0"), db.column("SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = 'gitversion') || '|' "
        + "|| (SELECT count(*) FROM pg_event_trigger) || '|' || (SELECT count(*) FROM pg_replication_slots) || '|' "
        + "|| (SELECT count(*) FROM pg_publication)"));
    db.exec("CREATE TABLE after_uninstall (x int)"); // DDL works without capture

    GitversionProcess.Result notInstalled = GitversionProcess.run("drift", source);
    assertEquals(2, notInstalled.exitCode());
    assertEquals(1, notInstalled.stderrLines().size(), notInstalled.stderrLines().toString());
    assertTrue(notInstalled.stderrLines().get(0).contains("capture is not installed"), notInstalled.stderrLines().toString());
  }
}
