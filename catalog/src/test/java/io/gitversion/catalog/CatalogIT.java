package io.gitversion.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.gitversion.catalog.ddl.Plan;
import io.gitversion.catalog.ddl.TablePlanner;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.catalog.inspect.LiveHashes;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectHash;
import io.gitversion.catalog.model.Relation;
import io.gitversion.catalog.model.SchemaHashes;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.embedded.testing.PostgresServer;
import io.gitversion.embedded.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CatalogIT {
  /** Names that break naive SQL generation; the last is 63 bytes, PostgreSQL's limit. */
  static final List<String> HOSTILE_NAMES = List.of("we\"ird", "with space", "dot.ted", "ünïcödé", "UPPER", "select",
      "x".repeat(63));

  @RegisterExtension static final PostgresServer pg = PostgresServer.named("catalog");

  static Map<String, String> hashes(String database) throws SQLException {
    try (Connection c = Database.connect(PgUrl.parse(pg.database(database).url()))) {
      Map<String, String> tables = new java.util.TreeMap<>();
      new Inspector(c).inspect(java.util.Set.of()).hashes().forEach((id, hash) -> {
        if (id.startsWith("table ")) tables.put(id.substring("table ".length()), hash);
      });
      return tables;
    }
  }

  static void run(String database, String... statements) {
    pg.database(database).exec(statements);
  }

  /**
   * An ICU collation's locale, which each release keeps in another column (colllocale on 17, colliculocale on 15 and 16,
   * collcollate on 14): on 14 it was written as '' and the collation replicated as ICU's root (the replay on 14).
   */
  @Test
  void anIcuCollationIsWrittenWithItsLocaleOnEveryRelease() throws SQLException {
    try (io.gitversion.embedded.EmbeddedPostgres older =
             io.gitversion.embedded.EmbeddedPostgres.start("icu14", io.gitversion.embedded.PostgresBinaries.major(14))) {
      for (TestDatabase db : List.of(pg.database("icu"), TestDatabase.at(older.createDatabase("icu")))) {
        db.exec("CREATE COLLATION public.numeric (provider = icu, locale = 'en-u-kn-true')");
        try (Connection c = db.connect()) {
          DbObject collation = new Inspector(c).inspect(Set.of()).objects().get("collation public.numeric");
          assertEquals("CREATE COLLATION public.\"numeric\" (provider = icu, locale = 'en-u-kn-true');", collation.ddl(),
              "PostgreSQL " + db.serverMajor());
        }
      }
    }
  }

  @Test
  void inspectingLeavesTheCallersSearchPathAsItWas() throws SQLException {
    try (Connection c = Database.connect(PgUrl.parse(pg.database("session_kept").url())); Statement st = c.createStatement()) {
      st.execute("SET search_path = \"$user\", public");
      new Inspector(c).inspect(java.util.Set.of());
      new Inspector(c).tables();
      var rs = st.executeQuery("SHOW search_path");
      rs.next();
      assertEquals("\"$user\", public", rs.getString(1));
    }
  }

  @Test
  void theHashOnlyInspectionGivesTheModelsHashesTextsAndStateHash() throws SQLException {
    PgUrl url = PgUrl.parse(pg.database("hash_only").url());
    run("hash_only",
        "CREATE SCHEMA shop",
        "CREATE TYPE shop.mood AS ENUM ('ok', 'sad')",
        "CREATE DOMAIN shop.positive AS integer CHECK (VALUE > 0)",
        "CREATE SEQUENCE shop.tickets START 100",
        "CREATE TABLE shop.items (id int PRIMARY KEY, qty shop.positive DEFAULT 1, mood shop.mood, name text UNIQUE CHECK (name <> ''))",
        "CREATE TABLE shop.events (at date NOT NULL, item int REFERENCES shop.items (id)) PARTITION BY RANGE (at)",
        "CREATE TABLE shop.events_2026 PARTITION OF shop.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        "CREATE INDEX events_item ON shop.events (item) WHERE item > 0",
        "CREATE VIEW shop.big AS SELECT id, name FROM shop.items WHERE qty > 10",
        "CREATE MATERIALIZED VIEW shop.counts AS SELECT item, count(*) FROM shop.events GROUP BY item",
        "CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
        "CREATE TRIGGER touch BEFORE UPDATE ON shop.items FOR EACH ROW EXECUTE FUNCTION shop.touch()",
        "ALTER TABLE shop.items ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY mine ON shop.items USING (qty > 0)",
        "COMMENT ON TABLE shop.items IS 'what we sell'",
        "GRANT SELECT ON shop.items TO PUBLIC",
        "CREATE TABLE public.elsewhere (id bigint GENERATED ALWAYS AS IDENTITY, note text COLLATE \"C\")");
    SchemaModel model = Inspector.inspect(url, Set.of());
    for (boolean withTexts : new boolean[] {false, true}) {
      SchemaHashes hashes = Inspector.hashes(url, Set.of(), withTexts);
      assertEquals(model.hashes(), hashes.objects().stream().collect(Collectors.toMap(ObjectHash::id, ObjectHash::hash,
          (a, b) -> a, java.util.LinkedHashMap::new)));
      assertEquals(List.copyOf(model.objects().keySet()), hashes.objects().stream().map(ObjectHash::id).toList(), "id order");
      assertEquals(model.stateHash(), hashes.stateHash());
      for (ObjectHash o : hashes.objects()) {
        DbObject same = model.objects().get(o.id());
        assertEquals(withTexts ? same.canonical() : null, o.canonical(), o.id());
        assertEquals(List.of(same.kind(), same.schema(), same.name(), same.identity()), List.of(o.kind(), o.schema(), o.name(), o.identity()));
      }
    }
    assertEquals(18, model.objects().keySet().stream().filter(id -> id.contains(" shop.")).count(), model.objects().keySet().toString());
    SchemaHashes shop = Inspector.hashes(url, Set.of("shop"), false);
    assertEquals(model.objects().keySet().stream().filter(id -> id.contains(" shop.")).toList(),
        shop.objects().stream().map(ObjectHash::id).toList());
    assertEquals(Inspector.inspect(url, Set.of("shop")).stateHash(), shop.stateHash());
  }

  @Test
  void sameTableBuiltByDifferentStatementsHashesTheSame() throws SQLException {
    run("built_once", "create table public.accounts (id bigint not null, email varchar(200) default 'x', note text)");
    run("built_by_history",
        "CREATE TABLE accounts (id BIGINT, obsolete int)",
        "ALTER TABLE accounts ADD COLUMN Draft TEXT",
        "ALTER TABLE accounts RENAME COLUMN draft TO note",
        "ALTER TABLE accounts ALTER COLUMN id SET NOT NULL",
        "ALTER TABLE accounts DROP COLUMN obsolete",
        "ALTER TABLE accounts ADD COLUMN email character varying(200)",
        "ALTER TABLE accounts ALTER COLUMN email SET DEFAULT 'x'");
    run("really_different", "create table accounts (id bigint not null, email varchar(201) default 'x', note text)");
    Map<String, String> once = hashes("built_once");
    assertEquals(once, hashes("built_by_history"));
    assertNotEquals(once.get("public.accounts"), hashes("really_different").get("public.accounts"));
  }

  /** A new name of at most 63 bytes, still hostile. */
  static String renamedColumn(String name) {
    return name.length() > 60 ? "Y\"".repeat(21) : name + " 2";
  }

  @Test
  void hostileNamesRoundTripThroughPlanAndApply() throws SQLException {
    StringBuilder columns = new StringBuilder();
    for (String name : HOSTILE_NAMES) {
      columns.append(columns.length() == 0 ? "" : ", ").append(Sql.ident(name)).append(" text default ").append(Sql.literal("it's " + name));
    }
    run("hostile_source", "CREATE SCHEMA " + Sql.ident("My Schema"),
        "CREATE TABLE " + Sql.qualified("My Schema", "we\"ird.Table") + " (" + columns + ")");
    Relation source;
    try (Connection c = Database.connect(PgUrl.parse(pg.database("hostile_source").url()))) {
      source = new Inspector(c).tables().get(0);
    }
    assertEquals(HOSTILE_NAMES, source.columns().stream().map(col -> col.name()).toList());

    Plan create = TablePlanner.plan(null, source);
    run("hostile_target", "CREATE SCHEMA " + Sql.ident("My Schema"));
    run("hostile_target", create.statements().toArray(String[]::new));
    assertEquals(hashes("hostile_source"), hashes("hostile_target"));

    // and renames of hostile names go through the same quoting
    Relation renamed = new Relation(source.kind(), source.schema(), "select", source.persistence(),
        source.columns().stream().map(col -> new io.gitversion.catalog.model.Column(col.num(), renamedColumn(col.name()), col.type(),
            col.notNull(), col.defaultExpr(), col.generated(), col.identity(), col.collation(), col.statistics(), col.identityOptions(),
            null)).toList()); // renamed only: no column is written out
    run("hostile_target", TablePlanner.plan(source, renamed).statements().toArray(String[]::new));
    try (Connection c = Database.connect(PgUrl.parse(pg.database("hostile_target").url()))) {
      Relation live = new Inspector(c).tables().get(0);
      assertEquals("select", live.name());
      assertEquals(renamed.columns().stream().map(col -> col.name()).sorted().toList(),
          live.columns().stream().map(col -> col.name()).sorted().toList());
    }
  }

  @Test
  void objectsReadByIdHaveTheHashesTheWholeInspectionGivesAndAbsentOnesNone() throws SQLException {
    TestDatabase db = pg.database("by_id").exec(
        "CREATE SCHEMA shop",
        "CREATE TYPE shop.mood AS ENUM ('ok', 'sad')",
        "CREATE DOMAIN shop.positive AS integer CHECK (VALUE > 0)",
        "CREATE TYPE shop.pair AS (a integer, b text)",
        "CREATE COLLATION shop.plain (provider = libc, locale = 'C')",
        "CREATE EXTENSION citext SCHEMA shop",
        "CREATE SEQUENCE shop.tickets",
        "CREATE TABLE shop.items (id int PRIMARY KEY, qty shop.positive, name text UNIQUE CHECK (name <> ''))",
        "CREATE TABLE shop.\"odd.name\" (item int REFERENCES shop.items (id))",
        "CREATE INDEX odd_item ON shop.\"odd.name\" (item)",
        "CREATE VIEW shop.big AS SELECT id FROM shop.items WHERE qty > 10",
        "CREATE MATERIALIZED VIEW shop.counts AS SELECT item, count(*) FROM shop.\"odd.name\" GROUP BY item",
        "CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
        "CREATE FUNCTION shop.add(a integer, b shop.positive) RETURNS integer LANGUAGE sql AS 'SELECT a + b'",
        "CREATE TRIGGER touch BEFORE UPDATE ON shop.items FOR EACH ROW EXECUTE FUNCTION shop.touch()",
        "CREATE RULE no_delete AS ON DELETE TO shop.\"odd.name\" DO INSTEAD NOTHING",
        "CREATE POLICY mine ON shop.items USING (qty > 0)");
    try (Connection c = db.connect()) {
      SchemaModel model = new Inspector(c).inspect(Set.of("shop"));
      List<DbObject> objects = List.copyOf(model.objects().values());
      Map<String, String> byId = new LiveHashes(c).of(objects);
      assertEquals(model.hashes(), byId, "every kind read by its id hashes as the whole inspection");
      assertEquals(21, byId.size(), byId.keySet().toString());
      db.exec("DROP TABLE shop.\"odd.name\" CASCADE", "DROP FUNCTION shop.add(integer, shop.positive)");
      Map<String, String> after = new LiveHashes(c).of(objects);
      assertEquals(null, after.get("table shop.odd.name"), "a dropped table is absent");
      assertEquals(null, after.get("function shop.add(integer, shop.positive)"));
      assertEquals(model.hashes().get("table shop.items"), after.get("table shop.items"));
    }
  }

  /**
   * A plain index and a primary key are written by the inspection's own SQL, not by pg_get_indexdef and
   * pg_get_constraintdef (objects/index.sql, constraint.sql): the text must be PostgreSQL's exactly, or every stored
   * hash would change. Every variant either way, each compared with what PostgreSQL's functions write.
   */
  @Test
  void indexesAndKeysAreWrittenExactlyAsPostgresqlWritesThem() throws SQLException {
    TestDatabase db = pg.database("index_texts").exec(
        "CREATE SCHEMA \"Odd Schema\"",
        "CREATE DOMAIN \"Odd Schema\".code AS text",
        "CREATE TABLE \"Odd Schema\".\"select\" (\"we\"\"ird\" int, \"with space\" text, \"UPPER\" varchar(10), v \"Odd Schema\".code,"
            + " t tsvector, r int4range, a int[], j jsonb, ts timestamptz, PRIMARY KEY (\"with space\", \"we\"\"ird\") DEFERRABLE INITIALLY DEFERRED)",
        "CREATE INDEX plain ON \"Odd Schema\".\"select\" (\"we\"\"ird\", \"with space\")",
        "CREATE INDEX \"Desc\" ON \"Odd Schema\".\"select\" (\"we\"\"ird\" DESC)",
        "CREATE INDEX nulls_first ON \"Odd Schema\".\"select\" (\"we\"\"ird\" NULLS FIRST)",
        "CREATE INDEX collated ON \"Odd Schema\".\"select\" (\"with space\" COLLATE \"C\")",
        "CREATE INDEX pattern ON \"Odd Schema\".\"select\" (\"with space\" text_pattern_ops)",
        "CREATE INDEX coerced ON \"Odd Schema\".\"select\" (\"UPPER\")",
        "CREATE INDEX on_domain ON \"Odd Schema\".\"select\" (v)",
        "CREATE INDEX included ON \"Odd Schema\".\"select\" (\"we\"\"ird\") INCLUDE (ts)",
        "CREATE INDEX partial ON \"Odd Schema\".\"select\" (ts) WHERE \"we\"\"ird\" > 0",
        "CREATE INDEX expression ON \"Odd Schema\".\"select\" (lower(\"with space\"))",
        "CREATE INDEX with_options ON \"Odd Schema\".\"select\" (ts) WITH (fillfactor = 70)",
        "CREATE UNIQUE INDEX uniq ON \"Odd Schema\".\"select\" (ts)",
        "CREATE INDEX hashed ON \"Odd Schema\".\"select\" USING hash (\"with space\")",
        "CREATE INDEX gin_default ON \"Odd Schema\".\"select\" USING gin (j)",
        "CREATE INDEX gin_path ON \"Odd Schema\".\"select\" USING gin (j jsonb_path_ops)",
        "CREATE INDEX gin_array ON \"Odd Schema\".\"select\" USING gin (a)",
        "CREATE INDEX gist_sig ON \"Odd Schema\".\"select\" USING gist (t tsvector_ops (siglen = 100))",
        "CREATE INDEX gist_range ON \"Odd Schema\".\"select\" USING gist (r)",
        "CREATE INDEX brin ON \"Odd Schema\".\"select\" USING brin (ts)",
        "CREATE TABLE public.keyed (id bigint PRIMARY KEY, code text, CONSTRAINT code_key UNIQUE (code))",
        "CREATE TABLE public.wide_key (a int, b int, c int, PRIMARY KEY (b, a) INCLUDE (c))",
        "CREATE TABLE public.parted (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
        "CREATE TABLE public.parted_2026 PARTITION OF public.parted FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        "CREATE INDEX parted_at ON public.parted (at)",
        "CREATE MATERIALIZED VIEW public.counts AS SELECT code, count(*) AS n FROM public.keyed GROUP BY code",
        "CREATE INDEX counts_code ON public.counts (code)");
    if (db.serverMajor() >= 15) {
      db.exec("CREATE UNIQUE INDEX uniq_nnd ON \"Odd Schema\".\"select\" (\"UPPER\") NULLS NOT DISTINCT");
    }
    try (Connection c = db.connect()) {
      SchemaModel model = new Inspector(c).inspect(Set.of());
      Map<String, String> postgres = new java.util.TreeMap<>();
      try (Statement st = c.createStatement()) {
        st.execute("SET search_path = pg_catalog");
        try (var rs = st.executeQuery("SELECT 'index ' || n.nspname || '.' || ic.relname, pg_get_indexdef(i.indexrelid) || ';'"
            + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace"
            + " WHERE n.nspname IN ('Odd Schema', 'public')")) {
          while (rs.next()) {
            postgres.put(rs.getString(1), rs.getString(2));
          }
        }
        try (var rs = st.executeQuery("SELECT 'constraint ' || n.nspname || '.' || t.relname || '.' || co.conname, pg_get_constraintdef(co.oid)"
            + " FROM pg_constraint co JOIN pg_class t ON t.oid = co.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
            + " WHERE n.nspname IN ('Odd Schema', 'public')")) {
          while (rs.next()) {
            postgres.put(rs.getString(1), rs.getString(2));
          }
        }
      }
      int indexes = 0;
      int keys = 0;
      for (DbObject o : model.objects().values()) {
        if (o.kind() == io.gitversion.catalog.model.ObjectKind.INDEX) {
          assertEquals(postgres.get(o.id()), o.ddl(), o.id());
          indexes++;
        } else if (o.kind() == io.gitversion.catalog.model.ObjectKind.CONSTRAINT) {
          assertEquals(postgres.get(o.id()), o.extraText("definition"), o.id());
          keys++;
        }
      }
      assertEquals(db.serverMajor() >= 15 ? 23 : 22, indexes, "every index variant inspected");
      assertEquals(6, keys, "every key inspected");
    }
  }
}
