package io.gitversion.syncer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.EmbeddedKafka;
import io.gitversion.embedded.EmbeddedPostgres;
import io.gitversion.schemas.Author;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.SyncResult;
import io.gitversion.syncer.internals.RemoteWorker;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyncerIT {
  static EmbeddedKafka kafka;
  static EmbeddedPostgres pg;
  static KafkaProducer<String, Commit> producer;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start();
    pg = EmbeddedPostgres.start("remotes");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      Topics.createAll(admin, 1, (short) 1);
    }
    producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
        Topics.COMMITS.keySerde().serializer(), Topics.COMMITS.valueSerde().serializer());
  }

  @AfterAll
  static void stop() {
    if (producer != null) producer.close();
    if (pg != null) pg.close();
    if (kafka != null) kafka.close();
  }

  /** A commit of source {@code source} whose one change runs {@code sql}. */
  static Commit commit(String source, String id, String parent, String... sql) {
    Change change = Change.newBuilder().setCommitId(id).setDatabase(source).setPosition(0).setObjectKey("table:" + id)
        .setKind("table").setAction("create").setForwardSql(List.of(sql)).build();
    return Commit.newBuilder().setId(id).setParent(parent).setDatabase(source).setEventId(source + ":" + id).setTxId(1)
        .setAuthor(Author.newBuilder().setRole("alice").build()).setCommittedAt(Instant.now()).setStatements(List.of(sql))
        .setChanges(List.of(change)).build();
  }

  static void send(Commit commit) throws Exception {
    producer.send(new ProducerRecord<>(Topics.COMMITS.name(), commit.getDatabase(), commit)).get();
  }

  static Syncer syncer(String source, String remoteSpec, String strategy, String groupPrefix) {
    return new Syncer(new SyncerConfig(Map.of(
        KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        SyncerConfig.REMOTES_CONFIG, remoteSpec,
        SyncerConfig.STRATEGY_CONFIG, strategy,
        SyncerConfig.GROUP_PREFIX_CONFIG, groupPrefix,
        SyncerConfig.SOURCES_CONFIG, source,
        SyncerConfig.RETRY_BACKOFF_MS_CONFIG, "100"))).start();
  }

  static long count(PgUrl url, String sql) throws SQLException {
    try (Connection c = Database.connect(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static boolean tableExists(PgUrl url, String table) throws SQLException {
    return count(url, "SELECT count(*) FROM pg_class WHERE relname = '" + table + "' AND relkind = 'r'") == 1;
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  static List<SyncResult> results(String remote) {
    List<SyncResult> results = new ArrayList<>();
    try (KafkaConsumer<String, SyncResult> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "results-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        Topics.SYNC_RESULTS.keySerde().deserializer(), Topics.SYNC_RESULTS.valueSerde().deserializer())) {
      consumer.subscribe(List.of(Topics.SYNC_RESULTS.name()));
      for (int i = 0; i < 10; i++) {
        consumer.poll(Duration.ofMillis(300)).forEach(r -> {
          if (r.key().equals(remote)) results.add(r.value());
        });
      }
    }
    return results;
  }

  static BooleanSupplier quietly(SqlCheck check) {
    return () -> {
      try {
        return check.test();
      } catch (SQLException e) {
        return false;
      }
    };
  }

  interface SqlCheck {
    boolean test() throws SQLException;
  }

  @Test
  void redeliveredCommitIsAppliedOnceThanksToTheLedger() throws Exception {
    PgUrl remote = PgUrl.parse(pg.createDatabase("once"));
    send(commit("src_once", "c1", null, "CREATE TABLE once_t (id int)"));
    try (Syncer first = syncer("src_once", "once=" + remote.toUriWithPassword(), "fail", "g1.")) {
      await("first apply", quietly(() -> tableExists(remote, "once_t")));
    }
    // a second consumer group reads the same commit again, as after a lost offset commit
    try (Syncer second = syncer("src_once", "once=" + remote.toUriWithPassword(), "fail", "g2.")) {
      await("duplicate recognised", () -> results("once").stream().anyMatch(r -> r.getStatus().equals("duplicate")));
      assertEquals(RemoteWorker.State.IN_SYNC, second.status().get("once"));
    }
    assertEquals(1, count(remote, "SELECT count(*) FROM gitversion_sync.applied WHERE source = 'src_once'"));
    assertEquals(List.of("applied", "duplicate"), results("once").stream().map(SyncResult::getStatus).toList());
  }

  @Test
  void failingCommitStopsTheRemoteThereAndIsRecorded() throws Exception {
    PgUrl remote = PgUrl.parse(pg.createDatabase("strict"));
    send(commit("src_strict", "f1", null, "ALTER TABLE missing_table ADD COLUMN x int"));
    send(commit("src_strict", "f2", "f1", "CREATE TABLE after_failure (id int)"));
    try (Syncer syncer = syncer("src_strict", "strict=" + remote.toUriWithPassword(), "fail", "strict.")) {
      await("stopped", () -> syncer.status().get("strict") == RemoteWorker.State.STOPPED_ON_FAILURE);
    }
    List<SyncResult> results = results("strict");
    assertEquals(1, results.size(), results.toString());
    assertEquals("failed", results.get(0).getStatus());
    assertTrue(results.get(0).getMessage().contains("missing_table"), results.get(0).getMessage());
    assertTrue(!tableExists(remote, "after_failure"), "nothing after the failed commit is applied");
  }

  @Test
  void skipStrategyRecordsTheFailureAndGoesOn() throws Exception {
    PgUrl remote = PgUrl.parse(pg.createDatabase("lenient"));
    send(commit("src_lenient", "s1", null, "CREATE TABLE half (id int)", "ALTER TABLE nope ADD COLUMN x int"));
    send(commit("src_lenient", "s2", "s1", "CREATE TABLE after_skip (id int)"));
    try (Syncer syncer = syncer("src_lenient", "lenient=" + remote.toUriWithPassword(), "skip", "lenient.")) {
      await("second commit", quietly(() -> tableExists(remote, "after_skip")));
    }
    assertEquals(List.of("skipped", "applied"), results("lenient").stream().map(SyncResult::getStatus).toList());
    assertTrue(!tableExists(remote, "half"), "a failed commit is rolled back whole: one source transaction, one remote transaction");
  }
}
