package io.gitversion.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.SqlResource;
import io.gitversion.embedded.testing.PostgresServer;
import io.gitversion.embedded.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A source installed by a released version upgrades in place: its history and versions stay, capture goes on. */
class UpgradeIT {
  @RegisterExtension static final PostgresServer pg = PostgresServer.named("upgrade");

  private static final String HISTORY = "SELECT kind, object_name, version, semver, hash FROM gitversion.objects ORDER BY kind, oid";
  private static final String LOG = "SELECT id, kind, object_name, action, version, semver, hash FROM gitversion.ddl_log ORDER BY id";

  @Test
  void aSourceInstalledBy010UpgradesInPlaceWithItsHistoryIntact() {
    TestDatabase db = pg.database("app");
    db.exec("CREATE TABLE kept (id int PRIMARY KEY)");
    installAs010(db);
    db.exec("ALTER TABLE kept ADD COLUMN note text",
        "CREATE TABLE later (x int)",
        "ALTER TABLE later RENAME TO renamed",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'");
    List<List<String>> objects = db.query(HISTORY);
    List<List<String>> log = db.query(LOG);
    assertEquals(List.of("2", "1.1.0"), db.query("SELECT version, semver FROM gitversion.get_version('public.kept')").get(0),
        "0.1.0 versioned the baseline and the added column");

    assertEquals(6, SourceInstaller.install(PgUrl.parse(db.url()), "gitversion_app"),
        "V3 (the versions of untracked kinds), V4 (origins), V5 (the sync module's tables), V6 and V7 (capture's lookups), V8 (slots) are new");

    assertEquals(objects, db.query(HISTORY), "every object's version, semver and hash as recorded before");
    assertEquals(log, db.query(LOG), "the log as recorded before");
    assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"), db.column("SELECT version FROM gitversion.migrations ORDER BY version"));
    assertEquals(List.of("objects_by_parent", "objects_by_partition_of", "objects_on_table"), db.column("SELECT indexname FROM pg_indexes"
        + " WHERE schemaname = 'gitversion' AND indexname IN ('objects_on_table', 'objects_by_partition_of', 'objects_by_parent') ORDER BY 1"));
    assertNull(db.value("SELECT to_regprocedure('gitversion.kind_of(oid, oid)')"), "0.1.0's kind_of by catalog is gone");
    // capture goes on from the recorded versions, with the upgraded functions
    db.exec("ALTER TABLE kept ADD COLUMN more int", "DROP TABLE renamed", "DROP FUNCTION f()");
    assertEquals(List.of("3", "1.2.0"), db.query("SELECT version, semver FROM gitversion.get_version('public.kept')").get(0));
    assertEquals(List.of("3", "3.0.0", "drop"),
        db.query("SELECT version, semver, action FROM gitversion.ddl_log WHERE object_name = 'renamed' ORDER BY id DESC LIMIT 1").get(0),
        "a drop after the upgrade is recorded against the history made before it");
    assertEquals(List.of("drop"), db.column("SELECT action FROM gitversion.ddl_log WHERE kind = 'function' AND object_name = 'f' ORDER BY id DESC LIMIT 1"));
    assertEquals(List.of("kept"), db.column("SELECT object_name FROM gitversion.tracked_objects WHERE kind IN ('table', 'function')"));
    assertEquals("0", db.value("SELECT count(*) FROM gitversion.detect_changes_by_hash()"), "the recorded state is the live state");
    // and a second install changes nothing
    List<List<String>> now = db.query(LOG);
    assertEquals(0, SourceInstaller.install(PgUrl.parse(db.url()), "gitversion_app"));
    assertEquals(now, db.query(LOG));
  }

  /** What {@code gitversion install} of 0.1.0 ran, in one transaction, then its baseline. */
  private static void installAs010(TestDatabase db) {
    db.inTransaction(
        "SET LOCAL gitversion.capture = 'off'",
        "CREATE SCHEMA IF NOT EXISTS gitversion",
        "CREATE TABLE IF NOT EXISTS gitversion.migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
        released("catalog.sql"),
        released("V1__capture.sql"),
        "INSERT INTO gitversion.migrations (version, name) VALUES (1, 'V1__capture.sql')",
        released("V2__every_kind.sql"),
        "INSERT INTO gitversion.migrations (version, name) VALUES (2, 'V2__every_kind.sql')");
    db.exec("SELECT gitversion.baseline()");
  }

  private static String released(String file) {
    return SqlResource.load("/released/0.1.0/" + file);
  }
}
