package io.gitversion.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gitversion.catalog.inspect.Fingerprint;
import io.gitversion.catalog.inspect.HashCache;
import io.gitversion.catalog.inspect.HashCacheDirectory;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.catalog.model.ObjectHash;
import io.gitversion.catalog.model.SchemaHashes;
import io.gitversion.embedded.testing.PostgresServer;
import io.gitversion.embedded.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database's catalog fingerprint changes with every change of a definition (and with nothing a database in use does
 * to its rows and statistics), and hashes kept under it are given back, unread, only while it stays.
 */
class FingerprintIT {
  @RegisterExtension static final PostgresServer pg = PostgresServer.named("fingerprint");

  /** The fingerprint, read as the inspection reads it: in a session of ours. */
  private static String fingerprint(TestDatabase db) throws Exception {
    try (Connection c = Database.connect(PgUrl.parse(db.url()))) {
      return Fingerprint.of(c, "queries");
    }
  }

  private static TestDatabase shop(String name) {
    return pg.database(name).exec(
        "CREATE ROLE fp_reader_" + name,
        "CREATE SCHEMA shop",
        "CREATE SEQUENCE shop.numbers",
        "CREATE TABLE shop.orders (id bigint PRIMARY KEY DEFAULT nextval('shop.numbers'), placed timestamptz DEFAULT '2026-01-01 00:00+00', note text, "
            + "span interval DEFAULT '1 day 2 hours')",
        "CREATE INDEX orders_placed ON shop.orders (placed)",
        "CREATE FUNCTION shop.total() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM shop.orders'",
        "GRANT SELECT ON shop.orders TO fp_reader_" + name);
  }

  @Test
  void aDatabaseInUseKeepsItsFingerprintAndEveryKindOfChangeMovesIt() throws Exception {
    TestDatabase db = shop("in_use");
    String before = fingerprint(db);
    assertEquals(before, fingerprint(db), "read twice");
    // rows, sequence values, statistics, vacuum: no definition changed
    db.exec("INSERT INTO shop.orders (note) SELECT 'n' || g FROM generate_series(1, 500) g",
        "UPDATE shop.orders SET note = 'm' WHERE id < 10", "DELETE FROM shop.orders WHERE id < 5",
        "VACUUM ANALYZE shop.orders", "ANALYZE");
    assertEquals(before, fingerprint(db), "rows and statistics");

    String[] changes = {
        "ALTER TABLE shop.orders ADD COLUMN paid boolean",
        "ALTER TABLE shop.orders ALTER COLUMN note TYPE varchar(200)",
        "CREATE INDEX orders_note ON shop.orders (note)",
        "COMMENT ON TABLE shop.orders IS 'what was ordered'",
        "CREATE OR REPLACE FUNCTION shop.total() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) + 0 FROM shop.orders'",
        "REVOKE SELECT ON shop.orders FROM fp_reader_in_use",
        "ALTER SEQUENCE shop.numbers INCREMENT BY 2",
        "ALTER TABLE shop.orders RENAME COLUMN paid TO settled",
        "DROP INDEX shop.orders_note",
        "CREATE VIEW shop.open_orders AS SELECT id FROM shop.orders WHERE NOT settled",
    };
    List<String> seen = new ArrayList<>(List.of(before));
    for (String change : changes) {
      db.exec(change);
      String now = fingerprint(db);
      assertEquals(-1, seen.indexOf(now), change + ": the fingerprint moved to a new value");
      seen.add(now);
    }
  }

  @Test
  void sharedNamesAndSettingsThatChangeHowDefinitionsAreWrittenMoveIt() throws Exception {
    TestDatabase db = shop("shared");
    String before = fingerprint(db);
    // privileges are written with role names: a role renamed changes the table's hash, and the fingerprint
    db.exec("ALTER ROLE fp_reader_shared RENAME TO fp_auditor_shared");
    String renamed = fingerprint(db);
    assertNotEquals(before, renamed, "role renamed");
    // settings of the database that change how PostgreSQL writes a definition (an interval default as '1 2:00:00',
    // every name quoted) reach new sessions, not what we read: ours write definitions under the same settings
    // (Rendering), so neither the hashes nor the fingerprint move
    String hashes = Inspector.hashes(PgUrl.parse(db.url()), Set.of(), false).stateHash();
    db.exec("ALTER DATABASE " + db.name() + " SET TimeZone = 'Asia/Tokyo'", "ALTER DATABASE " + db.name() + " SET DateStyle = 'SQL, DMY'",
        "ALTER DATABASE " + db.name() + " SET IntervalStyle = 'sql_standard'", "ALTER DATABASE " + db.name() + " SET quote_all_identifiers = on");
    assertEquals("1 2:00:00", db.value("SELECT interval '1 day 2 hours'"), "a new session has the database's settings");
    assertEquals(hashes, Inspector.hashes(PgUrl.parse(db.url()), Set.of(), false).stateHash(), "hashes under the database's settings");
    assertEquals(renamed, fingerprint(db), "the fingerprint under the database's settings");
    // the inspection's own queries are part of it: hashes kept by another release of gitversion are not used
    try (Connection c = db.connect()) {
      assertNotEquals(Fingerprint.of(c, "queries"), Fingerprint.of(c, "other queries"));
    }
  }

