package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.PgUrl;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The design note's sync SQL in the source: each function files a request that the pipeline carries out (the request
 * runner next to the collector), with its status and result in gitversion.sync_requests; remote_objects() joins with
 * gitversion.objects on (kind, full_name); the registry is mirrored into gitversion.remote_databases.
 */
class SyncSqlIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static TestDatabase db(PgUrl url) {
    return TestDatabase.at(url.toUriWithPassword());
  }

  private static TestDatabase source() {
    return db(pipeline.source());
  }

  private static boolean has(PgUrl url, String table) {
    return !"null".equals(String.valueOf(db(url).value("SELECT to_regclass('public." + table + "')")));
  }

  /** Files a request (one statement, committed), waits for it, and returns its status and result. */
  private static List<String> request(String call) {
    String id = source().value("SELECT " + call);
    return source().query("SELECT status, result, duration_ms FROM gitversion.sync_wait(" + id + ", 60)").get(0);
  }

  private static String error(String sql) {
    try (Connection c = source().connect(); Statement st = c.createStatement()) {
      st.execute(sql);
      return "no error";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  @Test
  void theSourcesSqlFilesRequestsThatThePipelineCarriesOut() {
    PgUrl r1 = pipeline.remotes().get("r1");
    assertTrue(error("SELECT gitversion.sync_test_connection('r1')").contains(
        "gitversion.sync_test_connection is part of the sync module, which is not enabled: SELECT gitversion.enable_module('sync')"));
    source().exec("SELECT gitversion.enable_module('sync')");
    assertTrue(error("SELECT gitversion.sync_add_remote('leaky', 'postgresql://u:s3cret@127.0.0.1:5432/db')").contains("holds a password"));

    db(r1).exec("CREATE DATABASE by_sql");
    PgUrl remote = r1.withDatabase("by_sql");
    List<String> added = request("gitversion.sync_add_remote('by_sql', '" + remote + "', '{\"strategy\": \"skip\"}')");
    assertEquals("done", added.get(0), added.toString());
    assertTrue(added.get(1).startsWith("remote by_sql added: reachable"), added.toString());
    Await.until("the registry is mirrored into the source", WAIT,
        () -> "skip".equals(source().value("SELECT strategy FROM gitversion.remote_databases WHERE name = 'by_sql'")));
    source().exec("CREATE TABLE made_here (id int PRIMARY KEY)");
    Await.until("the remote added from SQL follows", WAIT, () -> has(remote, "made_here"));
    Await.until("with its last result in remote_databases", WAIT,
        () -> "applied".equals(source().value("SELECT last_status FROM gitversion.remote_databases WHERE name = 'by_sql'")));

    List<String> tested = request("gitversion.sync_test_connection('by_sql')");
    assertTrue(tested.get(1).startsWith("reachable, PostgreSQL "), tested.toString());
    db(remote).exec("CREATE TABLE only_there (id int)");
    assertEquals("done", request("gitversion.sync_refresh_remote('by_sql')").get(0));
    assertEquals("1", source().value("SELECT count(*) FROM gitversion.objects o JOIN gitversion.remote_objects('by_sql') r "
        + "USING (kind, full_name) WHERE o.full_name = 'public.made_here' AND o.kind = 'table' AND o.ddl_hash = r.ddl_hash"),
        "remote_objects() joins with gitversion.objects on (kind, full_name), equal ddl_hash");
    assertEquals(List.of("table", "public.only_there", "extra"),
        source().query("SELECT kind, full_name, status FROM gitversion.sync_compare_schemas('by_sql', 'public') WHERE status <> 'equal'").get(0));

    List<String> migration = request("gitversion.sync_generate_migration('by_sql')");
    assertTrue(migration.get(1).contains("DROP TABLE \"public\".\"only_there\";"), migration.toString());
    List<String> dry = request("gitversion.sync_apply_migration('by_sql', 'CREATE TABLE applied_by_sql (id int);', true)");
    assertTrue(dry.get(1).startsWith("dry run on by_sql: rolled back"), dry.toString());
    assertTrue(!has(remote, "applied_by_sql"), "a dry run leaves nothing behind");
    assertEquals("done", request("gitversion.sync_apply_migration('by_sql', 'CREATE TABLE applied_by_sql (id int);', false)").get(0));
    assertTrue(has(remote, "applied_by_sql"));

    List<String> synced = request("gitversion.sync_with_remote('by_sql')");
    assertTrue(synced.get(1).contains("verified: "), synced.toString());
    assertTrue(!has(remote, "only_there") && !has(remote, "applied_by_sql"), "the remote has the source's state");

    db(remote).exec("ALTER TABLE made_here ADD COLUMN by_hand int");
    List<String> manual = request("gitversion.sync_with_conflict_resolution('by_sql', 'manual')");
    assertEquals("failed", manual.get(0), manual.toString());
    assertTrue(manual.get(1).contains("conflict: table public.made_here differs"), manual.toString());
    List<String> preferSource = request("gitversion.sync_with_conflict_resolution('by_sql', 'prefer-source')");
    assertEquals("done", preferSource.get(0), preferSource.toString());
    assertEquals("null", String.valueOf(db(remote).value("SELECT attname FROM pg_attribute WHERE attrelid = 'made_here'::regclass AND attname = 'by_hand'")));

    // between two tags of the source, for a paused remote at the first
    assertEquals(0, Cli.remote(pipeline.bootstrapServers(), "pause", "by_sql").code());
    Await.until("paused", WAIT, () -> "true".equals(source().value("SELECT paused::text FROM gitversion.remote_databases WHERE name = 'by_sql'")));
    source().exec("SELECT gitversion.tag('sql-before')");
    source().exec("CREATE TABLE between_tags (id int)");
    source().exec("SELECT gitversion.tag('sql-after')");
    Cli cli = new Cli(pipeline.dashboardUrl());
    Await.until("both tags recorded", WAIT, () -> cli.ok("tags").out().contains("sql-after"));
    List<String> fromVersion = request("gitversion.sync_from_version('by_sql', 'sql-before', 'sql-after')");
    assertEquals("done", fromVersion.get(0), fromVersion.toString());
    assertTrue(has(remote, "between_tags"), fromVersion.toString());

    try (Connection c = source().connect(); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      var rs = st.executeQuery("SELECT gitversion.sync_test_connection('by_sql')");
      rs.next();
      long id = rs.getLong(1);
      SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
          () -> st.execute("SELECT gitversion.sync_wait(" + id + ", 5)"));
      assertTrue(refused.getMessage().contains("was made in this transaction: commit it first"), refused.getMessage());
      c.rollback();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    for (List<String> row : source().query("SELECT request, status, round(duration_ms) FROM gitversion.sync_requests ORDER BY id")) {
      System.out.println("sync request timing: " + row);
    }
  }
}
