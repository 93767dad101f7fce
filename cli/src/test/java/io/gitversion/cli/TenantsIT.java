package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitversion.catalog.PgUrl;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tenant templates (the advanced module): 50 tenant schemas in the template's database and 3 tenant databases follow
 * a template through 20 changes, a column rename among them with its rows kept; a tenant changed by hand stops alone
 * at the change it conflicts with, is reported, and after its repair is resumed and replays what it missed; a tenant
 * added later is created from the template's state and hashes as the template does. Tenants' changes are not the
 * source's history.
 */
class TenantsIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(0);

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int SCHEMAS = 50;
  private static final int DATABASES = 3;

  private static TestDatabase db(PgUrl url) {
    return TestDatabase.at(url.toUriWithPassword());
  }

  private Cli.Result tenants(String... args) {
    return new Cli(pipeline.dashboardUrl()).withKafka(pipeline.bootstrapServers(), "tenants", args);
  }


  /** Each tenant's row of {@code tenants status --drift --json}, by name. */
  private Map<String, JsonNode> status() {
    Cli.Result r = tenants("status", "--drift", "--json");
    assertTrue(r.code() == 0 || r.code() == 3, r.out() + r.err());
    Map<String, JsonNode> rows = new TreeMap<>();
    try {
      new ObjectMapper().readTree(r.out()).forEach(row -> rows.put(row.path("name").asText(), row));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError("tenants status --json printed no JSON: " + r.out() + r.err(), e);
    }
    return rows;
  }

  @Test
  void tenantsFollowTheirTemplateAndOneBrokenByHandStopsAloneUntilRepaired() throws Exception {
    PgUrl source = pipeline.source();
    Cli cli = new Cli(pipeline.dashboardUrl());
    Cli.Result refused = tenants("list");
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("part of the advanced module, which is not enabled: gitversion modules enable advanced"), refused.err());
    cli.ok("modules", "enable", "advanced");

    db(source).exec("CREATE SCHEMA app", "CREATE TABLE app.items (id int PRIMARY KEY, name text NOT NULL)");
    Await.until("the template's state is published", WAIT, () -> cli.run("log").out().contains("app.items"));
    Cli.Result ungranted = tenants("template", source.toString(), "app");
    assertEquals(2, ungranted.code());
    assertTrue(ungranted.err().contains("not a member of role gitversion_syncer") && ungranted.err().contains("GRANT gitversion_syncer TO postgres"),
        ungranted.err());
    db(source).exec("GRANT gitversion_syncer TO postgres"); // the syncer's role may switch capture off there
    Cli.Result template = tenants("template", source.toString(), "app", "--wave-size", "20", "--parallelism", "4");
    assertEquals(0, template.code(), template.out() + template.err());

    List<PgUrl> databases = new ArrayList<>();
    for (int d = 1; d <= DATABASES; d++) {
      db(source).exec("CREATE DATABASE tenant_db_" + d);
      databases.add(source.withDatabase("tenant_db_" + d));
    }
    Cli.Result canary = tenants("add", "tenant_1", "--schema", "t_1", "--canary");
    assertEquals(0, canary.code(), canary.out() + canary.err());
    for (int t = 2; t <= SCHEMAS; t++) {
      Cli.Result added = tenants("add", "tenant_" + t, "--schema", "t_" + t);
      assertEquals(0, added.code(), added.out() + added.err());
    }
    for (int d = 1; d <= DATABASES; d++) {
      Cli.Result added = tenants("add", "db_" + d, "--schema", "app", "--database", databases.get(d - 1).toString());
      assertEquals(0, added.code(), added.out() + added.err());
    }
    Cli.Result taken = tenants("add", "again", "--schema", "t_3");
    assertEquals(2, taken.code());
    assertTrue(taken.err().contains("tenant tenant_3 has schema t_3 in that database already"), taken.err());

    Await.until("every tenant is created from the template", WAIT, () ->
        Long.parseLong(String.valueOf(db(source).value("SELECT count(*) FROM pg_tables WHERE tablename = 'items' AND schemaname LIKE 't\\_%'"))) == SCHEMAS
            && databases.stream().allMatch(u -> "1".equals(String.valueOf(db(u).value("SELECT count(*) FROM pg_tables WHERE schemaname = 'app'")))));
    for (int t = 1; t <= SCHEMAS; t++) {
      db(source).exec("INSERT INTO t_" + t + ".items VALUES (1, 'row of tenant " + t + "')");
    }
    for (PgUrl u : databases) {
      db(u).exec("INSERT INTO app.items VALUES (1, 'row of " + u.database() + "')");
    }

    List<String> changes = List.of(
        "ALTER TABLE app.items ADD COLUMN price numeric(10,2) DEFAULT 0",
        "CREATE INDEX items_price ON app.items (price)",
        "CREATE TABLE app.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, item int REFERENCES app.items (id), qty int NOT NULL)",
        "ALTER TABLE app.items RENAME COLUMN name TO title",
        "CREATE VIEW app.priced AS SELECT id, title, price FROM app.items WHERE price > 0",
        "ALTER TABLE app.orders ADD CONSTRAINT qty_positive CHECK (qty > 0)",
        "COMMENT ON TABLE app.items IS 'what is sold'",
        "CREATE FUNCTION app.total(o app.orders) RETURNS numeric LANGUAGE sql AS $$ SELECT o.qty * 1.0 $$",
        "ALTER TABLE app.items ALTER COLUMN price SET DEFAULT 1",
        "ALTER TABLE app.items ADD COLUMN stock int",
        "CREATE SEQUENCE app.invoice_numbers",
        "CREATE TYPE app.state AS ENUM ('open', 'closed')",
        "ALTER TABLE app.orders ADD COLUMN state app.state DEFAULT 'open'",
        "CREATE INDEX orders_item ON app.orders (item)",
        "ALTER TABLE app.items ALTER COLUMN stock SET DEFAULT 0",
        "CREATE OR REPLACE VIEW app.priced AS SELECT id, title, price, stock FROM app.items WHERE price > 0",
        "ALTER TABLE app.orders RENAME COLUMN qty TO quantity",
        "COMMENT ON COLUMN app.items.title IS 'shown to buyers'",
        "CREATE TABLE app.notes (id int PRIMARY KEY, body text)",
        "ALTER TABLE app.notes ADD COLUMN at timestamptz DEFAULT now()");
    assertEquals(20, changes.size());
    for (int i = 0; i < changes.size(); i++) {
      if (i == 9) { // before ADD COLUMN stock: tenant_7 gets a column of that name by hand, and conflicts with the change
        Await.until("tenant_7 has the changes before", WAIT, () -> "1".equals(String.valueOf(db(source).value(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 't_7.items'::regclass AND attname = 'price' AND atthasdef"
                + " AND pg_get_expr((SELECT adbin FROM pg_attrdef WHERE adrelid = attrelid AND adnum = attnum), attrelid) = '1'"))));
        db(source).exec("ALTER TABLE t_7.items ADD COLUMN stock text");
      }
      db(source).exec(changes.get(i));
    }

    Map<String, JsonNode>[] rows = new Map[1];
    try {
      Await.until("every tenant but tenant_7 has the template's state; tenant_7 stopped on a conflict", WAIT, () -> {
        rows[0] = status();
        return rows[0].size() == SCHEMAS + DATABASES && rows[0].entrySet().stream().allMatch(e -> e.getKey().equals("tenant_7")
            ? e.getValue().path("state").asText().equals("stopped on conflict")
            : e.getValue().path("state").asText().equals("following") && e.getValue().path("drift").asInt() == 0);
      });
    } catch (AssertionError e) {
      throw new AssertionError("tenants status: " + rows[0], e);
    }
    assertTrue(rows[0].get("tenant_7").path("failure").asText().contains("conflict"), rows[0].get("tenant_7").toString());
    assertTrue(rows[0].get("tenant_7").path("drift").asInt() > 0, "tenant_7 differs from its template");
    assertTrue(rows[0].get("tenant_1").path("canary").asBoolean());
    for (int t = 1; t <= SCHEMAS; t++) {
      if (t != 7) {
        assertEquals("row of tenant " + t, db(source).value("SELECT title FROM t_" + t + ".items WHERE id = 1"), "rows survive the rename");
      }
    }
    assertEquals("row of tenant_db_2", db(databases.get(1)).value("SELECT title FROM app.items WHERE id = 1"));
    String history = cli.ok("log", "--limit=1000").out();
    assertTrue(history.contains("app.items") && !history.contains("t_1."), "what the tenants took is not the source's history: " + history);

    // the repair: the column by hand goes; resumed, tenant_7 replays the changes it missed, in order
    db(source).exec("ALTER TABLE t_7.items DROP COLUMN stock");
    Cli.Result resumed = tenants("resume", "tenant_7");
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    assertTrue(resumed.out().contains("caught up: 11 commit(s) replayed"), resumed.out());
    Await.until("tenant_7 is in step", WAIT, () -> {
      JsonNode row = status().get("tenant_7");
      return row.path("state").asText().equals("following") && row.path("drift").asInt() == 0;
    });
    assertEquals("row of tenant 7", db(source).value("SELECT title FROM t_7.items WHERE id = 1"));

    // a tenant added later is created from the template's state as it is now
    assertEquals(0, tenants("add", "late", "--schema", "t_late").code());
    JsonNode[] late = new JsonNode[1];
    try {
      Await.until("the late tenant hashes as the template", WAIT, () -> {
        late[0] = status().get("late");
        return late[0] != null && late[0].path("state").asText().equals("following") && late[0].path("drift").asInt() == 0;
      });
    } catch (AssertionError e) {
      throw new AssertionError("tenants status of late: " + late[0], e);
    }
    Cli.Result all = tenants("status", "--drift");
    assertEquals(0, all.code(), all.out());
    assertTrue(all.out().contains("tenant_1\tapp\tt_1\tfollowing (canary)"), all.out());

    // a canary that fails a change halts the rollout there: nobody else takes it until the canary is repaired and resumed
    db(source).exec("ALTER TABLE t_1.notes ADD COLUMN author int", "ALTER TABLE app.notes ADD COLUMN author text"); // not the same column
    JsonNode[] canaryRow = new JsonNode[1];
    try {
      Await.until("the canary stops on the change", WAIT, () -> {
        canaryRow[0] = status().get("tenant_1");
        return canaryRow[0].path("state").asText().equals("stopped on conflict");
      });
    } catch (AssertionError e) {
      throw new AssertionError("tenants status of tenant_1: " + canaryRow[0], e);
    }
    Thread.sleep(3000); // time enough for a rollout that would not halt to reach others
    assertEquals("0", String.valueOf(db(source).value("SELECT count(*) FROM pg_attribute WHERE attname = 'author' AND attrelid IN "
        + "(SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'notes' AND n.nspname <> 't_1'"
        + " AND n.nspname <> 'app')")), "no other tenant took the change the canary failed");
    db(source).exec("ALTER TABLE t_1.notes DROP COLUMN author");
    Cli.Result canaryResumed = tenants("resume", "tenant_1");
    assertEquals(0, canaryResumed.code(), canaryResumed.out() + canaryResumed.err());
    Await.until("the change reached every tenant once the canary took it", WAIT, () -> String.valueOf(db(source).value(
        "SELECT count(*) FROM pg_attribute WHERE attname = 'author' AND attrelid IN (SELECT c.oid FROM pg_class c JOIN pg_namespace n"
            + " ON n.oid = c.relnamespace WHERE c.relname = 'notes' AND n.nspname <> 'app')")).equals(String.valueOf(SCHEMAS + 1))
        && databases.stream().allMatch(u -> "1".equals(String.valueOf(db(u).value(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 'app.notes'::regclass AND attname = 'author'")))));

    // the design note's SQL in the source, carried out by the request runner next to the collector
    List<String> setup = request("gitversion.advanced_setup_tenant_template('app', '{\"wave_size\": 20, \"parallelism\": 4}')");
    assertEquals("done", setup.get(0), setup.toString());
    List<String> bySql = request("gitversion.advanced_tenant_sync('by_sql', 'app')");
    assertEquals("done", bySql.get(0), bySql.toString());
    assertTrue(bySql.get(1).startsWith("1 of 1 tenant(s) in step"), bySql.toString());
    assertEquals("1", String.valueOf(db(source).value("SELECT count(*) FROM pg_tables WHERE schemaname = 'by_sql' AND tablename = 'items'")));
    List<String> every = request("gitversion.advanced_multi_tenant_sync()");
    assertEquals("done", every.get(0), every.toString());
    assertTrue(every.get(1).startsWith((SCHEMAS + DATABASES + 2) + " of " + (SCHEMAS + DATABASES + 2) + " tenant(s) in step"), every.toString());
    assertTrue(every.get(2).contains("\"tenant\": \"tenant_7\"") && every.get(2).contains("\"equal_to_template\": true"), every.get(2));
  }

  /** Calls a function of the source that files a request, waits for it, and gives its status, result and details. */
  private static List<String> request(String call) {
    TestDatabase source = db(pipeline.source());
    String id = String.valueOf(source.value("SELECT " + call));
    return source.query("SELECT status, result, details::text FROM gitversion.sync_wait(" + id + ", 120)").get(0);
  }
}
