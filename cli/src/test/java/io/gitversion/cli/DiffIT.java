package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.embedded.testing.PostgresServer;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code gitversion diff}, {@code inspect} and {@code hash} as a user runs them, judged by applying the output. */
class DiffIT {
  @RegisterExtension static final PostgresServer pg = PostgresServer.named("diff");

  static String database(String name, String... statements) {
    return pg.database(name).exec(statements).url();
  }

  @Test
  void diffOutputTurnsFromIntoToAndMarksHazards() throws Exception {
    String from = database("diff_from",
        "CREATE TYPE mood AS ENUM ('sad', 'ok')",
        "CREATE TABLE people (id bigint PRIMARY KEY, name text, feeling mood, legacy int)",
        "CREATE TABLE gone (x int)",
        "CREATE VIEW people_names AS SELECT id, name FROM people");
    String to = database("diff_to",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
        "CREATE TABLE people (id bigint PRIMARY KEY, name varchar(100) NOT NULL DEFAULT 'anon', feeling mood, email text UNIQUE)",
        "CREATE INDEX people_email ON people (lower(email))",
        "CREATE VIEW people_names AS SELECT id, name, email FROM people",
        "COMMENT ON TABLE people IS 'everyone'",
        "CREATE FUNCTION greet(p people) RETURNS text LANGUAGE sql AS $$ SELECT 'hi ' || p.name $$");

    GitversionProcess.Result diff = GitversionProcess.run("diff", "--from", from, "--to", to);
    assertEquals(0, diff.exitCode(), diff.stderrLines().toString());
    assertTrue(diff.stdout().contains("-- hazard: breaks_clients, data_loss\nDROP TABLE \"public\".\"gone\";"), diff.stdout());
    assertTrue(diff.stdout().contains("ALTER TYPE \"public\".\"mood\" ADD VALUE 'happy' AFTER 'ok';"), diff.stdout());

    GitversionProcess.Result safe = GitversionProcess.run("diff", "--from", from, "--to", to, "--safe");
    assertEquals(3, safe.exitCode());
    assertEquals(1, safe.stderrLines().size(), safe.stderrLines().toString());
    assertTrue(safe.stderrLines().get(0).contains("refusing (--safe)"));

    pg.database("diff_from").exec(diff.stdout());
    assertEquals(GitversionProcess.run("hash", to).stdout(), GitversionProcess.run("hash", from).stdout(), "same schema state after the migration");
    GitversionProcess.Result again = GitversionProcess.run("diff", "--from", from, "--to", to);
    assertEquals("", again.stdout(), "nothing left to do");
    assertTrue(again.stderrLines().contains("gitversion: no differences"), again.stderrLines().toString());
  }

  @Test
  void inspectAndHashNameObjectsAndRefuseUnknownOnes() throws Exception {
    String url = database("inspected", "CREATE TABLE t (id int)", "CREATE VIEW v AS SELECT id FROM t");
    GitversionProcess.Result inspect = GitversionProcess.run("inspect", url);
    assertEquals(0, inspect.exitCode());
    assertTrue(inspect.stdout().contains("  table public.t\n") && inspect.stdout().contains("  view public.v\n"), inspect.stdout());
    String objectHash = GitversionProcess.run("hash", url, "public.t").stdout();
    assertTrue(inspect.stdout().contains(objectHash.substring(0, 16) + "  table public.t"), "hash and inspect agree");
    GitversionProcess.Result unknown = GitversionProcess.run("hash", url, "nope");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.stderrLines().get(0).contains("no object 'nope'"), unknown.stderrLines().toString());
    assertTrue(GitversionProcess.run("inspect", url, "--json").stdout().contains("\"stateHash\""));
  }
}
