package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.PgUrl;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conflict strategies on a hand-made conflict (a table the commit alters was changed by hand on the remote): prefer-source
 * takes the source's state and goes on; prefer-higher-version keeps the remote's change where the remote (a source too)
 * numbered it higher; manual waits, is listed by {@code gitversion conflicts list}, and is resolved
 * from the CLI by taking the source's state. Every decision is on the sync results (the status shows what stopped a
 * remote).
 */
class StrategiesIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(45);

  private static TestDatabase db(PgUrl url) {
    return TestDatabase.at(url.toUriWithPassword());
  }

  private static String columns(PgUrl url) {
    return String.valueOf(db(url).value("SELECT string_agg(attname, ',' ORDER BY attname) FROM pg_attribute "
        + "WHERE attrelid = to_regclass('public.accounts') AND attnum > 0 AND NOT attisdropped"));
  }

  @Test
  void preferSourceGoesOnAndManualWaitsForAResolution() {
    PgUrl r1 = pipeline.remotes().get("r1");
    new Cli(pipeline.dashboardUrl()).ok("modules", "enable", "sync");
    db(r1).exec("CREATE DATABASE preferring", "CREATE DATABASE deciding", "CREATE DATABASE newer");
    PgUrl preferring = r1.withDatabase("preferring");
    PgUrl deciding = r1.withDatabase("deciding");
    PgUrl newer = r1.withDatabase("newer");
    io.gitversion.collector.SourceInstaller.install(newer, "gitversion_newer"); // a remote that is a source too: it numbers its objects
    assertEquals(0, Cli.remote(pipeline.bootstrapServers(), "add", "newer", newer.toString(), "--strategy", "prefer-higher-version").code());
    assertEquals(0, Cli.remote(pipeline.bootstrapServers(), "add", "preferring", preferring.toString(), "--strategy", "prefer-source").code());
    assertEquals(0, Cli.remote(pipeline.bootstrapServers(), "add", "deciding", deciding.toString(), "--strategy", "manual").code());
    db(pipeline.source()).exec("CREATE TABLE accounts (id int PRIMARY KEY)");
    Await.until("all have the table", WAIT, () -> columns(preferring).equals("id") && columns(deciding).equals("id") && columns(newer).equals("id"));

    db(preferring).exec("ALTER TABLE accounts ADD COLUMN by_hand int");
    db(deciding).exec("ALTER TABLE accounts ADD COLUMN by_hand int");
    db(newer).exec("ALTER TABLE accounts ADD COLUMN by_hand int");
    db(newer).exec("ALTER TABLE accounts ADD COLUMN by_hand_too int"); // its own capture: version 3, the source's next is 2
    db(pipeline.source()).exec("ALTER TABLE accounts ADD COLUMN email text");
    db(pipeline.source()).exec("CREATE TABLE after_conflict (id int)");

    Await.until("prefer-source: the remote took the source's state and went on", WAIT,
        () -> columns(preferring).equals("email,id") && !"null".equals(String.valueOf(db(preferring).value("SELECT to_regclass('public.after_conflict')"))));

    Await.until("prefer-higher-version: the remote kept its higher version and went on", WAIT,
        () -> !"null".equals(String.valueOf(db(newer).value("SELECT to_regclass('public.after_conflict')"))));
    assertEquals("by_hand,by_hand_too,id", columns(newer));

    Cli cli = new Cli(pipeline.dashboardUrl());
    Await.until("manual: the remote waits, listed as a conflict", WAIT, () -> cli.ok("conflicts", "list").out().contains("deciding\tstopped on conflict"));
    String listed = cli.ok("conflicts", "list").out();
    assertTrue(listed.contains("conflict at ") && listed.contains("table public.accounts"), listed);
    assertEquals("by_hand,id", columns(deciding), "nothing applied while it waits");

    Cli.Result taken = cli.run("conflicts", "resolve", "deciding", "--take", "source", "--kafka.bootstrap.servers=" + pipeline.bootstrapServers());
    assertEquals(0, taken.code(), taken.out() + taken.err());
    assertTrue(taken.out().contains("remote deciding: rebased"), taken.out());
    Await.until("resolved by taking the source's state", WAIT,
        () -> columns(deciding).equals("email,id") && !"null".equals(String.valueOf(db(deciding).value("SELECT to_regclass('public.after_conflict')"))));
    assertTrue(cli.ok("conflicts", "list").out().contains("no remote waits on a conflict"));
  }
}
