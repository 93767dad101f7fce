package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * History as a service, on a real pipeline: tags from the CLI and from SQL, as-of by tag, commit and time, log and
 * show, the schema at a tag loaded into an empty database (its state hash is the tag's), the migration between two
 * tags (a column renamed between them stays renamed: a row survives), and the query API's errors.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HistoryIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Instant beforeV2;

  static Cli.Result gitversion(String... args) {
    return new Cli(pipeline.dashboardUrl()).run(args);
  }

  static Cli.Result ok(String... args) {
    return new Cli(pipeline.dashboardUrl()).ok(args);
  }

  static HttpResponse<String> api(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.dashboardUrl()).resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(String path) throws Exception {
    HttpResponse<String> response = api(path);
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return JSON.readTree(response.body());
  }

  private static TestDatabase db(PgUrl url) {
    return TestDatabase.at(url.toUriWithPassword());
  }

  /** Waits until the history has the source's last commit that changed {@code object}. */
  static void awaitHistory(String object, int versions) {
    Await.until(object + " has " + versions + " versions in the history", WAIT, () -> {
      try {
        HttpResponse<String> r = api("api/sources/app/objects/" + object.replace(" ", "%20") + "/history");
        return r.statusCode() == 200 && JSON.readTree(r.body()).size() >= versions;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static String stateHash(PgUrl url) throws Exception {
    try (var c = db(url).connect()) {
      return new Inspector(c).inspect(Set.of()).stateHash();
    }
  }

  @Test
  @Order(1)
  void aTagFromTheCliNamesTheCommitAndTheStateHashAndDoesNotMove() throws Exception {
    db(pipeline.source()).exec("CREATE TABLE customers (id int PRIMARY KEY, mail text)");
    awaitHistory("public.customers", 1);
    Cli.Result tagged = ok("tag", "v1", "-m", "first release");
    assertTrue(tagged.out().startsWith("tagged v1: app commit "), tagged.out());
    JsonNode tag = json("api/sources/app/tags/v1");
    assertEquals(stateHash(pipeline.source()), tag.path("stateHash").asText(), "the tag's state hash is the source's then");
    assertEquals("first release", tag.path("message").asText());
    beforeV2 = Instant.now();

    db(pipeline.source()).exec("CREATE TABLE orders (id int PRIMARY KEY)");
    awaitHistory("public.orders", 1);
    Cli.Result moved = gitversion("tag", "v1");
    assertEquals(2, moved.code(), "a tag does not move: " + moved.out() + moved.err());
    assertTrue(moved.err().contains("tags do not move"), moved.err());
    ok("tag", "v1", "--force");
    assertEquals(json("api/sources/app/commits?limit=1").path("commits").get(0).path("id").asText(),
        json("api/sources/app/tags/v1").path("commit").asText(), "--force moves it");
    ok("tag", "v1", "--force", "--at", tag.path("commit").asText());
  }

  @Test
  @Order(2)
  void aTagFromSqlLandsBetweenTheTransactionsAroundIt() throws Exception {
    db(pipeline.source()).inTransaction("ALTER TABLE customers RENAME COLUMN mail TO email",
        "SELECT gitversion.tag('v2', 'mail renamed')");
    db(pipeline.source()).exec("ALTER TABLE customers ADD COLUMN after_v2 int");
    awaitHistory("public.customers", 3);
    Await.until("tag v2 is recorded", WAIT, () -> {
      try {
        return api("api/sources/app/tags/v2").statusCode() == 200;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    JsonNode v2 = json("api/sources/app/tags/v2");
    JsonNode shown = json("api/sources/app/commits/v2");
    assertTrue(shown.path("statements").toString().contains("RENAME COLUMN mail TO email"), shown.toString());
    assertEquals("mail renamed", v2.path("message").asText());
    assertEquals(2, json("api/sources/app/objects/public.customers?at=v2").path("version").asInt(), "v2 is before the column added after it");

    Cli.Result show = ok("show", "v2");
    assertTrue(show.out().contains("alter table public.customers") && show.out().contains("Forward SQL:")
        && show.out().contains("RENAME COLUMN \"mail\" TO \"email\""), show.out());
    Cli.Result log = ok("log", "--object", "public.customers");
    assertTrue(log.out().contains("Tags:   v2") && log.out().contains("Author: "), log.out());
    Cli.Result history = ok("history", "public.customers");
    assertTrue(history.out().contains("v1  1.0.0  create") && history.out().contains("v3  "), history.out());
    Cli.Result atV1 = ok("version", "public.customers", "--at", "v1");
    assertTrue(atV1.out().contains("\"mail\" text") && !atV1.out().contains("email"), atV1.out());
    Cli.Result atCommit = ok("version", "public.customers", "--at", json("api/sources/app/tags/v1").path("commit").asText().substring(0, 12));
    assertTrue(atCommit.out().contains("\"mail\" text"), "as of a commit (a prefix of its id): " + atCommit.out());
    Cli.Result atTime = ok("version", "public.customers", "--at", beforeV2.toString());
    assertTrue(atTime.out().contains("\"mail\" text"), atTime.out());
  }

  @Test
  @Order(3)
  void theSchemaAtATagLoadsWithItsHashAndTheMigrationToAnotherKeepsRenamesAndRows() throws Exception {
    PgUrl server = pipeline.remotes().get("r1");
    db(server).exec("CREATE DATABASE at_v1 TEMPLATE template0");
    PgUrl empty = PgUrl.parse(server.toUriWithPassword().replaceFirst("/[^/?]+(\\?|$)", "/at_v1$1"));
    Cli.Result schema = ok("schema", "--at", "v1");
    db(empty).exec(schema.out());
    assertEquals(json("api/sources/app/tags/v1").path("stateHash").asText(), stateHash(empty), "loaded: the state hash recorded at v1");

    db(empty).exec("INSERT INTO customers (id, mail) VALUES (7, 'a@b')");
    Cli.Result diff = ok("diff", "--source", "app", "--from-tag", "v1", "--to-tag", "v2");
    assertTrue(diff.out().contains("RENAME COLUMN \"mail\" TO \"email\""), "a rename between the tags is a rename: " + diff.out());
    db(empty).exec(diff.out());
    assertEquals(json("api/sources/app/tags/v2").path("stateHash").asText(), stateHash(empty), "migrated: v2's state hash");
    assertEquals("a@b", db(empty).value("SELECT email FROM customers WHERE id = 7"), "the row survived the rename");
  }

  @Test
  @Order(4)
  void theApiAnswersUnknownsWith404AndBadPointsWith400AndDocumentsItself() throws Exception {
    assertEquals(404, api("api/sources/nope/commits").statusCode());
    assertEquals(404, api("api/sources/app/objects/public.nope").statusCode());
    assertEquals(404, api("api/sources/app/tags/nope").statusCode());
    HttpResponse<String> bad = api("api/sources/app/objects?at=not-a-point");
    assertEquals(400, bad.statusCode());
    assertTrue(JSON.readTree(bad.body()).path("error").asText().contains("neither a tag, nor a commit, nor a time"), bad.body());
    assertEquals(json("api/sources/app").path("stateHash").asText(), json("api/sources/app/states?limit=1").get(0).path("stateHash").asText(),
        "the state hash kept after the last commit is the one of the objects at it");
    JsonNode changes = json("api/changes");
    assertEquals("customers", changes.get(0).path("name").asText(), "the latest changes, newest first: " + changes.get(0));
    JsonNode openapi = json("api/openapi.json");
    assertTrue(openapi.path("paths").has("/api/sources/{db}/migration"), "the OpenAPI document lists the resources");
    for (java.util.Iterator<String> it = openapi.path("paths").fieldNames(); it.hasNext(); ) {
      String path = it.next();
      if (path.equals("/api/events") || !openapi.path("paths").path(path).has("get")) {
        continue; // an event stream does not end; a POST changes things
      }
      String concrete = path.replace("{db}", "app").replace("{object}", "public.customers").replace("{commit}", "v2").replace("{tag}", "v2");
      if (path.endsWith("/migration")) {
        concrete += "?from=v1&to=v2";
      }
      assertEquals(200, api(concrete.substring(1)).statusCode(), "the document's " + path + " is served");
    }
    Cli.Result unknown = gitversion("show", "deadbeefdeadbeef");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("unknown commit or tag"), unknown.err());
  }
}
