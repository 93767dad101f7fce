package io.gitversion.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.gitversion.catalog.ddl.Canonical;
import io.gitversion.catalog.ddl.Plan;
import io.gitversion.catalog.ddl.TablePlanner;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.catalog.model.Relation;
import io.gitversion.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CatalogIT {
  /** Names that break naive SQL generation; the last is 63 bytes, PostgreSQL's limit. */
  static final List<String> HOSTILE_NAMES = List.of("we\"ird", "with space", "dot.ted", "ünïcödé", "UPPER", "select",
      "x".repeat(63));

  static EmbeddedPostgres pg;

  @BeforeAll
  static void start() {
    pg = EmbeddedPostgres.start("catalog");
  }

  @AfterAll
  static void stop() {
    if (pg != null) pg.close();
  }

  static Map<String, String> hashes(String database) throws SQLException {
    try (Connection c = Database.connect(PgUrl.parse(pg.createDatabase(database)))) {
      Map<String, String> tables = new java.util.TreeMap<>();
      new Inspector(c).inspect(java.util.Set.of()).hashes().forEach((id, hash) -> {
        if (id.startsWith("table ")) tables.put(id.substring("table ".length()), hash);
      });
      return tables;
    }
  }

  static void run(String database, String... statements) throws SQLException {
    try (Connection c = Database.connect(PgUrl.parse(pg.createDatabase(database))); Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  @Test
  void inspectingLeavesTheCallersSearchPathAsItWas() throws SQLException {
    try (Connection c = Database.connect(PgUrl.parse(pg.createDatabase("session_kept"))); Statement st = c.createStatement()) {
      st.execute("SET search_path = \"$user\", public");
      new Inspector(c).inspect(java.util.Set.of());
      new Inspector(c).tables();
      var rs = st.executeQuery("SHOW search_path");
      rs.next();
      assertEquals("\"$user\", public", rs.getString(1));
    }
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
    try (Connection c = Database.connect(PgUrl.parse(pg.createDatabase("hostile_source")))) {
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
            col.notNull(), col.defaultExpr(), col.generated(), col.identity(), col.collation())).toList());
    run("hostile_target", TablePlanner.plan(source, renamed).statements().toArray(String[]::new));
    try (Connection c = Database.connect(PgUrl.parse(pg.createDatabase("hostile_target")))) {
      Relation live = new Inspector(c).tables().get(0);
      assertEquals("select", live.name());
      assertEquals(renamed.columns().stream().map(col -> col.name()).sorted().toList(),
          live.columns().stream().map(col -> col.name()).sorted().toList());
    }
  }
}
