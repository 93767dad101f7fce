package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Selective subscriptions: a remote that takes one schema gets that schema's changes and nothing else; one that maps
 * it gets them under another schema, verified by hash there; one that takes tables gets no view. A change that crosses
 * the boundary (a view of the subscribed schema over a table outside it) is a conflict naming both objects, with
 * nothing applied.
 */
class SubscriptionIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static TestDatabase db(PgUrl url) {
    return TestDatabase.at(url.toUriWithPassword());
  }

  private static boolean has(PgUrl url, String name) {
    return !"null".equals(String.valueOf(db(url).value("SELECT to_regclass('" + name + "')")));
  }

  /** The hashes of one schema's objects, by id with the schema's name left out: what two schemas must share. */
  private static Map<String, String> hashesOf(PgUrl url, String schema) throws Exception {
    Map<String, String> hashes = new TreeMap<>();
    Inspector.inspect(url, Set.of()).objects().values().stream().filter(o -> schema.equals(o.schema()))
        .forEach(o -> hashes.put(o.kind().label() + (o.kind() == io.gitversion.catalog.model.ObjectKind.SCHEMA ? "" : " " + o.identity()), o.hash()));
    return hashes;
  }

  @Test
  void aRemoteTakesItsSchemasUnderItsNamesAndAChangeAcrossTheBoundaryIsAConflict() throws Exception {
    PgUrl r1 = pipeline.remotes().get("r1");
    PgUrl source = pipeline.source();
    new Cli(pipeline.dashboardUrl()).ok("modules", "enable", "sync");
    db(r1).exec("CREATE DATABASE app_only", "CREATE DATABASE tenant", "CREATE DATABASE tables_only");
    PgUrl appOnly = r1.withDatabase("app_only");
    PgUrl tenant = r1.withDatabase("tenant");
    PgUrl tablesOnly = r1.withDatabase("tables_only");
    db(source).exec("CREATE SCHEMA app", "CREATE SCHEMA other", "CREATE TABLE app.before_add (id int PRIMARY KEY)",
        "CREATE TABLE other.outside (id int PRIMARY KEY)");
    Await.until("r1 has both schemas", WAIT, () -> has(r1, "app.before_add") && has(r1, "other.outside"));

    assertEquals(0, Cli.remote(pipeline.bootstrapServers(), "add", "app_only", appOnly.toString(), "--schemas", "app").code());
    Cli.Result mapped = Cli.remote(pipeline.bootstrapServers(), "add", "tenant", tenant.toString(), "--schemas", "app",
        "--map-schema", "app=tenant_7");
    assertEquals(0, mapped.code(), mapped.out());
    assertEquals(0, Cli.remote(pipeline.bootstrapServers(), "add", "tables_only", tablesOnly.toString(), "--kinds", "table,schema").code());
    Cli.Result bad = Cli.remote(pipeline.bootstrapServers(), "add", "bad", appOnly.toString(), "--kinds", "tabel");
    assertEquals(2, bad.code());
    assertTrue(bad.out().contains("unknown kind 'tabel'"), bad.out());
    String listed = Cli.remote(pipeline.bootstrapServers(), "list").out();
    assertTrue(listed.contains("takes=schemas app; mapped app->tenant_7"), listed);

    Await.until("each joined with its part", WAIT, () -> has(appOnly, "app.before_add") && has(tenant, "tenant_7.before_add")
        && has(tablesOnly, "other.outside"));
    db(source).exec("ALTER TABLE app.before_add ADD COLUMN note text DEFAULT 'n'",
        "CREATE VIEW app.notes AS SELECT id, note FROM app.before_add",
        "CREATE FUNCTION app.note_of(i int) RETURNS text LANGUAGE sql AS $$ SELECT note FROM app.before_add WHERE id = i $$",
        "CREATE TABLE other.later (id int)");
    Await.until("the schema's changes reached its remotes, mapped where mapped", WAIT, () -> has(appOnly, "app.notes")
        && has(tenant, "tenant_7.notes") && has(tablesOnly, "other.later") && has(r1, "other.later"));
    assertTrue(!has(appOnly, "other.outside") && !has(appOnly, "other.later"), "nothing of schema other on app_only");
    assertEquals("null", String.valueOf(db(tenant).value("SELECT to_regnamespace('app')")), "no schema app on the mapped remote");
    assertEquals("null", String.valueOf(db(tablesOnly).value("SELECT to_regclass('app.notes')")), "no view where tables are taken");
    assertEquals(hashesOf(source, "app"), hashesOf(appOnly, "app"), "the schema as the source has it");
    Map<String, String> sourceApp = hashesOf(source, "app");
    Map<String, String> tenantApp = hashesOf(tenant, "tenant_7");
    assertEquals(sourceApp.keySet(), tenantApp.keySet(), "every object of app, in tenant_7");
    db(tenant).exec("INSERT INTO tenant_7.before_add (id) VALUES (1)");
    assertEquals("n", db(tenant).value("SELECT tenant_7.note_of(1)"), "the mapped function reads the mapped table");
    assertTrue(String.valueOf(db(tenant).value("SELECT pg_get_viewdef('tenant_7.notes'::regclass)")).contains("before_add"));
    assertTrue(String.valueOf(db(tenant).value("SELECT prosrc FROM pg_proc WHERE proname = 'note_of'")).contains("tenant_7.before_add"),
        "a function's body names the mapped schema");

    Cli cli = new Cli(pipeline.dashboardUrl());
    // compare takes a remote's subscription: the source as the remote would have it, against what it holds of it
    String kafka = "--kafka.bootstrap.servers=" + pipeline.bootstrapServers();
    Cli.Result mappedCompare = cli.run("compare", "source:" + source.database(), "tenant", kafka);
    assertEquals(0, mappedCompare.code(), mappedCompare.out() + mappedCompare.err());
    Cli.Result everyRemote = cli.run("compare", "source:" + source.database(), "--all-remotes", kafka);
    assertTrue(everyRemote.out().contains("tenant: equal") && everyRemote.out().contains("app_only: equal")
        && everyRemote.out().contains("tables_only: equal"), everyRemote.out() + everyRemote.err());
    db(tenant).exec("ALTER TABLE tenant_7.before_add ADD COLUMN by_hand int");
    Cli.Result differs = cli.run("compare", "source:" + source.database(), "tenant", kafka);
    assertEquals(3, differs.code(), differs.out());
    assertTrue(differs.out().contains("differs\ttable tenant_7.before_add"), differs.out());
    db(tenant).exec("ALTER TABLE tenant_7.before_add DROP COLUMN by_hand");

    db(source).exec("CREATE VIEW app.across AS SELECT id FROM other.outside");
    String[] status = {""};
    try {
      Await.until("the remotes of schema app stop on the boundary, naming both objects", WAIT, () -> {
        status[0] = cli.ok("status").out();
        return status[0].matches("(?s).*\napp_only\tstopped on conflict\t.*view app\\.across depends on table other\\.outside.*")
            && status[0].matches("(?s).*\ntenant\tstopped on conflict\t.*view tenant_7\\.across depends on table other\\.outside.*");
      });
    } catch (AssertionError e) {
      throw new AssertionError("gitversion status printed:\n" + status[0], e);
    }
    assertTrue(!has(appOnly, "app.across") && !has(tenant, "tenant_7.across"), "nothing applied across the boundary");
    Await.until("r1 (everything) has the view", WAIT, () -> has(r1, "app.across"));
    assertTrue(status[0].contains("schemas app; mapped app->tenant_7"), status[0]);
  }
}
