package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.inspect.CrossRelease;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.embedded.testing.TopicReader;
import io.gitversion.schemas.SyncResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The statements of issue 16's audit, each run in the source of a real pipeline: every one arrives on both remotes
 * with equal hashes and an equal catalog (read by a query of its own, not by our inspector), and a row inserted on
 * the remote before the change is still there where the source kept its data. Each case lives in a schema of its own.
 * The catalog compared includes owners: the source's and the remotes' connecting roles are the same.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class EverydayDdl {
  /** The pipeline the cases run in: its source and remotes may run other PostgreSQL releases (the version matrix). */
  abstract RunningPipeline pipeline();

  private static final Duration CONVERGE = Duration.ofSeconds(30);
  /** A role on the source and on every remote (roles belong to a server: they are not replicated). */
  private static final String OWNER = "gv_owner";

  /** Before each case (a parameterized subclass starts a pipeline per parameter, after any BeforeAll). */
  @org.junit.jupiter.api.BeforeEach
  void ownerRoleOnEveryServer() {
    String create = "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + OWNER + "') THEN CREATE ROLE "
        + OWNER + "; END IF; END $$";
    db(pipeline().source()).exec(create);
    pipeline().remotes().values().forEach(remote -> db(remote).exec(create));
  }

  /**
   * A case: what exists first (replicated before), the change (";;" between transactions), and a table whose row must
   * survive (or null).
   */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("partitioned_table_with_key",
            "",
            "CREATE TABLE m (id int NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);"
                + "CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
                + "CREATE INDEX m_at ON m (at);", null),
        Arguments.of("attach_and_detach_partition",
            "CREATE TABLE m (id int NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);"
                + "CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
                + "CREATE TABLE m_2025 (id int NOT NULL, at date NOT NULL);",
            "ALTER TABLE m ATTACH PARTITION m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');"
                + "ALTER TABLE m DETACH PARTITION m_2024;", null),
        Arguments.of("inherits",
            "CREATE TABLE base (id int); CREATE TABLE child (id int, extra text);",
            "ALTER TABLE child INHERIT base;", "child"),
        Arguments.of("row_security_and_table_options",
            "CREATE TABLE t (id int PRIMARY KEY, owner text); CREATE INDEX t_owner ON t (owner);",
            "ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY;"
                + "CREATE POLICY own ON t USING (owner = current_user);"
                + "ALTER TABLE t REPLICA IDENTITY FULL; ALTER TABLE t SET (fillfactor = 70); ALTER TABLE t CLUSTER ON t_owner;", "t"),
        Arguments.of("column_type_under_index_and_key",
            "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY, p int REFERENCES p); CREATE INDEX c_p ON c (p);",
            "ALTER TABLE c ALTER COLUMN p TYPE bigint; ALTER TABLE c ALTER COLUMN id TYPE bigint;", "c"),
        Arguments.of("column_type_using_converts_the_remotes_rows_as_the_sources",
            "CREATE TABLE u (id int PRIMARY KEY, n text DEFAULT 'abc');", // the remote's row holds 'abc': no plain cast
            "ALTER TABLE u ALTER COLUMN n DROP DEFAULT, ALTER COLUMN n TYPE int USING length(n);", "u"),
        Arguments.of("sequence_keeps_its_counter",
            "CREATE SEQUENCE s START 1; CREATE TABLE holder (id int PRIMARY KEY);",
            "ALTER SEQUENCE s INCREMENT BY 5 MAXVALUE 100000;", "holder"),
        Arguments.of("enum_rename_value_and_add",
            "CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE feel (id int PRIMARY KEY, m mood DEFAULT 'ok');",
            "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'; ALTER TYPE mood ADD VALUE 'happy';", "feel"),
        Arguments.of("enum_swapped_under_a_default_and_a_view_one_transaction_each",
            "CREATE TYPE e AS ENUM ('a', 'b'); CREATE TABLE t (id int PRIMARY KEY, c e DEFAULT 'a');"
                + "CREATE VIEW v AS SELECT id, c FROM t;",
            "DROP VIEW v;; ALTER TYPE e RENAME TO e__old;; CREATE TYPE e AS ENUM ('a', 'b', 'c');;"
                + "ALTER TABLE t ALTER COLUMN c DROP DEFAULT;; ALTER TABLE t ALTER COLUMN c TYPE e USING c::text::e;;"
                + "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'a';; DROP TYPE e__old;; CREATE VIEW v AS SELECT id, c FROM t;", "t"),
        Arguments.of("domain_add_constraint",
            "CREATE DOMAIN pos AS int; CREATE TABLE d (id int PRIMARY KEY, v pos);",
            "ALTER DOMAIN pos ADD CONSTRAINT positive CHECK (VALUE > 0);", "d"),
        Arguments.of("composite_add_attribute",
            "CREATE TYPE pair AS (a int);",
            "ALTER TYPE pair ADD ATTRIBUTE b text;", null),
        Arguments.of("replace_view_with_dependent_view",
            "CREATE TABLE base (id int PRIMARY KEY, name text); CREATE VIEW v1 AS SELECT id FROM base; CREATE VIEW v2 AS SELECT id FROM v1;",
            "CREATE OR REPLACE VIEW v1 AS SELECT id, name FROM base;", "base"),
        Arguments.of("view_column_default",
            "CREATE TABLE base (id int PRIMARY KEY, name text); CREATE VIEW v AS SELECT id, name FROM base;",
            "ALTER VIEW v ALTER COLUMN name SET DEFAULT 'x';", "base"),
        Arguments.of("add_constraint_using_index",
            "CREATE TABLE k (id int NOT NULL); CREATE UNIQUE INDEX k_id ON k (id);",
            "ALTER TABLE k ADD CONSTRAINT k_pkey PRIMARY KEY USING INDEX k_id;", "k"),
        Arguments.of("grants_on_table_sequence_view_and_column",
            "CREATE TABLE g (id int PRIMARY KEY, secret text); CREATE SEQUENCE gs; CREATE VIEW gv AS SELECT id FROM g;",
            "GRANT SELECT ON g TO PUBLIC; GRANT USAGE ON SEQUENCE gs TO PUBLIC; GRANT SELECT ON gv TO PUBLIC;"
                + "GRANT UPDATE (secret) ON g TO PUBLIC;; GRANT SELECT (id) ON gv TO PUBLIC;;"
                + "GRANT INSERT ON g TO PUBLIC;; REVOKE INSERT ON g FROM PUBLIC", "g"),
        Arguments.of("rename_table_and_column",
            "CREATE TABLE customers (id int PRIMARY KEY, mail text); CREATE INDEX customers_mail ON customers (mail);",
            "ALTER TABLE customers RENAME COLUMN mail TO email; ALTER TABLE customers RENAME TO clients;", null),
        Arguments.of("statistics_text_search_and_a_cast",
            "CREATE TABLE m (id int PRIMARY KEY, a int, b int); CREATE TYPE pair AS (x int, y int);"
                + "CREATE FUNCTION pair_text(pair) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT $1.x || ',' || $1.y $$;",
            "CREATE STATISTICS m_ab (dependencies) ON a, b FROM m;; ALTER STATISTICS m_ab SET STATISTICS 300;;"
                + "CREATE TEXT SEARCH DICTIONARY dict (TEMPLATE = simple);; CREATE TEXT SEARCH CONFIGURATION cfg (PARSER = default);;"
                + "ALTER TEXT SEARCH CONFIGURATION cfg ADD MAPPING FOR word, asciiword WITH dict;;"
                + "CREATE CAST (pair AS text) WITH FUNCTION pair_text(pair)", "m"),
        Arguments.of("drop_type_cascade_takes_a_column",
            "CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (id int PRIMARY KEY, m mood, n text);",
            "DROP TYPE mood CASCADE;", "t"),
        // owners are outside the hash, but what the source states of them arrives: ALTER ... OWNER TO, and a new
        // object's owner when it is not the role that ran the DDL; a GRANT on it is then the new owner's on both sides
        Arguments.of("owners_of_a_schema_table_sequence_view_and_function",
            "CREATE TABLE o (id serial PRIMARY KEY); CREATE VIEW ov AS SELECT id FROM o;"
                + "CREATE FUNCTION one() RETURNS int LANGUAGE sql AS 'SELECT 1';",
            "ALTER TABLE o OWNER TO " + OWNER + ";; ALTER VIEW ov OWNER TO " + OWNER + "; ALTER FUNCTION one() OWNER TO " + OWNER + ";;"
                + "GRANT SELECT ON o TO PUBLIC;; ALTER SCHEMA %s OWNER TO " + OWNER + ";;"
                + "CREATE TABLE o2 (id int); ALTER TABLE o2 OWNER TO " + OWNER + "; GRANT SELECT ON o2 TO PUBLIC;;"
                + "ALTER TABLE o2 ADD COLUMN n serial", "o"),
        // a date default set in a session with DateStyle DMY: the 5th of June on every remote, not the 6th of May
        Arguments.of("constants_as_written_whatever_the_sessions_settings",
            "CREATE TABLE dated (id int PRIMARY KEY, day date);",
            TestDatabase.underOddSettings("ALTER TABLE dated ALTER COLUMN day SET DEFAULT '05/06/2026'") + ";;"
                + TestDatabase.underOddSettings("ALTER TABLE dated ADD COLUMN at timestamptz DEFAULT '2026-01-02 03:04:05+00',"
                + " ADD COLUMN span interval DEFAULT '1 day 2 hours', ADD COLUMN ratio float8 DEFAULT 0.30000000000000004"), "dated"),
        Arguments.of("drop_schema_cascade",
            "CREATE TABLE a (id int PRIMARY KEY); CREATE VIEW av AS SELECT * FROM a;",
            "DROP SCHEMA %s CASCADE;", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void arrivesOnEveryRemoteAsTheSourceHasIt(String name, String setup, String change, String keeps) throws Exception {
    String schema = "c_" + name;
    String prefix = "CREATE SCHEMA " + schema + "; SET search_path = " + schema + ";";
    db(pipeline().source()).exec(prefix + setup);
    awaitConverged(schema);
    if (keeps != null) {
      for (PgUrl remote : pipeline().remotes().values()) {
        db(remote).exec("INSERT INTO " + schema + "." + keeps + " (id) VALUES (42)");
      }
    }

    // ";;" separates transactions: each is a commit of its own
    for (String transaction : change.formatted(schema).split(";;")) {
      db(pipeline().source()).exec("SET search_path = " + schema + ";" + transaction);
    }
    awaitConverged(schema);
    if (keeps != null) {
      for (PgUrl remote : pipeline().remotes().values()) {
        assertEquals("1", db(remote).value("SELECT count(*) FROM " + schema + "." + keeps + " WHERE id = 42"), "the remote kept its row");
      }
    }
  }

  @Test
  void aKindNotMigratedYetIsNamedAndCountedOnTheSyncResult() {
    db(pipeline().source()).exec("CREATE FUNCTION pair_eq(int, int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2'",
        "CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = pair_eq)");
    List<SyncResult> results = TopicReader.read(pipeline().bootstrapServers(), Topics.SYNC_RESULTS.name(),
        Topics.SYNC_RESULTS.valueSerde().deserializer(), read -> read.stream().anyMatch(r -> r.getRemote().equals("r1")
            && r.getMessage() != null && r.getMessage().contains("not migrated yet (1): operator")), CONVERGE);
    SyncResult named = results.stream().filter(r -> r.getRemote().equals("r1") && r.getMessage() != null
        && r.getMessage().contains("not migrated yet (1): operator")).findFirst().orElseThrow();
    assertEquals("applied", named.getStatus(), "what could be applied was, and verified; the operator is named, not dropped silently");
  }

  /**
   * Last, with every case's schema in the source: a new database beside each remote, migrated by {@code diff} from
   * nothing to the source, has nothing left to migrate (across releases where the remote runs another: diff compares
   * as one release writes both) and, on the same release, hashes as the source does.
   */
  @Test
  @Order(Order.DEFAULT + 1)
  void aNewDatabaseMigratedByDiffToTheSourceHashesAsTheSource() throws Exception {
    String source = pipeline().source().toUriWithPassword();
    String sourceHash = GitversionProcess.run("hash", source).stdout();
    for (Map.Entry<String, PgUrl> remote : pipeline().remotes().entrySet()) {
      db(remote.getValue()).exec("CREATE DATABASE diffed");
      String fresh = remote.getValue().withDatabase("diffed").toUriWithPassword();
      GitversionProcess.Result diff = GitversionProcess.run("diff", "--from", fresh, "--to", source);
      assertEquals(0, diff.exitCode(), remote.getKey() + ": " + diff.stderrLines());
      TestDatabase migrated = TestDatabase.at(fresh).exec(diff.stdout());
      GitversionProcess.Result again = GitversionProcess.run("diff", "--from", fresh, "--to", source);
      assertEquals("", again.stdout(), remote.getKey() + ": nothing left to migrate");
      assertTrue(again.stderrLines().contains("gitversion: no differences"), remote.getKey() + ": " + again.stderrLines());
      if (migrated.serverMajor() == db(pipeline().source()).serverMajor()) {
        assertEquals(sourceHash, GitversionProcess.run("hash", fresh).stdout(), remote.getKey() + " migrated by diff");
      }
    }
  }

  private static TestDatabase db(PgUrl url) {
    return TestDatabase.at(url.toUriWithPassword());
  }

  /** Waits until every remote has the source's hashes and catalog for the schema; fails naming what differs. */
  private void awaitConverged(String schema) throws Exception {
    long deadline = System.nanoTime() + CONVERGE.toNanos();
    String differs = null;
    while (System.nanoTime() < deadline) {
      differs = difference(schema);
      if (differs == null) {
        return;
      }
      Thread.sleep(200);
    }
    List<SyncResult> failures = TopicReader.read(pipeline().bootstrapServers(), Topics.SYNC_RESULTS.name(),
        Topics.SYNC_RESULTS.valueSerde().deserializer(), read -> true, Duration.ofSeconds(2)).stream()
        .filter(r -> !List.of("applied", "duplicate").contains(r.getStatus())).toList();
    fail("remotes did not converge on " + schema + ": " + differs + "\nunapplied: " + failures);
  }

  /**
   * What differs between the source and a remote in the schema, or null. Across releases a view's query is compared
   * as the remote's server writes the source's (CrossRelease), and the catalog read leaves view texts out (its
   * columns stay in) and an owner's MAINTAIN (PostgreSQL 17 added it to what an owner holds of a relation).
   */
  private String difference(String schema) throws Exception {
    SchemaModel source;
    try (var c = db(pipeline().source()).connect()) {
      source = new Inspector(c).inspect(Set.of());
    }
    int sourceMajor = db(pipeline().source()).serverMajor();
    for (Map.Entry<String, PgUrl> remote : pipeline().remotes().entrySet()) {
      boolean sameRelease = db(remote.getValue()).serverMajor() == sourceMajor;
      Map<String, String> sourceHashes;
      Map<String, String> hashes;
      try (var c = db(remote.getValue()).connect()) {
        SchemaModel model = new Inspector(c).inspect(Set.of());
        hashes = inSchema(model, schema);
        sourceHashes = inSchema(sameRelease ? source : CrossRelease.align(c, model, source), schema);
      }
      if (!hashes.equals(sourceHashes)) {
        return remote.getKey() + " hashes " + hashes + " vs source " + sourceHashes;
      }
      String catalog = catalog(remote.getValue(), schema, sameRelease);
      String sourceCatalog = catalog(pipeline().source(), schema, sameRelease);
      if (!catalog.equals(sourceCatalog)) {
        return remote.getKey() + " catalog\n" + catalog + "\nvs source\n" + sourceCatalog;
      }
    }
    return null;
  }

  private static Map<String, String> inSchema(SchemaModel model, String schema) {
    Map<String, String> all = new TreeMap<>(model.hashes());
    all.keySet().removeIf(id -> !id.contains(schema + ".") && !id.equals("schema " + schema));
    return all;
  }

  /** The schema's catalog as PostgreSQL states it: relations, columns, constraints, indexes, policies, types, grants. */
  private static String catalog(PgUrl url, String schema, boolean viewTexts) {
    String sql = """
        SELECT string_agg(line, E'\\n' ORDER BY line) FROM (
          SELECT 'rel ' || c.relname || ' ' || c.relkind::text || ' rls=' || c.relrowsecurity || '/' || c.relforcerowsecurity
                 || ' ident=' || c.relreplident::text || ' opts=' || coalesce(c.reloptions::text, '') || ' acl=' || coalesce(CASE WHEN %2$s THEN c.relacl::text ELSE replace(c.relacl::text, 'm/', '/') END, '')
                 || ' part=' || coalesce(pg_get_partkeydef(c.oid), '') || ' bound=' || coalesce(pg_get_expr(c.relpartbound, c.oid), '')
                 || ' parents=' || coalesce((SELECT string_agg(p.inhparent::regclass::text, ',') FROM pg_inherits p WHERE p.inhrelid = c.oid), '')
                 || ' view=' || CASE WHEN %2$s THEN coalesce(pg_get_viewdef(c.oid), '') ELSE '' END || ' owner=' || pg_get_userbyid(c.relowner) AS line
            FROM pg_class c WHERE c.relnamespace = '%1$s'::regnamespace AND c.relkind <> 'S'
          UNION ALL
          SELECT 'nsp ' || nspname || ' owner=' || pg_get_userbyid(nspowner) || ' acl=' || coalesce(nspacl::text, '')
            FROM pg_namespace WHERE oid = '%1$s'::regnamespace
          UNION ALL
          SELECT 'fn ' || p.oid::regprocedure || ' owner=' || pg_get_userbyid(p.proowner) || ' acl=' || coalesce(p.proacl::text, '')
            FROM pg_proc p WHERE p.pronamespace = '%1$s'::regnamespace
          UNION ALL
          SELECT 'col ' || a.attrelid::regclass || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                 || ' notnull=' || a.attnotnull || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
                 || ' acl=' || coalesce(a.attacl::text, '') || ' local=' || a.attislocal
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE c.relnamespace = '%1$s'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
          UNION ALL
          SELECT 'con ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
           WHERE connamespace = '%1$s'::regnamespace
          UNION ALL
          SELECT 'idx ' || pg_get_indexdef(i.indexrelid) || ' clustered=' || i.indisclustered || ' replident=' || i.indisreplident
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = '%1$s'::regnamespace
          UNION ALL
          SELECT 'pol ' || tablename || ' ' || policyname || ' ' || cmd || ' ' || coalesce(qual, '') FROM pg_policies WHERE schemaname = '%1$s'
          UNION ALL
          SELECT 'seq ' || sequencename || ' ' || increment_by || ' ' || max_value || ' owner=' || sequenceowner
            FROM pg_sequences WHERE schemaname = '%1$s'
          UNION ALL
          SELECT 'type ' || t.typname || ' ' || t.typtype::text || ' ' || coalesce((SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder)
                   FROM pg_enum WHERE enumtypid = t.oid), '')
                 || coalesce((SELECT string_agg(attname || ':' || format_type(atttypid, atttypmod), ',' ORDER BY attnum)
                   FROM pg_attribute WHERE attrelid = t.typrelid AND t.typtype = 'c'), '')
                 || coalesce((SELECT string_agg(pg_get_constraintdef(oid), ',') FROM pg_constraint WHERE contypid = t.oid), '')
            FROM pg_type t WHERE t.typnamespace = '%1$s'::regnamespace AND t.typtype IN ('e', 'd', 'c')
             AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
        ) lines
        """.formatted(schema, viewTexts);
    String exists = db(url).value("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'");
    return "0".equals(exists) ? "(no schema)" : String.valueOf(db(url).value(sql));
  }
}