  /** A cache in memory that counts what it is asked to keep. */
  private static final class Counting implements HashCache {
    final Map<String, Map.Entry<String, List<ObjectHash>>> kept = new ConcurrentHashMap<>();
    final AtomicInteger puts = new AtomicInteger();

    @Override
    public List<ObjectHash> get(String database, String fingerprint) {
      Map.Entry<String, List<ObjectHash>> entry = kept.get(database);
      return entry != null && entry.getKey().equals(fingerprint) ? entry.getValue() : null;
    }

    @Override
    public void put(String database, String fingerprint, List<ObjectHash> hashes) {
      puts.incrementAndGet();
      kept.put(database, Map.entry(fingerprint, hashes));
    }
  }

  @Test
  void keptHashesAreGivenBackWhileTheFingerprintStaysAndReadAgainAfterAChange() throws Exception {
    TestDatabase db = shop("kept");
    PgUrl url = PgUrl.parse(db.url());
    Counting cache = new Counting();
    // an inspecting session makes its schema for temporary objects once (a catalog row that stays): not a change
    SchemaHashes first = Inspector.hashes(url, Set.of(), 1, cache);
    assertEquals(Inspector.hashes(url, Set.of(), false).stateHash(), first.stateHash());
    assertEquals(1, cache.puts.get());

    // unchanged: given back as kept (a hash altered in the cache shows that it was not read again)
    String database = cache.kept.keySet().iterator().next();
    Map.Entry<String, List<ObjectHash>> entry = cache.kept.get(database);
    List<ObjectHash> altered = new ArrayList<>(entry.getValue());
    ObjectHash table = altered.stream().filter(o -> o.id().equals("table shop.orders")).findFirst().orElseThrow();
    altered.set(altered.indexOf(table), ObjectHash.of("table", "shop", "orders", "orders", "0".repeat(64), null));
    cache.kept.put(database, Map.entry(entry.getKey(), altered));
    SchemaHashes again = Inspector.hashes(url, Set.of("shop"), 1, cache);
    assertEquals("0".repeat(64), again.objects().stream().filter(o -> o.id().equals("table shop.orders")).findFirst().orElseThrow().hash());
    assertEquals(1, cache.puts.get());
    assertEquals(Set.of("shop"), Set.copyOf(again.objects().stream().map(ObjectHash::schema).toList()), "only the schema asked for");

    // a change: read again, and the hashes are the database's
    db.exec("ALTER TABLE shop.orders ADD COLUMN paid boolean");
    SchemaHashes changed = Inspector.hashes(url, Set.of(), 1, cache);
    assertEquals(2, cache.puts.get());
    assertEquals(Inspector.hashes(url, Set.of(), false).stateHash(), changed.stateHash());
    assertNotEquals(first.stateHash(), changed.stateHash());
  }

  @Test
  void aDirectoryKeepsEveryNameAsItIsAndTakesAFileCutShortForNone(@TempDir Path dir) throws Exception {
    TestDatabase db = pg.database("hostile_names").exec(
        "CREATE SCHEMA \"we\"\"ird.sch\tema\"",
        "CREATE TABLE \"we\"\"ird.sch\tema\".\"Ünï cödé\nname\" (id int)",
        "CREATE TABLE public.plain (id int)");
    PgUrl url = PgUrl.parse(db.url());
    HashCache files = new HashCacheDirectory(dir.resolve("hashes"));
    SchemaHashes read = Inspector.hashes(url, Set.of(), 1, files);
    SchemaHashes kept = Inspector.hashes(url, Set.of(), 1, files);
    assertEquals(read.objects(), kept.objects());
    assertEquals(Inspector.hashes(url, Set.of(), false).stateHash(), kept.stateHash());
    assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("hashes"))));

    try (var files1 = Files.list(dir.resolve("hashes"))) {
      Path file = files1.findFirst().orElseThrow();
      byte[] whole = Files.readAllBytes(file);
      Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
      String database = url.host() + ":" + url.port() + "/" + url.database();
      assertNull(files.get(database, "any"));
      assertEquals(read.objects(), Inspector.hashes(url, Set.of(), 1, files).objects(), "a file cut short is read again");
      assertEquals(whole.length, Files.size(file), "and written whole again");
    }
  }
}
