package io.gitversion.processor.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.ddl.TablePlanner;
import io.gitversion.catalog.model.Sha256;
import io.gitversion.catalog.model.Column;
import io.gitversion.catalog.model.Relation;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.Author;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.DdlEvent;
import io.gitversion.schemas.DdlRecord;
import io.gitversion.schemas.ObjectVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VersioningTopologyTest {
  TopologyTestDriver driver;
  TestInputTopic<String, DdlEvent> events;
  TestOutputTopic<String, Commit> commits;
  TestOutputTopic<String, Change> changes;
  TestOutputTopic<String, ObjectVersion> versions;
  long lsn = 100;

  @BeforeEach
  void setUp() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTER.name());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    driver = new TopologyTestDriver(VersioningTopology.build(), props);
    events = driver.createInputTopic(Topics.DDL_EVENTS.name(), Topics.DDL_EVENTS.keySerde().serializer(), Topics.DDL_EVENTS.valueSerde().serializer());
    commits = driver.createOutputTopic(Topics.COMMITS.name(), Topics.COMMITS.keySerde().deserializer(), Topics.COMMITS.valueSerde().deserializer());
    changes = driver.createOutputTopic(Topics.CHANGES.name(), Topics.CHANGES.keySerde().deserializer(), Topics.CHANGES.valueSerde().deserializer());
    versions = driver.createOutputTopic(Topics.OBJECT_VERSIONS.name(), Topics.OBJECT_VERSIONS.keySerde().deserializer(),
        Topics.OBJECT_VERSIONS.valueSerde().deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  static Column col(int num, String name, String type) {
    // the definition as snapshot.sql renders a plain column
    return new Column(num, name, type, false, null, null, null, null, null, null, "\"" + name + "\" " + type);
  }

  /** A table's record as the source writes it: numbered by the source (versioning.sql). */
  static DdlRecord table(String tag, String action, long oid, Relation table, int version, String semver) {
    return DdlRecord.newBuilder(table(tag, action, oid, table)).setVersion(version).setSemver(semver).build();
  }

  /** A table's record without a version, as capture before 0.2 wrote some. */
  static DdlRecord table(String tag, String action, long oid, Relation table) {
    String ddl = TablePlanner.createStatement(table);
    return DdlRecord.newBuilder().setSeq(oid).setCommandTag(tag).setStatement(tag.toLowerCase() + " ...").setKind("table")
        .setSchema$(table.schema()).setName(table.name()).setIdentity(table.schema() + "." + table.name()).setOid(oid)
        .setSubId(0).setAction(action).setSnapshot(Snapshots.json(table)).setCanonical(ddl).setHash(Sha256.of(ddl)).build();
  }

  static DdlRecord drop(long oid, String name, int version, String semver) {
    return DdlRecord.newBuilder().setVersion(version).setSemver(semver).setSeq(oid).setCommandTag("DROP TABLE").setStatement("drop table " + name).setKind("table")
        .setSchema$("public").setName(name).setIdentity("public." + name).setOid(oid).setSubId(0).setAction("drop").build();
  }

  DdlEvent event(String id, DdlRecord... records) {
    lsn += 10;
    return DdlEvent.newBuilder().setEventId("app:" + id).setDatabase("app").setTxId(lsn).setCommitLsn(lsn)
        .setCapturedAt(Instant.ofEpochMilli(1_700_000_000_000L + lsn)).setAuthor(Author.newBuilder().setRole("alice").build())
        .setRecords(List.of(records)).build();
  }

  @Test
  void versionsAnObjectThroughCreateAddColumnAndRename() {
    Relation v1 = new Relation("table", "public", "customers", "p", List.of(col(1, "id", "bigint")));
    Relation v2 = new Relation("table", "public", "customers", "p", List.of(col(1, "id", "bigint"), col(2, "email", "text")));
    Relation v3 = new Relation("table", "public", "clients", "p", List.of(col(1, "id", "bigint"), col(2, "email", "text")));
    events.pipeInput("app", event("1", table("CREATE TABLE", "create", 42, v1, 1, "1.0.0")));
    events.pipeInput("app", event("2", table("ALTER TABLE", "alter", 42, v2, 2, "1.1.0")));
    events.pipeInput("app", event("3", table("ALTER TABLE", "alter", 42, v3, 3, "2.0.0")));

    List<Commit> made = commits.readValuesToList();
    assertEquals(3, made.size());
    assertNull(made.get(0).getParent());
    assertEquals(made.get(0).getId(), made.get(1).getParent(), "commits chain like git");
    assertEquals(made.get(1).getId(), made.get(2).getParent());

    List<Change> all = changes.readValuesToList();
    assertEquals(List.of("create", "alter", "rename"), all.stream().map(Change::getAction).toList());
    assertEquals(List.of("1.0.0", "1.1.0", "2.0.0"), all.stream().map(c -> c.getAfter().getSemver()).toList(),
        "the versions the source numbered");
    assertEquals(List.of(1, 2, 3), all.stream().map(c -> c.getAfter().getVersion()).toList());
    assertEquals(List.of("ALTER TABLE \"public\".\"customers\" RENAME TO \"clients\";"), all.get(2).getForwardSql());
    assertEquals("table:42", all.get(2).getObjectKey(), "identity survives the rename");

    ObjectVersion latest = versions.readKeyValuesToMap().get("app/table:42");
    assertEquals("clients", latest.getName());
    assertEquals(Sha256.of(TablePlanner.createStatement(v3)), latest.getHash());
    assertEquals("alice", latest.getChangedBy());
  }

  @Test
  void historyKeepsEveryVersionAndAnswersAtACommitATagAndATime() {
    Relation v1 = new Relation("table", "public", "customers", "p", List.of(col(1, "id", "bigint")));
    Relation v2 = new Relation("table", "public", "customers", "p", List.of(col(1, "id", "bigint"), col(2, "email", "text")));
    events.pipeInput("app", event("1", table("CREATE TABLE", "create", 42, v1, 1, "1.0.0")));
    events.pipeInput("app", event("2", table("ALTER TABLE", "alter", 42, v2, 2, "1.1.0")));
    List<Commit> made = commits.readValuesToList();
    driver.createInputTopic(Topics.TAGS.name(), Topics.TAGS.keySerde().serializer(), Topics.TAGS.valueSerde().serializer())
        .pipeInput("app/v1", io.gitversion.schemas.Tag.newBuilder().setDatabase("app").setName("v1").setCommitId(made.get(0).getId())
            .setStateHash("h").setCreatedBy("alice").setCreatedAt(Instant.EPOCH).build());

    io.gitversion.processor.history.History history = new io.gitversion.processor.history.History(new io.gitversion.processor.history.History.Stores() {
      @Override
      @SuppressWarnings("unchecked")
      public <V> org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, V> store(String name) {
        return (org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, V>) (Object) driver.getKeyValueStore(name);
      }
    });
    assertEquals(java.util.Map.of("app", 2L), history.sources());
    assertEquals(List.of(made.get(1).getId(), made.get(0).getId()),
        history.log("app", 0, 10, c -> true).stream().map(n -> n.commit().getId()).toList(), "newest first");
    assertEquals(List.of(1, 2), history.versions("app", "table:42").stream().map(ObjectVersion::getVersion).toList());
    assertEquals(1, history.resolve("app", "v1"), "a tag");
    assertEquals(2, history.resolve("app", made.get(1).getId().substring(0, 10)), "a commit prefix");
    assertEquals(1, history.resolve("app", made.get(0).getCommittedAt().toString()), "a time");
    assertEquals(0, history.resolve("app", "2020-01-01"), "before the first commit");
    assertEquals(1, history.objectAt("app", "table:42", history.resolve("app", "v1")).orElseThrow().getVersion());
    assertEquals(java.util.Optional.of("table:42"), history.objectKeyOf("app", "public.customers"));
    assertEquals(1, history.objectsAt("app", 2).size());
    org.junit.jupiter.api.Assertions.assertThrows(io.gitversion.processor.history.History.UnknownPoint.class, () -> history.resolve("app", "nope"));
  }

  @Test
  void aRecordWithoutTheSourcesVersionIsKeptWithVersionZeroAndAProblem() {
    Relation t = new Relation("table", "public", "old_capture", "p", List.of(col(1, "a", "integer")));
    events.pipeInput("app", event("1", table("CREATE TABLE", "create", 77, t)));
    Change change = changes.readValuesToList().get(0);
    assertEquals(0, change.getAfter().getVersion());
    assertEquals("0.0.0", change.getAfter().getSemver());
    assertTrue(change.getProblems().get(0).contains("run gitversion install"), change.getProblems().toString());
    assertEquals(List.of("CREATE TABLE \"public\".\"old_capture\" (\n    \"a\" integer\n);"), change.getForwardSql(),
        "the change itself is kept and planned");
  }

  @Test
  void redeliveredTransactionIsTakenOnce() {
    Relation t = new Relation("table", "public", "t", "p", List.of(col(1, "a", "integer")));
    DdlEvent once = event("7", table("CREATE TABLE", "create", 7, t));
    events.pipeInput("app", once);
    events.pipeInput("app", once);
    assertEquals(1, commits.readValuesToList().size());
  }

  @Test
  void dropOfTrackedTableIsMajorAndPlansTheDrop() {
    Relation t = new Relation("table", "public", "t", "p", List.of(col(1, "a", "integer")));
    events.pipeInput("app", event("1", table("CREATE TABLE", "create", 9, t, 1, "1.0.0")));
    events.pipeInput("app", event("2", drop(9, "t", 2, "2.0.0"), drop(10, "never_tracked", 1, "1.0.0")));
    List<Change> all = changes.readValuesToList();
    assertEquals(2, all.size(), "the untracked drop changes nothing");
    Change dropped = all.get(1);
    assertEquals("drop", dropped.getAction());
    assertEquals("2.0.0", dropped.getAfter().getSemver());
    assertTrue(dropped.getAfter().getDropped());
    assertEquals(List.of("DROP TABLE \"public\".\"t\";"), dropped.getForwardSql());
    assertTrue(dropped.getRisks().contains(io.gitversion.schemas.Hazard.DATA_LOSS));
  }

  @Test
  void poisonEventGoesToTheDeadLetterTopicAndProcessingGoesOn() {
    TestInputTopic<byte[], byte[]> raw = driver.createInputTopic(Topics.DDL_EVENTS.name(), new ByteArraySerializer(), new ByteArraySerializer());
    raw.pipeInput("app".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
    Relation t = new Relation("table", "public", "t", "p", List.of(col(1, "a", "integer")));
    events.pipeInput("app", event("1", table("CREATE TABLE", "create", 5, t)));

    TestOutputTopic<byte[], byte[]> dead = driver.createOutputTopic(Topics.DEAD_LETTER.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    var record = dead.readRecord();
    assertEquals("not avro", new String(record.value(), StandardCharsets.UTF_8));
    assertTrue(record.headers().toArray().length > 0, "the reason travels in the headers");
    assertEquals(1, commits.readValuesToList().size(), "the next event is processed");
  }

  @Test
  void statementThatChangesNothingModelledMakesNoCommit() {
    Relation t = new Relation("table", "public", "t", "p", List.of(col(1, "a", "integer")));
    events.pipeInput("app", event("1", table("CREATE TABLE", "create", 3, t)));
    events.pipeInput("app", event("2", table("ALTER TABLE", "alter", 3, t)));
    assertEquals(1, commits.readValuesToList().size());
  }
}
