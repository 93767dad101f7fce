package io.gitversion.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.KafkaBroker;
import io.gitversion.embedded.testing.PostgresServer;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.schemas.DdlEvent;
import io.gitversion.schemas.DdlRecord;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CollectorIT {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();
  @RegisterExtension static final PostgresServer pg = PostgresServer.named("source");
  static TestDatabase db;
  static PgUrl source;
  static Collector collector;

  @BeforeAll
  static void start() throws Exception {
    db = pg.database("app").exec("CREATE TABLE pre_existing (id int PRIMARY KEY, label text)");
    source = PgUrl.parse(db.url());
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

    List<DdlEvent> events = after(consume(e -> named(e, "second"), Duration.ofSeconds(30)), e -> named(e, "orders"));
    assertEquals(2, events.size(), "one event per committed transaction: " + events);
    DdlEvent first = events.get(0);
    assertEquals("app", first.getDatabase());
    List<String> tags = first.getRecords().stream().map(DdlRecord::getCommandTag).toList();
    assertEquals(List.of("CREATE TABLE", "ALTER TABLE", "ALTER TABLE"), tags);
    List<Long> oids = first.getRecords().stream().map(DdlRecord::getOid).distinct().toList();
    assertEquals(1, oids.size(), "every statement touched the same table identity");
    assertEquals("second", events.get(1).getRecords().get(0).getName());

    assertEquals(List.of("1.0.0", "1.1.0", "2.0.0"), first.getRecords().stream().map(DdlRecord::getSemver).toList(),
        "create, add column (minor), rename column (major)");
    DdlRecord last = first.getRecords().get(2);
    try (Connection c = Database.connect(source)) {
      assertEquals(new Inspector(c).inspect(java.util.Set.of()).hashes().get("table public.orders"), last.getHash(),
          "captured hash equals the inspected hash");
    }
    assertTrue(last.getCanonical().contains("\"remark\" text DEFAULT 'none'::text"), last.getCanonical());
  }

  @Test
  void partitionsAndTheirIndexesAreCapturedWithTheStatementThatChangedThem() throws Exception {
    String[] statements = {
        "CREATE SCHEMA parts; CREATE TABLE parts.events (at date NOT NULL, id int) PARTITION BY RANGE (at);"
            + " CREATE TABLE parts.y2026 (at date NOT NULL, id int); CREATE INDEX y2026_id ON parts.y2026 (id)",
        "ALTER TABLE parts.events ATTACH PARTITION parts.y2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        "CREATE INDEX events_id ON parts.events (id)", // adopts y2026_id
        "ALTER TABLE parts.events ADD COLUMN note text", // the partition gets it too
        "ALTER TABLE parts.events DETACH PARTITION parts.y2026",
        "CREATE TABLE parts.marker (x int)"};
    List<DdlEvent> events = eventOfEach(statements, "events", "marker");
    // each statement's own event has the partition's (or its index's) new version, not a later drift record
    assertTrue(touches(events.get(1), "table", "y2026"), "ATTACH PARTITION: the partition " + events.get(1));
    assertTrue(touches(events.get(2), "index", "y2026_id"), "CREATE INDEX on the parent: the adopted index " + events.get(2));
    assertTrue(touches(events.get(3), "table", "y2026"), "ADD COLUMN on the parent: the partition " + events.get(3));
    assertTrue(touches(events.get(4), "table", "y2026") && touches(events.get(4), "index", "y2026_id"),
        "DETACH PARTITION: the partition and its index " + events.get(4));
    assertCapturedAsInspected(events, "parts", 6);
  }

  @Test
  void aPartitionsKeyIsCapturedWhenItIsMadeAndWhenItIsAttached() throws Exception {
    String[] statements = {
        "CREATE SCHEMA keys; CREATE TABLE keys.bills (k int NOT NULL) PARTITION BY LIST (k);"
            + " CREATE TABLE keys.bills_1 PARTITION OF keys.bills FOR VALUES IN (1)",
        "ALTER TABLE ONLY keys.bills ADD CONSTRAINT bills_pkey PRIMARY KEY (k)",
        "ALTER TABLE keys.bills_1 ADD CONSTRAINT bills_1_own_key PRIMARY KEY (k)",
        "ALTER INDEX keys.bills_pkey ATTACH PARTITION keys.bills_1_own_key", // reports the parent's index only
        "CREATE TABLE keys.bills_2 PARTITION OF keys.bills FOR VALUES IN (2)", // its key is made with it
        "CREATE TABLE keys.keys_marker (x int)"};
    List<DdlEvent> events = eventOfEach(statements, "bills", "keys_marker");
    assertTrue(touches(events.get(3), "constraint", "bills_1_own_key"), "ATTACH PARTITION of a key's index: the key " + events.get(3));
    assertTrue(touches(events.get(4), "constraint", "bills_2_pkey"), "CREATE TABLE ... PARTITION OF: its key " + events.get(4));
    assertCapturedAsInspected(events, "keys", 8); // the schema, four tables, three keys
  }

  @Test // a date default captured under DateStyle DMY was written '05/06/2026': another day where read as MDY
  void constantsAreCapturedAsWrittenUnderFixedSettingsNotTheSessions() throws Exception {
    String[] statements = {
        TestDatabase.underOddSettings("CREATE SCHEMA consts; CREATE TABLE consts.dated (id int PRIMARY KEY, at timestamptz DEFAULT '2026-01-02 03:04:05+00',"
            + " day date DEFAULT '05/06/2026', span interval DEFAULT '1 day 2 hours', ratio float8 DEFAULT 0.30000000000000004,"
            + " raw bytea DEFAULT '\\x0102', CONSTRAINT recent CHECK (day > '01/02/2020'))"),
        TestDatabase.underOddSettings("CREATE VIEW consts.upcoming AS SELECT id FROM consts.dated WHERE at > '2026-01-01 00:00+00' AND span < '2 days'"),
        "CREATE TABLE consts.consts_marker (x int)"};
    List<DdlEvent> events = eventOfEach(statements, "dated", "consts_marker");
    String table = events.get(0).getRecords().stream().filter(r -> r.getKind().equals("table") && r.getName().equals("dated"))
        .findFirst().orElseThrow().getCanonical();
    for (String written : List.of("'2026-01-02 03:04:05+00'::timestamp with time zone", "'2026-06-05'::date",
        "'1 day 02:00:00'::interval", "DEFAULT 0.30000000000000004,", "'\\x0102'::bytea")) {
      assertTrue(table.contains(written), written + " in " + table);
    }
    assertCapturedAsInspected(events, "consts", 6); // the schema, two tables, the view, the key and the check
    // the log row holds the canonical text (and a table's snapshot) once, in its definition; the SQL history reads it there
    assertEquals(List.of("0"), db.column("SELECT count(*) FROM gitversion.ddl_log WHERE schema_name = 'consts'"
        + " AND (canonical IS NOT NULL OR snapshot IS NOT NULL)"));
    assertEquals(table, db.value("SELECT canonical FROM gitversion.get_history('consts.dated') ORDER BY version DESC LIMIT 1"));
  }

  /** Runs each statement in a transaction of its own; the events from the first naming {@code first} to {@code marker}'s. */
  @Test
  void aGrantIsRecordedOnWhatItTouchedAndOnNothingElseAfterASavepointToo() throws Exception {
    String[] statements = {
        "CREATE SCHEMA granted; CREATE TABLE granted.a (id int, note text); CREATE TABLE granted.b (id int);"
            + " CREATE FUNCTION granted.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        // after a SAVEPOINT the catalog rows are written under the subtransaction's ID, not the transaction's
        "BEGIN; SAVEPOINT s; GRANT SELECT ON ALL TABLES IN SCHEMA granted TO PUBLIC; RELEASE SAVEPOINT s; COMMIT",
        "REVOKE EXECUTE ON FUNCTION granted.f() FROM PUBLIC",
        "BEGIN; SAVEPOINT s; GRANT UPDATE (note) ON granted.a TO PUBLIC; COMMIT",
        "GRANT USAGE ON SCHEMA granted TO PUBLIC",
        "CREATE TABLE granted.granted_marker (x int)"};
    List<DdlEvent> events = eventOfEach(statements, "granted", "granted_marker");
    assertEquals(List.of("grant table a +PUBLIC:SELECT", "grant table b +PUBLIC:SELECT"), changes(events.get(1)));
    assertEquals(List.of("revoke function f -PUBLIC:EXECUTE"), changes(events.get(2)));
    assertEquals(List.of("grant table a +PUBLIC:SELECT"), changes(events.get(3)));
    assertTrue(events.get(3).getRecords().get(0).getCanonical().contains("-- column privileges: {\"note\": \"+PUBLIC:UPDATE\"}"),
        events.get(3).toString());
    assertEquals(List.of("grant schema granted +PUBLIC:USAGE"), changes(events.get(4)));
    assertCapturedAsInspected(events, "granted", 5); // the schema, three tables, the function
  }

  @Test
  void renamingATypeRecordsWhatUsesItFoundByTheirDependenciesOnIt() throws Exception {
    String[] statements = {
        "CREATE SCHEMA typed; CREATE TYPE typed.feel AS ENUM ('ok'); CREATE TABLE typed.one (f typed.feel);"
            + " CREATE TABLE typed.many (fs typed.feel[]); CREATE TYPE typed.pair AS (f typed.feel); CREATE DOMAIN typed.feeling AS typed.feel",
        "ALTER TYPE typed.feel RENAME TO mood",
        "CREATE TABLE typed.typed_marker (x int)"};
    List<DdlEvent> events = eventOfEach(statements, "typed", "typed_marker");
    // a column of it, a column of its array, a composite type's attribute, a domain over it: each prints its new name
    assertEquals(List.of("table many", "table one", "type feeling", "type mood", "type pair"),
        events.get(1).getRecords().stream().map(r -> r.getKind() + " " + r.getName()).sorted().toList());
    assertCapturedAsInspected(events, "typed", 7); // the schema, the enum, the three tables, the composite, the domain
  }

  /** Each record of a GRANT or REVOKE: action, kind, name and its privileges line, in name order. */
  private static List<String> changes(DdlEvent event) {
    return event.getRecords().stream().map(r -> r.getAction() + " " + r.getKind() + " " + r.getName() + " "
        + r.getCanonical().lines().filter(line -> line.startsWith("-- privileges: ")).findFirst().orElse("").substring("-- privileges: ".length()))
        .sorted().toList();
  }

  private static List<DdlEvent> eventOfEach(String[] statements, String first, String marker) throws Exception {
    db.exec(statements);
    List<DdlEvent> events = after(consume(e -> named(e, marker), Duration.ofSeconds(30)), e -> named(e, first));
    assertEquals(statements.length, events.size(), events.toString());
    return events;
  }

  /** The schema has {@code objects} objects now, and the events captured each one's hash as inspection gives it. */
  private static void assertCapturedAsInspected(List<DdlEvent> events, String schema, int objects) throws Exception {
    Map<String, String> captured = hashesById(events);
    try (Connection c = Database.connect(source)) {
      Map<String, String> live = new Inspector(c).inspect(Set.of(schema)).hashes();
      assertEquals(objects, live.size(), live.toString());
      live.forEach((id, hash) -> assertEquals(hash, captured.get(id), "captured hash of " + id + " equals the inspected one"));
    }
  }

  private static boolean touches(DdlEvent event, String kind, String name) {
    return event.getRecords().stream().anyMatch(r -> r.getKind().equals(kind) && r.getName().equals(name) && r.getHash() != null);
  }

  @Test
  void inspectingTheSourceAndTemporaryObjectsAreNotCaptured() throws Exception {
    try (Connection c = Database.connect(source); Statement st = c.createStatement()) {
      new Inspector(c).tables(); // creates its snapshot functions in pg_temp
      st.execute("CREATE TEMPORARY TABLE scratch (x int)");
      st.execute("CREATE TABLE marker_after_inspection (x int)");
    }
    List<DdlEvent> events = consume(e -> named(e, "marker_after_inspection"), Duration.ofSeconds(30));
    DdlEvent last = events.get(events.size() - 1);
    assertEquals(List.of("marker_after_inspection"), last.getRecords().stream().map(DdlRecord::getName).toList());
    assertTrue(events.stream().flatMap(e -> e.getRecords().stream()).noneMatch(r -> (r.getSchema$() != null && r.getSchema$().startsWith("pg_"))
        || r.getName().equals("scratch")), "no temporary object was captured: " + events);
  }

  @Test
  void objectsThatExistedBeforeInstallAreOneBaselineCommit() throws Exception {
    DdlEvent baseline = consume(e -> true, Duration.ofSeconds(30)).get(0);
    assertTrue(baseline.getRecords().stream().allMatch(r -> r.getAction().equals("baseline") && r.getVersion() == 1),
        baseline.toString());
    Map<String, String> captured = hashesById(List.of(baseline));
    try (Connection c = Database.connect(source)) {
      Map<String, String> live = new Inspector(c).inspect(Set.of()).hashes();
      for (String id : List.of("schema public.public", "table public.pre_existing", "constraint public.pre_existing.pre_existing_pkey")) {
        assertEquals(live.get(id), captured.get(id), id);
      }
    }
  }

  @Test
  void everyKindIsCapturedWithTheHashThatInspectionGives() throws Exception {
    try (Connection c = Database.connect(source)) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String sql : List.of(
            "CREATE SCHEMA shop",
            "CREATE TYPE shop.mood AS ENUM ('ok', 'sad')",
            "CREATE DOMAIN shop.positive AS integer CHECK (VALUE > 0)",
            "ALTER DOMAIN shop.positive ADD CONSTRAINT below_max CHECK (VALUE < 100000)",
            "CREATE EXTENSION citext SCHEMA shop",
            "CREATE AGGREGATE shop.total(integer) (SFUNC = int4pl, STYPE = integer)",
            "CREATE OPERATOR shop.=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq)",
            "CREATE TYPE shop.pair AS (a integer, b text)",
            "CREATE TYPE shop.span AS RANGE (SUBTYPE = integer)",
            "CREATE COLLATION shop.plain (provider = libc, locale = 'C')",
            "CREATE SEQUENCE shop.tickets START 100",
            "CREATE TABLE shop.items (id int PRIMARY KEY, qty shop.positive, mood shop.mood, name text UNIQUE CHECK (name <> ''))",
            "CREATE TABLE shop.lines (item int REFERENCES shop.items (id), n int)",
            "CREATE INDEX lines_item ON shop.lines (item) WHERE n > 0",
            "CREATE VIEW shop.big AS SELECT id, name FROM shop.items WHERE qty > 10",
            "CREATE MATERIALIZED VIEW shop.counts AS SELECT item, count(*) FROM shop.lines GROUP BY item",
            "CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "CREATE PROCEDURE shop.noop(x int) LANGUAGE sql AS $$ SELECT x $$",
            "CREATE TRIGGER touch BEFORE UPDATE ON shop.items FOR EACH ROW EXECUTE FUNCTION shop.touch()",
            "CREATE RULE no_delete AS ON DELETE TO shop.lines DO INSTEAD NOTHING",
            "ALTER TABLE shop.items ENABLE ROW LEVEL SECURITY",
            "CREATE POLICY mine ON shop.items USING (qty > 0)",
            "COMMENT ON TABLE shop.items IS 'what we sell'",
            "COMMENT ON FUNCTION shop.touch() IS 'no-op trigger'",
            // both part of the object's hash: captured as a new version, or the hashes compared below differ
            "COMMENT ON COLUMN shop.big.name IS 'shown to customers'",
            "ALTER SEQUENCE shop.tickets OWNED BY shop.lines.n",
            "GRANT SELECT ON shop.items TO PUBLIC",
            "GRANT UPDATE (qty) ON shop.items TO PUBLIC")) {
          st.execute(sql);
        }
      }
      c.commit();
    }
    List<DdlEvent> events = after(consume(e -> named(e, "touch") && e.getRecords().stream().anyMatch(r -> r.getAction().equals("grant")),
        Duration.ofSeconds(30)), e -> named(e, "shop"));
    assertEquals(1, events.size(), "one source transaction, one event");
    List<DdlRecord> records = events.get(0).getRecords();
    assertEquals(java.util.Set.of("schema", "extension", "type", "collation", "sequence", "table", "constraint", "index", "view",
        "function", "trigger", "rule", "policy", "operator"),
        records.stream().map(DdlRecord::getKind).collect(java.util.stream.Collectors.toSet()));
    assertTrue(records.stream().anyMatch(r -> r.getKind().equals("type") && r.getName().equals("positive") && r.getVersion() == 2
        && r.getCanonical().contains("below_max")), "the domain's new constraint is a new version of the domain");
    assertTrue(records.stream().anyMatch(r -> r.getKind().equals("function") && r.getName().equals("total")
        && r.getCanonical().startsWith("CREATE OR REPLACE AGGREGATE shop.total(integer) (\n    SFUNC = int4pl,\n    STYPE = integer\n);")),
        "an aggregate is a routine of the model, with its definition");
    assertTrue(records.stream().anyMatch(r -> r.getKind().equals("operator") && r.getIdentity().contains("===")
        && r.getVersion() == 1 && r.getSemver().equals("1.0.0")),
        "a kind without a definition in the model is still recorded, numbered by the source like every record");
    assertTrue(records.stream().anyMatch(r -> r.getAction().equals("comment") && r.getName().equals("items")), "COMMENT captured");
    assertTrue(records.stream().anyMatch(r -> r.getAction().equals("grant") && r.getName().equals("items")
        && r.getCanonical().contains("-- privileges: +PUBLIC:SELECT")), "GRANT captured as a new version of the table it touched");
    assertTrue(records.stream().anyMatch(r -> r.getAction().equals("grant") && r.getName().equals("items")
        && r.getCanonical().contains("-- column privileges: {\"qty\": \"+PUBLIC:UPDATE\"}")), "a column GRANT too");
    Map<String, String> captured = hashesById(events);
    try (Connection c = Database.connect(source)) {
      Map<String, String> live = new Inspector(c).inspect(Set.of()).hashes();
      List<String> shop = live.keySet().stream().filter(id -> id.contains(" shop.")).toList();
      assertEquals(23, shop.size(), "every object of the transaction is inspected: " + shop); // the operator is not
      for (String id : shop) {
        assertEquals(live.get(id), captured.get(id), "captured hash of " + id + " equals the inspected one");
      }
    }
  }

  @Test
  void theSqlInterfaceAnswersAndFindsChangesMadeWithCaptureDisabled() throws Exception {
    try (Connection c = Database.connect(source); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE widgets (id int)");
      st.execute("ALTER TABLE widgets ADD COLUMN name text");
      st.execute("COMMENT ON TABLE widgets IS 'things'");
      st.execute("ALTER TABLE widgets DROP COLUMN name");
      assertEquals(List.of("4|2.0.0"), db.column("SELECT version || '|' || semver FROM gitversion.get_version('public.widgets')"));
      assertEquals(List.of("4|2.0.0|alter", "3|1.1.1|comment", "2|1.1.0|alter", "1|1.0.0|create"),
          db.column("SELECT version || '|' || semver || '|' || action FROM gitversion.get_history('widgets')"));
      String live = new Inspector(c).inspect(Set.of()).hashes().get("table public.widgets");
      assertEquals(List.of(live), db.column("SELECT gitversion.compute_ddl_hash('public.widgets')"));
      assertTrue(db.column("SELECT object_name FROM gitversion.tracked_objects").contains("widgets"));
      assertEquals(List.of("core"), db.column("SELECT name FROM gitversion.enabled_modules"));
      assertEquals(List.of(), db.column("SELECT identity FROM gitversion.detect_changes_by_hash()"));
      st.execute("ALTER TABLE widgets ALTER COLUMN id TYPE bigint");
      st.execute("ALTER TABLE widgets ALTER COLUMN id SET DEFAULT 0");
      st.execute("ALTER TABLE widgets ALTER COLUMN id SET NOT NULL");
      assertEquals(List.of("7|4.0.0|alter", "6|3.0.1|alter", "5|3.0.0|alter"),
          db.column("SELECT version || '|' || semver || '|' || action FROM gitversion.get_history('widgets', 3)"),
          "a retyped column is major, a default patch, NOT NULL major");

      st.execute("ALTER EVENT TRIGGER gitversion_ddl_command_end DISABLE");
      st.execute("ALTER TABLE widgets ADD COLUMN hidden int");
      st.execute("ALTER EVENT TRIGGER gitversion_ddl_command_end ENABLE");
      assertEquals(List.of("widgets|changed"), db.column("SELECT identity || '|' || change FROM gitversion.detect_changes_by_hash()"));
    }
    assertEquals(1, Reconciler.reconcile(source));
    java.util.function.Predicate<DdlEvent> widgetsDrift = e -> e.getRecords().stream()
        .anyMatch(r -> r.getAction().equals("drift") && r.getName().equals("widgets"));
    DdlEvent drift = consume(widgetsDrift, Duration.ofSeconds(30)).stream().filter(widgetsDrift).findFirst().orElseThrow();
    assertEquals(1, drift.getRecords().size(), "one drift commit with the one drifted object");
    assertTrue(drift.getRecords().get(0).getCanonical().contains("\"hidden\" integer"), drift.toString());
    assertEquals(List.of(), Reconciler.detect(source));
  }

  @Test
  void aSessionOfTheSyncersRoleWithCaptureOffIsNotCapturedAndItsChangesAreNotDrift() throws Exception {
    db.exec("CREATE ROLE syncer_user SUPERUSER", "GRANT gitversion_syncer TO syncer_user");
    try (Connection c = Database.connect(source); Statement st = c.createStatement()) {
      st.execute("SET SESSION AUTHORIZATION syncer_user"); // the syncer's user, a member of gitversion_syncer
      st.execute("SET gitversion.capture = off"); // what the syncer does on a remote that is a source too
      st.execute("CREATE TABLE applied_by_syncer (x int)");
      st.execute("ALTER TABLE applied_by_syncer ADD COLUMN y int");
      st.execute("RESET gitversion.capture");
      assertEquals(List.of(), db.column("SELECT id::text FROM gitversion.ddl_log WHERE object_name = 'applied_by_syncer'"),
          "nothing logged, so nothing published");
      assertEquals(List.of("2"), db.column("SELECT version::text FROM gitversion.objects WHERE object_name = 'applied_by_syncer'"),
          "the recorded state follows");
      assertTrue(db.column("SELECT identity FROM gitversion.detect_changes_by_hash()").stream().noneMatch(i -> i.equals("applied_by_syncer")),
          "and reconciliation does not report it as drift");
    }
  }

  @Test
  void aCaptureFailureNeverAbortsTheDdlAndIsRepairedByReconciliation() throws Exception {
    try (Connection c = Database.connect(source); Statement st = c.createStatement()) {
      st.execute("SET gitversion.capture = off");
      st.execute("CREATE OR REPLACE FUNCTION gitversion.object_rows(kind text, oids oid[]) RETURNS SETOF jsonb "
          + "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'broken on purpose'; END $$");
      st.execute("RESET gitversion.capture");
      st.execute("CREATE TABLE survives (x int)"); // the user's DDL goes through
      assertEquals(List.of("survives"), db.column("SELECT relname FROM pg_class WHERE relname = 'survives'"));
      assertTrue(db.column("SELECT error FROM gitversion.ddl_log WHERE action = 'error'").stream().anyMatch(e -> e.contains("broken on purpose")));
    }
    DdlEvent failed = consume(e -> e.getRecords().stream().anyMatch(r -> r.getError() != null), Duration.ofSeconds(30)).stream()
        .filter(e -> e.getRecords().stream().anyMatch(r -> r.getError() != null)).findFirst().orElseThrow();
    assertTrue(failed.getRecords().get(0).getError().contains("broken on purpose"));
    SourceInstaller.install(source, CollectorConfig.defaultSlotName(source.database())); // repairs the functions
    assertEquals(List.of("new table public.survives"), Reconciler.detect(source).stream().map(Object::toString).toList());
    assertEquals(1, Reconciler.reconcile(source));
    assertEquals(List.of(), Reconciler.detect(source));
  }

  private static boolean named(DdlEvent event, String name) {
    return event.getRecords().stream().anyMatch(r -> name.equals(r.getName()));
  }

  /** The events from the first that matches on. */
  private static List<DdlEvent> after(List<DdlEvent> events, java.util.function.Predicate<DdlEvent> first) {
    for (int i = 0; i < events.size(); i++) {
      if (first.test(events.get(i))) {
        return events.subList(i, events.size());
      }
    }
    return List.of();
  }

  /** Captured hash by inspection id ("kind schema.identity"), the last record of each object winning. */
  private static Map<String, String> hashesById(List<DdlEvent> events) {
    Map<String, String> hashes = new java.util.HashMap<>();
    events.stream().flatMap(e -> e.getRecords().stream()).filter(r -> r.getHash() != null)
        .forEach(r -> hashes.put(r.getKind() + " " + r.getSchema$() + "." + r.getIdentity(), r.getHash()));
    return hashes;
  }

  /** Every event on the topic, read until one satisfies {@code until}; fails the test after {@code timeout}. */
  private static List<DdlEvent> consume(java.util.function.Predicate<DdlEvent> until, Duration timeout) {
    return kafka.read(Topics.DDL_EVENTS.name(), Topics.DDL_EVENTS.valueSerde().deserializer(),
        events -> events.stream().anyMatch(until), timeout);
  }

  @Test // issue 16: composite ADD ATTRIBUTE was recorded as the create of an object without a definition
  void aCompositeTypesNewAttributeIsANewVersionOfTheType() throws Exception {
    db.exec("CREATE TYPE composite_pair AS (a integer)", "ALTER TYPE composite_pair ADD ATTRIBUTE b text");
    DdlEvent added = consume(e -> e.getRecords().stream().anyMatch(r -> r.getName().equals("composite_pair") && "alter".equals(r.getAction())),
        Duration.ofSeconds(30)).stream().filter(e -> named(e, "composite_pair")).reduce((first, second) -> second).orElseThrow();
    DdlRecord type = added.getRecords().get(0);
    assertEquals(List.of("type", "alter", "2"), List.of(type.getKind(), type.getAction(), String.valueOf(type.getVersion())));
    assertTrue(type.getCanonical().contains("b text"), type.getCanonical());
    try (Connection c = Database.connect(source)) {
      assertEquals(new Inspector(c).inspect(Set.of()).hashes().get("type public.composite_pair"), type.getHash());
    }
  }

  @Test // issue 16: a user's DROP EXTENSION plpgsql CASCADE silently removed capture, and install could not restore it
  void captureThatTheUsersDdlRemovedIsRestoredByInstallWhileTheCollectorRuns() throws Exception {
    db.exec("CREATE TABLE before_removal (x int)", "DROP EXTENSION plpgsql CASCADE");
    assertEquals("0", db.value("SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'gitversion%'"), "the user's DDL took capture");
    SourceInstaller.install(source, CollectorConfig.defaultSlotName(source.database()));
    assertEquals("2", db.value("SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'gitversion%' AND evtenabled = 'O'"));
    db.exec("CREATE TABLE after_restore (x int)");
    DdlEvent restored = consume(e -> named(e, "after_restore"), Duration.ofSeconds(30)).stream()
        .filter(e -> named(e, "after_restore")).findFirst().orElseThrow();
    assertEquals("create", restored.getRecords().get(0).getAction(), "captured again, through the collector that kept running");
  }
}
