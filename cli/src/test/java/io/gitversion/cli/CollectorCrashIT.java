package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.KafkaBroker;
import io.gitversion.embedded.testing.PostgresServer;
import io.gitversion.embedded.testing.TestDatabase;
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
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing lost (DESIGN.md invariant 3) at the collector: a collector process killed with SIGKILL in the middle of a
 * burst of 2,000 DDL statements, and DDL committed while it is down, all reach Kafka after a restart; read by event
 * id (as the processor does), each statement is there exactly once.
 */
class CollectorCrashIT {
  static final int STATEMENTS = 2_000;
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();
  @RegisterExtension static final PostgresServer server = PostgresServer.named("crash-source");

  @Test
  void aCollectorKilledDuringABurstLosesNothingAndDuplicatesShareTheirEventId() throws Exception {
    TestDatabase db = server.database("burst");
    String source = db.url();
    assertEquals(0, GitversionProcess.run("install", source).exitCode());
    List<String> collector = List.of("collector", "--kafka.bootstrap.servers=" + kafka.bootstrapServers(), "--source.url=" + source,
        "--kafka.topic.partitions=1");

    Process first = StagesIT.start(collector, List.of());
    AtomicInteger done = new AtomicInteger();
    CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
      try (Connection c = db.connect(); Statement st = c.createStatement()) {
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
    Await.until("a quarter of the burst committed", Duration.ofMinutes(2), () -> done.get() >= STATEMENTS / 4);
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no offset commit
    assertTrue(first.waitFor(30, TimeUnit.SECONDS));
    int atKill = done.get();
    burst.get(5, TimeUnit.MINUTES); // the rest is committed while no collector runs
    assertTrue(atKill < STATEMENTS, "killed during the burst (" + atKill + " statements done)");

    Process second = StagesIT.start(collector, List.of());
    try {
      List<DdlEvent> deliveries = kafka.read(Topics.DDL_EVENTS.name(), Topics.DDL_EVENTS.valueSerde().deserializer(),
          read -> read.stream().map(DdlEvent::getEventId).distinct().count() >= STATEMENTS + 1, Duration.ofMinutes(3));
      Map<String, DdlEvent> byEventId = new LinkedHashMap<>();
      deliveries.forEach(e -> byEventId.putIfAbsent(e.getEventId(), e));
      int delivered = deliveries.size();
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
