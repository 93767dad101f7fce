package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.schemas.ShardCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shard consistency (the advanced module): five shards of one schema, two of them changed by hand; the check names
 * the two and the objects they differ on, plans their repair towards the majority, and {@code --repair} makes all five
 * equal by hash with their rows kept; the check is published for the dashboard; the source's SQL function returns the
 * same rows; a shard group of the registry is checked against the source's captured state.
 */
class ShardsIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(0);

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final List<String> SCHEMA = List.of(
      "CREATE SCHEMA app",
      "CREATE TYPE app.state AS ENUM ('open', 'closed')",
      "CREATE TABLE app.customers (id bigint PRIMARY KEY, name text NOT NULL, email text)",
      "CREATE TABLE app.orders (id bigint PRIMARY KEY, customer bigint REFERENCES app.customers (id), note text, state app.state DEFAULT 'open')",
      "CREATE INDEX orders_customer ON app.orders (customer)",
      "CREATE VIEW app.open_orders AS SELECT id, customer, note FROM app.orders WHERE state = 'open'",
      "CREATE FUNCTION app.order_count(c bigint) RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM app.orders WHERE customer = c $$",
      "INSERT INTO app.customers VALUES (1, 'Ada', 'ada@example.com')",
      "INSERT INTO app.orders VALUES (10, 1, 'first', 'open')");

  private static TestDatabase db(PgUrl url) {
    return TestDatabase.at(url.toUriWithPassword());
  }

  private Cli.Result shards(String... args) {
    return new Cli(pipeline.dashboardUrl()).withKafka(pipeline.bootstrapServers(), "shards", args);
  }


  private static String stateHash(PgUrl url) throws Exception {
    return Inspector.hashes(url, Set.of(), false).stateHash();
  }

  @Test
  void aCheckNamesTheDivergentShardsAndTheRepairMakesAllFiveEqual() throws Exception {
    PgUrl source = pipeline.source();
    Cli cli = new Cli(pipeline.dashboardUrl());
    List<PgUrl> shardUrls = new ArrayList<>();
    for (int s = 1; s <= 5; s++) {
      db(source).exec("CREATE DATABASE shard_" + s);
      PgUrl url = source.withDatabase("shard_" + s);
      db(url).exec(SCHEMA.toArray(String[]::new));
      shardUrls.add(url);
    }
    String[] members = shardUrls.stream().map(PgUrl::toString).toArray(String[]::new);
    Cli.Result refused = shards(concat(new String[] {"check"}, members));
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("part of the advanced module, which is not enabled: gitversion modules enable advanced"), refused.err());
    cli.ok("modules", "enable", "advanced");

    Cli.Result equal = shards(concat(new String[] {"check"}, members));
    assertEquals(0, equal.code(), equal.out() + equal.err());
    assertTrue(equal.out().contains("consistent: every member is equal"), equal.out());

    // shard_2: a column's type and an index of its own; shard_4: a view dropped and a function's body changed
    db(shardUrls.get(1)).exec("DROP VIEW app.open_orders", "ALTER TABLE app.orders ALTER COLUMN note TYPE varchar(200)", SCHEMA.get(5),
        "CREATE INDEX orders_note ON app.orders (note)");
    db(shardUrls.get(3)).exec("DROP VIEW app.open_orders",
        "CREATE OR REPLACE FUNCTION app.order_count(c bigint) RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) + 0 FROM app.orders WHERE customer = c $$");

    Cli.Result check = shards(concat(new String[] {"check", "--json"}, members));
    assertEquals(3, check.code(), check.out() + check.err());
    JsonNode json = new ObjectMapper().readTree(check.out());
    assertEquals("majority", json.path("reference").asText());
    Set<String> divergentObjects = new TreeSet<>();
    Set<String> divergentShards = new TreeSet<>();
    for (JsonNode row : json.path("rows")) {
      divergentObjects.add(row.path("object").asText());
      if (!row.path("status").asText().equals("equal")) {
        divergentShards.add(row.path("shard").asText());
      }
    }
    assertEquals(Set.of("shard_2", "shard_4"), divergentShards, check.out());
    assertTrue(divergentObjects.containsAll(Set.of("index app.orders_note", "view app.open_orders", "function app.order_count(bigint)")),
        divergentObjects.toString());
    assertTrue(divergentObjects.stream().anyMatch(o -> o.startsWith("table app.orders")), divergentObjects.toString());
    assertEquals(Set.of("shard_2", "shard_4"), iterable(json.path("plans").fieldNames()));
    assertTrue(json.path("plans").path("shard_4").toString().contains("CREATE VIEW"), json.path("plans").toString());
    assertTrue(json.path("plans").path("shard_2").toString().contains("DROP INDEX"), json.path("plans").toString());
    JsonNode missing = null;
    for (JsonNode row : json.path("rows")) {
      if (row.path("object").asText().equals("view app.open_orders") && row.path("shard").asText().equals("shard_4")) {
        missing = row;
      }
    }
    assertEquals("missing", missing.path("status").asText(), String.valueOf(missing));

    Cli.Result text = shards(concat(new String[] {"check"}, members));
    assertEquals(3, text.code());
    assertTrue(text.out().contains("divergent: shard_2 (") && text.out().contains("shard_4 (2 object(s))"), text.out());
    assertTrue(text.out().contains("-- repair of shard_2 towards the majority"), text.out());

    Cli.Result repair = shards(concat(new String[] {"check", "--repair"}, members));
    assertEquals(0, repair.code(), repair.out() + repair.err());
    assertTrue(repair.out().contains("after the repair: all 5 members are equal"), repair.out());
    Set<String> hashes = new HashSet<>();
    for (PgUrl url : shardUrls) {
      hashes.add(stateHash(url));
    }
    assertEquals(1, hashes.size(), "every shard hashes the same after the repair");
    assertEquals("first", db(shardUrls.get(1)).value("SELECT note FROM app.orders WHERE id = 10"), "rows survive the repair");
    assertEquals("1", db(shardUrls.get(3)).value("SELECT app.order_count(1)"));
    assertEquals("text", db(shardUrls.get(1)).value(
        "SELECT data_type FROM information_schema.columns WHERE table_schema = 'app' AND table_name = 'orders' AND column_name = 'note'"));

    ShardCheck published = pipeline.registry().read(Topics.SHARD_CHECKS).get(String.join(",", members));
    assertEquals(List.of("shard_2", "shard_4"), published.getRepaired());
    assertTrue(published.getDivergent().isEmpty());
    assertEquals(5, published.getShards().size());

    // the same rows from the source's SQL: shard_5 changed by hand
    db(shardUrls.get(4)).exec("COMMENT ON TABLE app.customers IS 'changed on shard 5'");
    String options = "{\"members\": [" + String.join(", ", java.util.Arrays.stream(members).map(m -> "\"" + m + "\"").toList()) + "]}";
    String id = db(source).value("SELECT gitversion.advanced_shard_consistency_check(NULL, '" + options + "')");
    List<List<String>> rows = db(source).query("SELECT object, shard, status FROM gitversion.advanced_shard_matrix(" + id + ") ORDER BY object, shard");
    assertEquals(5, rows.size(), rows.toString());
    for (List<String> row : rows) {
      assertEquals("table app.customers", row.get(0), rows.toString()); // a table's comment is part of its definition
      assertEquals(row.get(1).equals("shard_5") ? "differs" : "equal", row.get(2), rows.toString());
    }

    // a shard group of the registry, against the source's captured state: the syncer brings both to it
    db(source).exec(SCHEMA.subList(0, 4).toArray(String[]::new));
    cli.ok("modules", "enable", "sync");
    for (String g : List.of("eu_1", "eu_2")) {
      db(source).exec("CREATE DATABASE " + g);
      Cli.Result added = Cli.remote(pipeline.bootstrapServers(), "add", g, source.withDatabase(g).toString(), "--group", "eu");
      assertEquals(0, added.code(), added.out());
    }
    Cli.Result groups = shards("groups");
    assertEquals("eu\teu_1,eu_2", groups.out().strip(), groups.out() + groups.err());
    Await.until("the shard group eu has the source's state", WAIT, () -> shards("check", "eu", "--reference", "source").code() == 0);
    Cli.Result onlyOne = shards("check", "eu_1");
    assertEquals(2, onlyOne.code());
    assertTrue(onlyOne.err().contains("a shard group has two members or more"), onlyOne.err());
    Cli.Result unknown = shards("check", "nowhere");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("no shard group nowhere"), unknown.err());
    assertNull(pipeline.registry().read(Topics.SHARD_CHECKS).get("nowhere"));
  }

  private static Set<String> iterable(java.util.Iterator<String> names) {
    Set<String> set = new TreeSet<>();
    names.forEachRemaining(set::add);
    return set;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
