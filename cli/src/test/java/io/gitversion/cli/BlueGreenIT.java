package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.schemas.BlueGreenDeployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blue-green deployment (the advanced module): during the window a client on the old shape and one on the new shape
 * both write and read their rows, through views over the same tables; rollback loses no row; complete leaves the new
 * shape only; every step is captured, and the remote follows.
 */
class BlueGreenIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String MIGRATION = String.join(";\n",
      "ALTER TABLE customers ADD COLUMN tier text DEFAULT 'basic'",
      "ALTER TABLE customers RENAME COLUMN name TO full_name",
      "ALTER TABLE customers DROP COLUMN phone",
      "ALTER TABLE customers ALTER COLUMN email SET NOT NULL",
      "CREATE INDEX customers_email ON customers (email)",
      "ALTER TABLE orders ALTER COLUMN amount SET DEFAULT 1",
      "ALTER TABLE orders RENAME TO purchases",
      "CREATE TABLE app.invoices (id bigint PRIMARY KEY, purchase bigint NOT NULL)",
      "DROP TABLE legacy") + ";\n";

  private static TestDatabase db(PgUrl url) {
    return TestDatabase.at(url.toUriWithPassword());
  }

  private Cli.Result bluegreen(String... args) {
    return new Cli(pipeline.dashboardUrl()).withKafka(pipeline.bootstrapServers(), "bluegreen", args);
  }

  private static List<String> columns(TestDatabase db, String schema, String table) {
    return db.column("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass('" + schema + "." + table
        + "') AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
  }

  @Test
  void bothShapesWriteTheSameRowsRollbackLosesNoneAndCompleteLeavesTheNewShape(@TempDir Path dir) throws Exception {
    PgUrl sourceUrl = pipeline.source();
    TestDatabase source = db(sourceUrl);
    Cli cli = new Cli(pipeline.dashboardUrl());
    source.exec("CREATE SCHEMA app",
        "CREATE TABLE app.customers (id bigint PRIMARY KEY, name text NOT NULL, email text, phone text NOT NULL)",
        "CREATE TABLE app.orders (id bigint PRIMARY KEY, customer bigint REFERENCES app.customers (id), amount numeric DEFAULT 0)",
        "CREATE TABLE app.legacy (id int)",
        "INSERT INTO app.customers VALUES (1, 'Ada', 'ada@example.com', '555-0101')",
        "INSERT INTO app.orders VALUES (100, 1, 25)");
    Path migration = dir.resolve("migration.sql");
    Files.writeString(migration, MIGRATION);
    String url = sourceUrl.toString();

    Cli.Result refused = bluegreen("start", url, "--schema", "app", "--file", migration.toString());
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("part of the advanced module"), refused.err());
    cli.ok("modules", "enable", "advanced");
    Path unsupported = dir.resolve("unsupported.sql");
    Files.writeString(unsupported, "ALTER TABLE customers ALTER COLUMN email TYPE varchar(100);");
    Cli.Result cannot = bluegreen("start", url, "--schema", "app", "--file", unsupported.toString());
    assertEquals(2, cannot.code());
    assertTrue(cannot.err().contains("cannot deploy blue-green: ALTER TABLE customers ALTER COLUMN email TYPE varchar(100)"), cannot.err());
    assertEquals("null", String.valueOf(source.value("SELECT to_regnamespace('app_v1')")), "a refused migration changes nothing");

    // the first window: both shapes write, then rollback
    Cli.Result started = bluegreen("start", url, "--schema", "app", "--file", migration.toString());
    assertEquals(0, started.code(), started.out() + started.err());
    assertTrue(started.out().contains("old shape: SET search_path = app_v1") && started.out().contains("new shape: SET search_path = app_v2"),
        started.out());
    assertEquals(List.of("id", "name", "email", "phone"), columns(source, "app_v1", "customers"));
    assertEquals(List.of("id", "full_name", "email", "tier"), columns(source, "app_v2", "customers"));
    assertEquals(List.of("id", "customer", "amount"), columns(source, "app_v2", "purchases"));
    assertEquals("null", String.valueOf(source.value("SELECT to_regclass('app_v2.legacy')")));
    writeThroughBothShapes(source);
    Await.until("status says active", WAIT, () -> bluegreen("status").out().contains("app.app\tv1 -> v2\tactive"));
    Cli.Result again = bluegreen("start", url, "--schema", "app", "--file", migration.toString());
    assertEquals(2, again.code());
    assertTrue(again.err().contains("is active (v1 and v2 served)"), again.err());

    Cli.Result rolledBack = bluegreen("rollback", url, "--schema", "app");
    assertEquals(0, rolledBack.code(), rolledBack.out() + rolledBack.err());
    assertEquals("null", String.valueOf(source.value("SELECT to_regnamespace('app_v2')")));
    assertEquals(List.of("id", "name", "email", "phone"), columns(source, "app", "customers"), "the old shape only");
    assertEquals("3", source.value("SELECT count(*) FROM app.customers"), "no row lost: the old shape's, the new shape's");
    assertEquals("Linus", source.value("SELECT name FROM app.customers WHERE id = 3"), "the new shape's row, under the old name");
    assertEquals("3", source.value("SELECT count(*) FROM app.orders"));
    assertEquals("null", String.valueOf(source.value("SELECT to_regclass('app.customers_email')")));
    assertEquals("null", String.valueOf(source.value("SELECT to_regclass('app.invoices')")));
    assertEquals("false", source.value("SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'app.customers'::regclass AND attname = 'phone'"),
        "a row of the new shape has no phone: the column stays optional rather than lose it");
    assertEquals("app.legacy", source.value("SELECT to_regclass('app.legacy')::text"));

    // the second window: complete
    source.exec("UPDATE app.customers SET phone = 'unknown' WHERE phone IS NULL");
    Cli.Result second = bluegreen("start", url, "--schema", "app", "--file", migration.toString());
    assertEquals(0, second.code(), second.out() + second.err());
    writeThroughBothShapes(source);
    Cli.Result completed = bluegreen("complete", url, "--schema", "app");
    assertEquals(0, completed.code(), completed.out() + completed.err());
    assertEquals("null", String.valueOf(source.value("SELECT to_regnamespace('app_v1')")), "the old shape is gone");
    assertEquals(List.of("id", "full_name", "email", "tier"), columns(source, "app", "customers"));
    assertEquals(List.of("id", "full_name", "email", "tier"), columns(source, "app_v2", "customers"));
    assertEquals("true", source.value("SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'app.customers'::regclass AND attname = 'email'"));
    assertEquals("1", source.value("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'app.purchases'::regclass AND adnum = 3"));
    assertEquals("null", String.valueOf(source.value("SELECT to_regclass('app.legacy')")));
    assertEquals("app.customers_email", source.value("SELECT to_regclass('app.customers_email')::text"));
    assertEquals("5", source.value("SELECT count(*) FROM app.customers"), "every row of both windows kept");
    source.exec("SET search_path = app_v2", "INSERT INTO customers (id, full_name, email) VALUES (9, 'After', 'after@example.com')");
    assertEquals("basic", source.value("SELECT tier FROM app.customers WHERE id = 9"));

    BlueGreenDeployment d = pipeline.registry().read(Topics.BLUEGREEN).get("app/app");
    assertEquals("completed", d.getState());
    assertEquals("v2", d.getToVersion());
    Await.until("status says completed", WAIT, () -> bluegreen("status").out().contains("app.app\tv1 -> v2\tcompleted"));
    Cli.Result json = bluegreen("status", "--json");
    assertTrue(json.out().contains("\"contract\"") && json.out().contains("RENAME COLUMN \\\"name\\\" TO \\\"full_name\\\""), json.out());

    // captured like any other change: the remote has the new shape and its version schema
    PgUrl remote = pipeline.remotes().get("r1");
    Await.until("the remote has what the source has", WAIT, () ->
        stateHash(remote).equals(stateHash(sourceUrl)));
    assertEquals(List.of("id", "full_name", "email", "tier"), columns(db(remote), "app_v2", "customers"));
    assertTrue(cli.run("log").out().contains("app_v2"), "the version schema is in the source's history");

    // --to-tag: the planner's migration from the schema's state now to a tag's; here the same state, so nothing to deploy
    cli.ok("tag", "after-complete");
    Await.until("the tag is readable", WAIT, () -> cli.run("tags").out().contains("after-complete"));
    Cli.Result same = bluegreen("start", url, "--schema", "app", "--to-tag", "after-complete");
    assertEquals(2, same.code(), same.out() + same.err());
    assertTrue(same.err().contains("schema app has the state of tag after-complete already: nothing to deploy"), same.err());
  }

  private static String stateHash(PgUrl url) {
    try {
      return Inspector.hashes(url, Set.of("app", "app_v2"), false).stateHash();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client on each shape writes a row and reads both. */
  private static void writeThroughBothShapes(TestDatabase source) throws Exception {
    int id = Integer.parseInt(source.value("SELECT coalesce(max(id), 0) FROM app.customers")) + 1;
    try (java.sql.Connection old = source.connect(); java.sql.Connection neu = source.connect();
         java.sql.Statement o = old.createStatement(); java.sql.Statement n = neu.createStatement()) {
      o.execute("SET search_path = app_v1");
      n.execute("SET search_path = app_v2");
      o.execute("INSERT INTO customers (id, name, email, phone) VALUES (" + id + ", 'Grace', 'grace@example.com', '555-0102')");
      o.execute("INSERT INTO orders (id, customer, amount) VALUES (" + (100 + id) + ", " + id + ", 10)");
      n.execute("INSERT INTO customers (id, full_name, email) VALUES (" + (id + 1) + ", 'Linus', 'linus@example.com')");
      n.execute("INSERT INTO purchases (id, customer) VALUES (" + (101 + id) + ", " + (id + 1) + ")");
      try (java.sql.ResultSet rs = o.executeQuery("SELECT name FROM customers WHERE id = " + (id + 1))) {
        assertTrue(rs.next());
        assertEquals("Linus", rs.getString(1), "the old shape reads the new shape's row");
      }
      try (java.sql.ResultSet rs = n.executeQuery("SELECT full_name, tier FROM customers WHERE id = " + id)) {
        assertTrue(rs.next());
        assertEquals("Grace", rs.getString(1), "the new shape reads the old shape's row");
        assertEquals("basic", rs.getString(2));
      }
      try (java.sql.ResultSet rs = n.executeQuery("SELECT amount FROM purchases WHERE id = " + (101 + id))) {
        assertTrue(rs.next());
        assertEquals("1", rs.getString(1), "the new shape's default");
      }
      try (java.sql.Statement bad = neu.createStatement()) {
        java.sql.SQLException nullEmail = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
            () -> bad.execute("INSERT INTO customers (id, full_name) VALUES (" + (id + 50) + ", 'No Mail')"));
        assertTrue(nullEmail.getMessage().contains("not_null"), nullEmail.getMessage());
      }
    }
  }
}
