package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.ddl.TablePlanner;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.catalog.model.Sha256;
import io.gitversion.cli.support.ChangeHistory;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.schemas.Change;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole chain on a real broker and real PostgreSQL servers: source DDL → collector → processor → syncer → remotes. */
class PipelineIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(2);

  /** The statements in one source transaction. */
  static void source(String... statements) {
    TestDatabase.at(pipeline.source().toUriWithPassword()).inTransaction(statements);
  }

  /** schema.table → hash of every tracked table, inspected live. */
  static Map<String, String> tableHashes(PgUrl url) {
    Map<String, String> hashes = new TreeMap<>();
    objectHashes(url).forEach((id, hash) -> {
      if (id.startsWith("table ")) hashes.put(id.substring("table ".length()), hash);
    });
    return hashes;
  }

  /** Every object's hash, by id ("kind schema.identity"). */
  static Map<String, String> objectHashes(PgUrl url) {
    try (Connection c = Database.connect(url)) {
      return new TreeMap<>(new Inspector(c).inspect(java.util.Set.of()).hashes());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot inspect " + url + ": " + e.getMessage(), e);
    }
  }

  static long ledgerRows(PgUrl url) {
    return Long.parseLong(TestDatabase.at(url.toUriWithPassword()).value("SELECT count(*) FROM gitversion_sync.applied"));
  }

  static void awaitRemotesMatchSource(Duration timeout) {
    Map<String, String> expected = objectHashes(pipeline.source());
    for (Map.Entry<String, PgUrl> remote : pipeline.remotes().entrySet()) {
      Await.until("remote " + remote.getKey() + " has the source's objects, hash for hash", timeout,
          () -> objectHashes(remote.getValue()), expected::equals);
    }
  }

  @Test
  void everyCommittedChangeReachesEveryRemoteInOneTransactionEach() throws Exception {
    Map<String, Long> ledgerBefore = new TreeMap<>();
    for (Map.Entry<String, PgUrl> remote : pipeline.remotes().entrySet()) {
      ledgerBefore.put(remote.getKey(), ledgerRows(remote.getValue()));
    }
    source("CREATE TABLE customers (id bigint NOT NULL, name text)");
    source("ALTER TABLE customers ADD COLUMN email text DEFAULT 'n/a'",
        "ALTER TABLE customers RENAME COLUMN name TO full_name");
    source("ALTER TABLE customers RENAME TO clients");
    source("CREATE TABLE scratch (x int)");
    source("ALTER TABLE clients DROP COLUMN email");
    source("DROP TABLE scratch");
    source("CREATE TABLE \"Odd \"\"Name\"\"\" (\"select\" int)");
    // every kind, not only tables: keys, checks, a sequence, an index, comments, a view, a function, renames
    source("CREATE TABLE orders (id serial PRIMARY KEY, client bigint, total numeric CHECK (total >= 0))");
    source("CREATE INDEX orders_client ON orders (client)", "COMMENT ON TABLE orders IS 'what was bought'",
        "COMMENT ON COLUMN orders.total IS 'in cents'");
    source("CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100",
        "CREATE FUNCTION answer() RETURNS bigint LANGUAGE sql AS $$ SELECT 42::bigint $$");
    source("ALTER INDEX orders_client RENAME TO orders_by_client", "ALTER TABLE orders RENAME TO purchases");
    source("ALTER TABLE purchases ADD CONSTRAINT client_known CHECK (client IS NOT NULL) NOT VALID", "DROP VIEW big_orders",
        "GRANT SELECT ON purchases TO PUBLIC", "REVOKE EXECUTE ON FUNCTION answer() FROM PUBLIC",
        "GRANT UPDATE (total) ON purchases TO PUBLIC");

    awaitRemotesMatchSource(Duration.ofSeconds(60));
    Map<String, String> live = tableHashes(pipeline.source());
    assertTrue(live.keySet().containsAll(List.of("public.Odd \"Name\"", "public.clients")), live.toString());
    assertFalse(live.containsKey("public.scratch"));
    for (Map.Entry<String, PgUrl> remote : pipeline.remotes().entrySet()) {
      assertEquals(ledgerBefore.get(remote.getKey()) + 12, ledgerRows(remote.getValue()),
          "one remote transaction per source transaction (12 of them)");
    }

    List<Change> history = ChangeHistory.ofObject(ChangeHistory.readAll(pipeline.bootstrapServers()), "public", "clients");
    assertEquals(List.of("create", "alter", "alter", "rename", "alter"), history.stream().map(Change::getAction).toList());
    assertEquals(List.of("1.0.0", "1.1.0", "2.0.0", "3.0.0", "4.0.0"), history.stream().map(c -> c.getAfter().getSemver()).toList());
    assertEquals(live.get("public.clients"), history.get(history.size() - 1).getAfter().getHash(),
        "the processor's latest hash is the live hash");
    assertTrue(history.get(3).getForwardSql().get(0).contains("RENAME TO \"clients\""), "a renamed table is renamed, not re-created");
  }

  @Test // issue 16: partitions arrived as plain tables, row security and parents were not sent, on the captured path
  void partitionsRowSecurityAndParentsReachTheRemotesAsTheSourceHasThemAndRowsSurviveRenames() throws Exception {
    source("CREATE TABLE events (at date NOT NULL, id int) PARTITION BY RANGE (at)",
        "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')");
    source("CREATE TABLE events_2027 (at date NOT NULL, id int)");
    source("ALTER TABLE events ATTACH PARTITION events_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')");
    source("ALTER TABLE events ENABLE ROW LEVEL SECURITY", "ALTER TABLE events FORCE ROW LEVEL SECURITY",
        "ALTER TABLE events_2026 SET (fillfactor = 70)");
    source("CREATE TABLE base (id int)", "CREATE TABLE child (extra int) INHERITS (base)");
    awaitRemotesMatchSource(Duration.ofSeconds(30));
    PgUrl r1 = pipeline.remotes().get("r1");
    TestDatabase.at(r1.toUriWithPassword()).exec("INSERT INTO child VALUES (1, 2)");
    source("ALTER TABLE child RENAME COLUMN extra TO more", "ALTER TABLE child RENAME TO kid");
    source("ALTER TABLE events DETACH PARTITION events_2027", "ALTER TABLE events NO FORCE ROW LEVEL SECURITY");
    awaitRemotesMatchSource(Duration.ofSeconds(30));
    TestDatabase remote = TestDatabase.at(r1.toUriWithPassword());
    assertEquals(List.of("1|2"), remote.column("SELECT id || '|' || more FROM kid"), "the row kept through the renames");
    assertEquals(List.of("events_2026"), remote.column("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        + " WHERE i.inhparent = 'events'::regclass"), "a partition of the remote's partitioned table, the other detached");
    assertEquals("true|false", remote.value("SELECT relrowsecurity || '|' || relforcerowsecurity FROM pg_class WHERE relname = 'events'"));
  }
}
