package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input (issue 20): identifiers with quotes, spaces, dots, unicode, upper case, reserved words and 63 bytes,
 * in every kind that has a name, and SQL put where an injection would show (a comment, a default, a check), are
 * captured, replicated to a remote hash for hash, and diffed round trip: the diff from an empty database, applied,
 * makes a database that hashes as the source.
 */
class HostileNamesIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(120);
  /** 63 bytes: the longest identifier PostgreSQL keeps whole. */
  private static final String LONGEST = "l".repeat(61) + "ö";

  private static Map<String, String> hashes(PgUrl url) {
    try {
      return new TreeMap<>(Inspector.inspect(url, java.util.Set.of()).hashes());
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void hostileNamesAreCapturedReplicatedAndDiffedRoundTrip(@TempDir Path dir) throws Exception {
    assertEquals(63, LONGEST.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    TestDatabase source = TestDatabase.at(pipeline.source().toUriWithPassword());
    source.exec("CREATE TABLE important (id int)");
    source.inTransaction(
        "CREATE SCHEMA \"Weird.Schema \"\"ü\"\"\"",
        "SET search_path = \"Weird.Schema \"\"ü\"\"\"",
        "CREATE TYPE \"Mood \"\"q\"\"\" AS ENUM ('o''k', 'sa d', 'Ünï')",
        "CREATE DOMAIN \"Pos.itive\" AS int CHECK (VALUE > 0)",
        "CREATE SEQUENCE \"select\"",
        "CREATE TABLE \"Order\" (\"select\" int PRIMARY KEY, \"a.b\" text DEFAULT 'x''); DROP TABLE public.important; --', "
            + "\"Ünïcode\" \"Mood \"\"q\"\"\", \"UPPER\" \"Pos.itive\", \"x y\" text, \"" + LONGEST + "\" bigint DEFAULT nextval('\"select\"'), "
            + "CONSTRAINT \"chk \"\"1\"\"\" CHECK (\"x y\" <> ''''))",
        "CREATE UNIQUE INDEX \"idx.\"\"Order\"\"\" ON \"Order\" (\"x y\", \"a.b\")",
        "CREATE TABLE \"child table\" (id int REFERENCES \"Order\" (\"select\") ON DELETE CASCADE, \"from\" date)",
        "CREATE VIEW \"v.iew \"\"1\"\"\" AS SELECT \"select\" AS \"where\", \"x y\" FROM \"Order\" WHERE \"a.b\" <> ';'",
        "CREATE FUNCTION \"f(x)\"(\"in put\" int, \"Ünï\" text DEFAULT 'a''b') RETURNS text LANGUAGE sql AS $b$ SELECT $1::text || $2 $b$",
        "CREATE FUNCTION \"Trig Fn\"() RETURNS trigger LANGUAGE plpgsql AS $b$ BEGIN NEW.\"x y\" := upper(NEW.\"x y\"); RETURN NEW; END $b$",
        "CREATE TRIGGER \"on \"\"insert\"\"\" BEFORE INSERT ON \"Order\" FOR EACH ROW EXECUTE FUNCTION \"Trig Fn\"()",
        "ALTER TABLE \"Order\" ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY \"only 'mine'\" ON \"Order\" USING (\"x y\" = current_user)",
        "COMMENT ON TABLE \"Order\" IS 'x''); DROP TABLE public.important; --'",
        "COMMENT ON COLUMN \"Order\".\"x y\" IS E'line\\nbreak and \"quotes\"'",
        "CREATE INDEX \"" + LONGEST + "\" ON \"child table\" (\"from\")");
    PgUrl remote = pipeline.remotes().get("r1");
    Map<String, String> expected = hashes(pipeline.source());
    assertTrue(expected.keySet().stream().filter(id -> id.contains("Weird.Schema")).count() >= 15, expected.keySet().toString());
    Await.until("the remote has every hostile object, hash for hash", WAIT, () -> hashes(remote), expected::equals);
    assertEquals("important", TestDatabase.at(remote.toUriWithPassword()).value("SELECT to_regclass('public.important')::text"), "the injection attempt stayed text");

    // round trip: the diff from an empty database to the source, applied, makes the source's state
    TestDatabase.at(pipeline.source().toUriWithPassword()).exec("CREATE DATABASE empty_copy");
    PgUrl copy = pipeline.source().withDatabase("empty_copy");
    GitversionProcess.Result diff = GitversionProcess.run("diff", "--from", copy.toUriWithPassword(), "--to", pipeline.source().toUriWithPassword());
    assertEquals(0, diff.exitCode(), diff.stderrLines().toString());
    Path script = dir.resolve("diff.sql");
    Files.writeString(script, diff.stdout());
    TestDatabase.at(copy.toUriWithPassword()).exec(Files.readString(script));
    Map<String, String> copied = hashes(copy);
    copied.keySet().removeIf(id -> id.contains("gitversion"));
    Map<String, String> wanted = new TreeMap<>(expected);
    wanted.keySet().removeIf(id -> id.contains("gitversion"));
    assertEquals(wanted, copied, "the diff applied to an empty database makes the source's objects");
    assertEquals("important", TestDatabase.at(copy.toUriWithPassword()).value("SELECT to_regclass('public.important')::text"), "the injection attempt stayed text");
  }
}
