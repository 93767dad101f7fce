package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code gitversion diff}, {@code inspect} and {@code hash} as a user runs them, judged by applying the output. */
class DiffIT {
  static EmbeddedPostgres pg;

  @BeforeAll
  static void start() {
    pg = EmbeddedPostgres.start("diff");
  }

  @AfterAll
  static void stop() {
    if (pg != null) pg.close();
  }

  static String database(String name, String... statements) throws Exception {
    String url = pg.createDatabase(name);
    run(url, statements);
    return url;
  }

  static void run(String url, String... statements) throws Exception {
    try (Connection c = Database.connect(PgUrl.parse(url)); Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
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

    run(from, diff.stdout());
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
