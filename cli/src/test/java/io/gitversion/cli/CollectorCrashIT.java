package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.EmbeddedKafka;
import io.gitversion.embedded.EmbeddedPostgres;
import io.gitversion.schemas.DdlEvent;
import io.gitversion.schemas.DdlRecord;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * Nothing lost (DESIGN.md invariant 3) at the collector: a collector process killed with SIGKILL in the middle of a
 * burst of 2,000 DDL statements, and DDL committed while it is down, all reach Kafka after a restart; read by event
 * id (as the processor does), each statement is there exactly once.
 */
class CollectorCrashIT {
  static final int STATEMENTS = 2_000;

  @Test
  void aCollectorKilledDuringABurstLosesNothingAndDuplicatesShareTheirEventId() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedPostgres server = EmbeddedPostgres.start("crash-source")) {
      String source = server.createDatabase("burst");
      assertEquals(0, GitversionProcess.run("install", source).exitCode());
      List<String> collector = List.of("collector", "--kafka.bootstrap.servers=" + kafka.bootstrapServers(), "--source.url=" + source,
          "--kafka.topic.partitions=1");

      Process first = StagesIT.start(collector, List.of());
      AtomicInteger done = new AtomicInteger();
      CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
        try (Connection c = Database.connect(PgUrl.parse(source)); Statement st = c.createStatement()) {
          for (int i = 0; i < STATEMENTS; i++) {
            // each statement its own transaction; every tenth one creates, the others alter
            st.execute(i % 10 == 0 ? "CREATE TABLE burst_" + i / 10 + " (n int)"
                : "ALTER TABLE burst_" + i / 10 + " ADD COLUMN c" + i % 10 + " int");
            done.incrementAndGet();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      while (done.get() < STATEMENTS / 4) {
        Thread.sleep(5);
      }
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no offset commit
      assertTrue(first.waitFor(30, TimeUnit.SECONDS));
      int atKill = done.get();
      burst.get(5, TimeUnit.MINUTES); // the rest is committed while no collector runs
      assertTrue(atKill < STATEMENTS, "killed during the burst (" + atKill + " statements done)");

      Process second = StagesIT.start(collector, List.of());
      try {
        Map<String, DdlEvent> byEventId = new LinkedHashMap<>();
        int delivered = consumeUntil(kafka, byEventId, STATEMENTS + 1, Duration.ofMinutes(3));
        Map<String, Integer> perStatement = new HashMap<>();
        byEventId.values().stream().flatMap(e -> e.getRecords().stream())
            .filter(r -> r.getName().startsWith("burst_") && r.getKind().equals("table"))
            .map(DdlRecord::getStatement)
            .forEach(s -> perStatement.merge(s, 1, Integer::sum));
        assertEquals(STATEMENTS, perStatement.size(), "every statement arrived");
        assertTrue(perStatement.values().stream().allMatch(n -> n == 1), "each statement once after removing duplicates by event id");
        assertTrue(delivered >= byEventId.size(), "deliveries " + delivered + ", distinct events " + byEventId.size());
        assertEquals(1 + STATEMENTS, byEventId.size(), "one event per source transaction (and the baseline)");
      } finally {
        second.destroy();
        assertTrue(second.waitFor(60, TimeUnit.SECONDS));
      }
    }
  }

  /** Reads ddl-events from the start, keyed by event id, until {@code distinct} events are in; returns all deliveries. */
  private static int consumeUntil(EmbeddedKafka kafka, Map<String, DdlEvent> byEventId, int distinct, Duration timeout) {
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "crash-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    int delivered = 0;
    try (KafkaConsumer<String, DdlEvent> consumer = new KafkaConsumer<>(props,
        Topics.DDL_EVENTS.keySerde().deserializer(), Topics.DDL_EVENTS.valueSerde().deserializer())) {
      consumer.subscribe(List.of(Topics.DDL_EVENTS.name()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (byEventId.size() < distinct && System.nanoTime() < deadline) {
        for (var r : consumer.poll(Duration.ofMillis(500))) {
          delivered++;
          byEventId.putIfAbsent(r.value().getEventId(), r.value());
        }
      }
    }
    return delivered;
  }
}
