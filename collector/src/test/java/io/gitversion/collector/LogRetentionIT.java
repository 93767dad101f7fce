package io.gitversion.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.KafkaBroker;
import io.gitversion.embedded.testing.PostgresServer;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.schemas.DdlEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The source's log keeps only what is not yet published or younger than the retention; tags stay. */
class LogRetentionIT {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();
  @RegisterExtension static final PostgresServer pg = PostgresServer.named("retention");

  @Test
  void publishedRowsOlderThanTheRetentionAreDeletedAndNothingIsLost() throws Exception {
    TestDatabase db = pg.database("app");
    PgUrl source = PgUrl.parse(db.url());
    CollectorConfig config = TestCollectors.config(kafka, source, CollectorConfig.LOG_RETENTION_MS_CONFIG, "1500");
    SourceInstaller.install(source, config.slotName());
    try (Collector collector = new Collector(config).start(Duration.ofSeconds(60))) {
      db.exec("CREATE TABLE t1 (id int PRIMARY KEY)", "ALTER TABLE t1 ADD COLUMN note text", "SELECT gitversion.tag('v1')");
      String first = db.value("SELECT max(id) FROM gitversion.ddl_log");

      Await.until("the log's published rows deleted", Duration.ofSeconds(30),
          () -> db.value("SELECT count(*) FROM gitversion.ddl_log WHERE kind <> 'tag'").equals("0"));
      assertEquals("1", db.value("SELECT count(*) FROM gitversion.ddl_log WHERE kind = 'tag' AND object_name = 'v1'"), "tags stay");

      db.exec("CREATE TABLE t2 (id int)");
      assertTrue(Long.parseLong(db.value("SELECT max(id) FROM gitversion.ddl_log")) > Long.parseLong(first),
          "new rows after pruning: what was not published yet stays");
      List<DdlEvent> events = kafka.read(Topics.DDL_EVENTS.name(), Topics.DDL_EVENTS.valueSerde().deserializer(),
          read -> read.stream().anyMatch(e -> e.getRecords().stream().anyMatch(r -> r.getName().equals("t2"))),
          Duration.ofSeconds(30));
      List<String> captured = events.stream().flatMap(e -> e.getRecords().stream())
          .map(r -> r.getCommandTag() + " " + r.getName()).toList();
      assertTrue(captured.contains("CREATE TABLE t1"), captured.toString());
      assertTrue(captured.contains("ALTER TABLE t1"), captured.toString());
      assertTrue(captured.contains("TAG v1"), captured.toString());
      assertTrue(captured.contains("CREATE TABLE t2"), captured.toString());
    }
  }
}
