package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.PgUrl;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Modules: enabled and disabled from the CLI or from SQL in a source, the same answer from the CLI, the API and the
 * source's gitversion.enabled_modules; a command of a disabled module is refused in one line; compare by hash.
 */
class ModulesIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static Cli cli() {
    return new Cli(pipeline.dashboardUrl());
  }

  private static TestDatabase db(PgUrl url) {
    return TestDatabase.at(url.toUriWithPassword());
  }

  @Test
  void modulesAreTheSameEverywhereAndGateTheirCommands() {
    Cli.Result listed = cli().ok("modules", "list");
    assertTrue(listed.out().contains("sync\tdisabled") && listed.out().contains("advanced\tdisabled"), listed.out());
    String source = pipeline.source().toUriWithPassword();
    String remote = pipeline.remotes().get("r1").toUriWithPassword();
    Cli.Result refused = cli().run("compare", source, remote);
    assertEquals(2, refused.code());
    assertEquals("gitversion: 'compare' is part of the sync module, which is not enabled: gitversion modules enable sync\n", refused.err());

    Cli.Result enabled = cli().ok("modules", "enable", "sync");
    assertTrue(enabled.out().contains("sync\tenabled"), enabled.out());
    Await.until("the source lists sync as enabled", WAIT,
        () -> db(pipeline.source()).column("SELECT name FROM gitversion.enabled_modules").contains("sync"));

    db(pipeline.source()).exec("CREATE TABLE compared (id int PRIMARY KEY)");
    Await.until("the remote has the table", WAIT, () -> cli().run("compare", source, remote).code() == 0);
    assertEquals(0, cli().run("compare", source, remote).code(), "equal again, from the hashes kept");
    db(pipeline.remotes().get("r1")).exec("CREATE TABLE by_hand (id int)");
    Cli.Result differs = cli().run("compare", source, remote);
    assertEquals(3, differs.code(), differs.out() + differs.err());
    assertTrue(differs.out().contains("extra\ttable public.by_hand"), differs.out());
    assertEquals(differs.out(), cli().run("compare", source, remote, "--no-cache").out(), "the same, every database read in full");
    assertTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of(System.getProperty("gitversion.cache"), "hashes")), "hashes kept");
    Await.until("the history has the table", WAIT, () -> cli().run("compare", "source:app", source).code() == 0);
    assertEquals(3, cli().run("compare", "source:app", remote).code(), "the captured state against the remote");

    db(pipeline.source()).exec("SELECT gitversion.disable_module('sync')");
    Await.until("the CLI sees sync disabled from the source's SQL", WAIT,
        () -> cli().ok("modules", "list").out().contains("sync\tdisabled"));
    assertEquals(List.of("core"), db(pipeline.source()).column("SELECT name FROM gitversion.enabled_modules"));
    RuntimeException unknown = assertThrows(RuntimeException.class, () -> db(pipeline.source()).exec("SELECT gitversion.enable_module('foo')"));
    assertTrue(String.valueOf(unknown.getMessage()).contains("Unknown module: foo")
        || String.valueOf(unknown.getCause()).contains("Unknown module: foo"), String.valueOf(unknown));
    Cli.Result cliUnknown = cli().run("modules", "enable", "foo");
    assertEquals(2, cliUnknown.code());
    assertTrue(cliUnknown.err().contains("Unknown module: foo"), cliUnknown.err());
  }
}
