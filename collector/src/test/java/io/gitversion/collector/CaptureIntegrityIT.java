package io.gitversion.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.KafkaBroker;
import io.gitversion.embedded.testing.PostgresServer;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.schemas.DdlEvent;
import java.sql.Connection;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Capture that cannot be bypassed silently: an ordinary session that switches capture off is captured all the same
 * (and warned); capture removed by the user's own DDL is noticed within a check, and {@code gitversion install}
 * restores it while the collector runs, with what changed meanwhile recorded as drift.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaptureIntegrityIT {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();
  @RegisterExtension static final PostgresServer pg = PostgresServer.named("integrity");
  static TestDatabase db;
  static PgUrl source;
  static Collector collector;
  static CollectorConfig config;

  @BeforeAll
  static void start() throws Exception {
    db = pg.database("app");
    source = PgUrl.parse(db.url());
    config = new CollectorConfig(Map.of(
        KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        KafkaSettings.TOPIC_PARTITIONS_CONFIG, "1",
        CollectorConfig.CAPTURE_CHECK_MS_CONFIG, "500",
        CollectorConfig.SOURCE_URL_CONFIG, source.toUriWithPassword()));
    SourceInstaller.install(source, config.slotName());
    collector = new Collector(config).start(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (collector != null) collector.close();
  }

  private static List<DdlEvent> until(String table, String action) {
    return kafka.read(Topics.DDL_EVENTS.name(), Topics.DDL_EVENTS.valueSerde().deserializer(),
        events -> events.stream().anyMatch(e -> e.getRecords().stream().anyMatch(r -> r.getName().equals(table) && r.getAction().equals(action))),
        Duration.ofSeconds(30));
  }

  @Test
  @Order(1)
  void anOrdinarySessionThatSwitchesCaptureOffIsCapturedAllTheSameAndWarned() throws Exception {
    SQLWarning warning;
    try (Connection c = Database.connect(source); Statement st = c.createStatement()) {
      st.execute("SET gitversion.capture = off"); // a superuser, but not a member of gitversion_syncer
      st.execute("CREATE TABLE behind_the_back (x int)");
      warning = st.getWarnings();
    }
    assertNotNull(warning, "the session is told");
    assertTrue(warning.getMessage().contains("only members of role gitversion_syncer"), warning.getMessage());
    assertTrue(until("behind_the_back", "create").stream().anyMatch(e -> e.getRecords().stream().anyMatch(r -> r.getName().equals("behind_the_back"))),
        "recorded and published like any change");
  }

  @Test
  @Order(2)
  void captureRemovedByTheUsersDdlIsNoticedAndInstallRestoresItWhileTheCollectorRuns() throws Exception {
    assertEquals(List.of(), collector.captureProblems());
    db.exec("DROP EXTENSION plpgsql CASCADE");
    Await.until("the collector notices", Duration.ofSeconds(10), () -> !collector.captureProblems().isEmpty());
    assertEquals(List.of("event trigger gitversion_ddl_command_end is missing", "event trigger gitversion_sql_drop is missing"),
        collector.captureProblems());
    db.exec("CREATE TABLE while_capture_was_gone (x int)");

    SourceInstaller.install(source, config.slotName());
    Await.until("the collector sees capture back", Duration.ofSeconds(10), () -> collector.captureProblems().isEmpty());
    List<DdlEvent> events = until("while_capture_was_gone", "drift");
    assertTrue(events.stream().anyMatch(e -> e.getRecords().stream()
        .anyMatch(r -> r.getName().equals("while_capture_was_gone") && r.getAction().equals("drift"))), "reconciled at once, as drift");
    db.exec("CREATE TABLE after_restore (x int)");
    until("after_restore", "create"); // captured again
  }
}
