package io.gitversion.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.KafkaBroker;
import io.gitversion.embedded.testing.PostgresServer;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.schemas.DdlEvent;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One source transaction is one message, however large: the baseline of a database that already holds thousands of
 * tables (every object's definition, several MB) and a migration that creates a thousand tables at once reach Kafka
 * whole (they exceeded the 1 MB a Kafka message may have by default, and stopped the collector).
 */
class LargeTransactionIT {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();
  @RegisterExtension static final PostgresServer pg = PostgresServer.named("large");

  @Test
  void aBaselineOfThousandsOfTablesAndAThousandTablesInOneTransactionArePublishedWhole() throws Exception {
    TestDatabase db = pg.database("big");
    for (int part = 0; part < 6; part++) {
      createTables(db, "existing_" + part + "_", 500); // a transaction's locks are bounded (max_locks_per_transaction)
    }
    PgUrl source = PgUrl.parse(db.url());
    CollectorConfig config = TestCollectors.config(kafka, source);
    SourceInstaller.install(source, config.slotName());
    try (Collector collector = new Collector(config).start(Duration.ofSeconds(60))) {
      createTables(db, "migrated_", 1000);
      List<DdlEvent> events = kafka.read(Topics.DDL_EVENTS.name(), Topics.DDL_EVENTS.valueSerde().deserializer(),
          read -> read.size() >= 2, Duration.ofSeconds(120));
      assertEquals(6001, events.get(0).getRecords().size(), "the baseline: every table and its key, and schema public");
      assertEquals(2000, events.get(1).getRecords().size(), "the migration: one event");
      assertEquals(Collector.State.RUNNING, collector.state());
    }
  }

  private static void createTables(TestDatabase db, String prefix, int tables) throws Exception {
    try (Connection c = Database.connect(PgUrl.parse(db.url())); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      for (int i = 0; i < tables; i++) {
        st.addBatch("CREATE TABLE " + prefix + i + " (id bigint PRIMARY KEY, name text NOT NULL, note text DEFAULT 'none')");
      }
      st.executeBatch();
      c.commit();
    }
  }
}
