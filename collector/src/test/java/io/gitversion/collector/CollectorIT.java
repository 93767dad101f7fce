package io.gitversion.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.ddl.Canonical;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.catalog.model.Relation;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.EmbeddedKafka;
import io.gitversion.embedded.EmbeddedPostgres;
import io.gitversion.schemas.DdlEvent;
import io.gitversion.schemas.DdlRecord;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CollectorIT {
  static EmbeddedKafka kafka;
  static EmbeddedPostgres pg;
  static PgUrl source;
  static Collector collector;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    pg = EmbeddedPostgres.start("source");
    source = PgUrl.parse(pg.createDatabase("app"));
    CollectorConfig config = new CollectorConfig(Map.of(
        KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        KafkaSettings.TOPIC_PARTITIONS_CONFIG, "1",
        CollectorConfig.SOURCE_URL_CONFIG, source.toUriWithPassword()));
    SourceInstaller.install(source, config.slotName());
    collector = new Collector(config).start(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (collector != null) collector.close();
    if (pg != null) pg.close();
    if (kafka != null) kafka.close();
  }

  @Test
  void transactionIsPublishedAsOneEventWithItsStatementsInOrderAndInspectableHashes() throws Exception {
    try (Connection c = Database.connect(source)) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE orders (id bigint NOT NULL, note text DEFAULT 'none')");
        st.execute("ALTER TABLE orders ADD COLUMN total numeric(12,2)");
        st.execute("ALTER TABLE orders RENAME COLUMN note TO remark");
      }
      c.commit();
      // rolled back DDL produces nothing
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE never_committed (x int)");
      }
      c.rollback();
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE second (x int)");
      }
      c.commit();
    }

    List<DdlEvent> events = consume(2, Duration.ofSeconds(30));
    assertEquals(2, events.size(), "one event per committed transaction: " + events);
    DdlEvent first = events.get(0);
    assertEquals("app", first.getDatabase());
    List<String> tags = first.getRecords().stream().map(DdlRecord::getCommandTag).toList();
    assertEquals(List.of("CREATE TABLE", "ALTER TABLE", "ALTER TABLE"), tags);
    List<Long> oids = first.getRecords().stream().map(DdlRecord::getOid).distinct().toList();
    assertEquals(1, oids.size(), "every statement touched the same table identity");
    assertEquals("second", events.get(1).getRecords().get(0).getName());

    DdlRecord last = first.getRecords().get(2);
    try (Connection c = Database.connect(source)) {
      Relation live = new Inspector(c).tables().stream().filter(t -> t.name().equals("orders")).findFirst().orElseThrow();
      assertEquals(Canonical.hash(Canonical.ddl(live)), last.getHash(), "captured hash equals the inspected hash");
    }
    assertTrue(last.getDdl().contains("\"remark\" text DEFAULT 'none'::text"), last.getDdl());
  }

  @Test
  void inspectingTheSourceAndTemporaryObjectsAreNotCaptured() throws Exception {
    try (Connection c = Database.connect(source); Statement st = c.createStatement()) {
      new Inspector(c).tables(); // creates its snapshot functions in pg_temp
      st.execute("CREATE TEMPORARY TABLE scratch (x int)");
      st.execute("CREATE TABLE marker_after_inspection (x int)");
    }
    List<DdlEvent> events = consume(10, Duration.ofSeconds(10));
    DdlEvent last = events.get(events.size() - 1);
    assertEquals(List.of("marker_after_inspection"), last.getRecords().stream().map(DdlRecord::getName).toList());
    assertTrue(events.stream().flatMap(e -> e.getRecords().stream()).noneMatch(r -> r.getKind().equals("function")
        || r.getName().equals("scratch")), "no temporary object was captured: " + events);
  }

  private static List<DdlEvent> consume(int expected, Duration timeout) {
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<DdlEvent> events = new ArrayList<>();
    try (KafkaConsumer<String, DdlEvent> consumer = new KafkaConsumer<>(props,
        Topics.DDL_EVENTS.keySerde().deserializer(), Topics.DDL_EVENTS.valueSerde().deserializer())) {
      consumer.subscribe(List.of(Topics.DDL_EVENTS.name()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (events.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(r.value()));
      }
    }
    return events;
  }
}
