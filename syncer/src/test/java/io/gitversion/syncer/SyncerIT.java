package io.gitversion.syncer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.contract.KafkaSettings;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.KafkaBroker;
import io.gitversion.embedded.testing.PostgresServer;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.schemas.Author;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.SyncResult;
import io.gitversion.syncer.internals.RemoteWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SyncerIT {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();
  @RegisterExtension static final PostgresServer pg = PostgresServer.named("remotes");
  static KafkaProducer<String, Commit> producer;

  @BeforeAll
  static void start() {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      Topics.createAll(admin, kafka.bootstrapServers(), 1, (short) 1);
    }
    producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
        Topics.COMMITS.keySerde().serializer(), Topics.COMMITS.valueSerde().serializer());
  }

  @AfterAll
  static void stop() {
    if (producer != null) producer.close();
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

  static boolean tableExists(TestDatabase remote, String table) {
    return "1".equals(remote.value("SELECT count(*) FROM pg_class WHERE relname = '" + table + "' AND relkind = 'r'"));
  }

  static void await(String what, java.util.function.BooleanSupplier condition) {
    Await.until(what, Duration.ofSeconds(30), condition);
  }

  /** The results recorded so far for one remote. */
  static List<SyncResult> results(String remote) {
    return kafka.readToEnd(Topics.SYNC_RESULTS.name(), Topics.SYNC_RESULTS.valueSerde().deserializer()).stream()
        .filter(r -> r.key().equals(remote)).map(r -> r.value()).toList();
  }

  @Test
  void redeliveredCommitIsAppliedOnceThanksToTheLedger() throws Exception {
    TestDatabase remote = pg.database("once");
    send(commit("src_once", "c1", null, "CREATE TABLE once_t (id int)"));
    try (Syncer first = syncer("src_once", "once=" + remote.url(), "fail", "g1.")) {
      await("first apply", () -> tableExists(remote, "once_t"));
    }
    // a second consumer group reads the same commit again, as after a lost offset commit
    try (Syncer second = syncer("src_once", "once=" + remote.url(), "fail", "g2.")) {
      await("duplicate recognised", () -> results("once").stream().anyMatch(r -> r.getStatus().equals("duplicate")));
      assertEquals(RemoteWorker.State.IN_SYNC, second.status().get("once"));
    }
    assertEquals("1", remote.value("SELECT count(*) FROM gitversion_sync.applied WHERE source = 'src_once'"));
    assertEquals(List.of("applied", "duplicate"), results("once").stream().map(SyncResult::getStatus).toList());
  }

  @Test
  void failingCommitStopsTheRemoteThereAndIsRecorded() throws Exception {
    TestDatabase remote = pg.database("strict");
    send(commit("src_strict", "f1", null, "ALTER TABLE missing_table ADD COLUMN x int"));
    send(commit("src_strict", "f2", "f1", "CREATE TABLE after_failure (id int)"));
    try (Syncer syncer = syncer("src_strict", "strict=" + remote.url(), "fail", "strict.")) {
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
    TestDatabase remote = pg.database("lenient");
    send(commit("src_lenient", "s1", null, "CREATE TABLE half (id int)", "ALTER TABLE nope ADD COLUMN x int"));
    send(commit("src_lenient", "s2", "s1", "CREATE TABLE after_skip (id int)"));
    try (Syncer syncer = syncer("src_lenient", "lenient=" + remote.url(), "skip", "lenient.")) {
      await("second commit", () -> tableExists(remote, "after_skip"));
    }
    assertEquals(List.of("skipped", "applied"), results("lenient").stream().map(SyncResult::getStatus).toList());
    assertTrue(!tableExists(remote, "half"), "a failed commit is rolled back whole: one source transaction, one remote transaction");
  }
}
