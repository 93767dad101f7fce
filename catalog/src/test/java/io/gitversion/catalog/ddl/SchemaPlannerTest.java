package io.gitversion.catalog.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.SchemaModel;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The planner's rules on models built in memory, where a real server adds nothing (SchemaPlannerIT applies plans to
 * real databases): which objects are re-created, in which order the steps come, and how each kind is named.
 */
class SchemaPlannerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static DbObject object(String kind, String name, String table, String ddl, List<String> deps, String facts) throws Exception {
    return new DbObject(kind, "s", name, table == null ? name : table + "." + name, table, ddl, deps, null,
        JSON.readTree(facts), null, ddl + "\n-- facts: " + facts, null);
  }

  static DbObject table(String name, String... columns) {
    StringBuilder snapshot = new StringBuilder("{\"kind\":\"table\",\"schema\":\"s\",\"name\":\"" + name + "\",\"columns\":[");
    StringBuilder ddl = new StringBuilder("CREATE TABLE \"s\".\"" + name + "\" (");
    StringBuilder local = new StringBuilder();
    for (int i = 0; i < columns.length; i++) {
      String[] c = columns[i].split(" ", 2);
      snapshot.append(i == 0 ? "" : ",").append("{\"num\":").append(i + 1).append(",\"name\":\"").append(c[0])
          .append("\",\"type\":\"").append(c[1]).append("\",\"notNull\":false}");
      ddl.append(i == 0 ? "" : ", ").append('"').append(c[0]).append("\" ").append(c[1]);
      local.append(i == 0 ? "" : ",").append('"').append(c[0]).append('"');
    }
    try {
      return new DbObject("table", "s", name, name, null, ddl + ");", List.of("schema s.s"), null,
          JSON.readTree("{\"localColumns\":[" + local + "]}"), snapshot + "]}", ddl + ");", null);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static SchemaModel model(DbObject... objects) {
    return SchemaModel.of(List.of(objects));
  }

  @Test
  void theSameModelNeedsNoStep() throws Exception {
    DbObject view = object("view", "v", null, "CREATE VIEW \"s\".\"v\" AS SELECT 1;", List.of(), "{}");
    assertTrue(SchemaPlanner.plan(model(table("t", "a integer"), view), model(table("t", "a integer"), view)).isEmpty());
  }

  /** A view owned by {@code owner}: the owner is a fact outside the canonical text (and the hash). */
  static DbObject ownedView(String owner) throws Exception {
    String ddl = "CREATE VIEW \"s\".\"v\" AS SELECT 1;";
    return new DbObject("view", "s", "v", "v", null, ddl, List.of(), null, JSON.readTree("{\"owner\":\"" + owner + "\"}"), null, ddl, null);
  }

  @Test
  void ownersAreLeftAloneUnlessAskedAndThenStatedWhereTheyDiffer() throws Exception {
    assertTrue(SchemaPlanner.plan(model(ownedView("a")), model(ownedView("b"))).isEmpty());
    assertEquals(List.of("SET check_function_bodies = false;", "ALTER VIEW \"s\".\"v\" OWNER TO \"b\";"),
        SchemaPlanner.plan(model(ownedView("a")), model(ownedView("b")), Ownership.ALL).statements());
    assertEquals(List.of("SET check_function_bodies = false;", ownedView("b").ddl(), "ALTER VIEW \"s\".\"v\" OWNER TO \"b\";"),
        SchemaPlanner.plan(model(), model(ownedView("b")), Ownership.ALL).statements());
    // a commit's: a new object of the role that ran it needs no statement (it is the applying role's on the remote)
    assertEquals(List.of("SET check_function_bodies = false;", ownedView("b").ddl()),
        SchemaPlanner.plan(model(), model(ownedView("b")), Ownership.changesBy("b")).statements());
  }

  @Test
  void aSequenceLinkedToAColumnOfAnotherRolesTableIsGivenThatOwnerFirst() throws Exception {
    String ddl = "CREATE SEQUENCE \"s\".\"t_a_seq\";";
    DbObject sequence = new DbObject("sequence", "s", "t_a_seq", "t_a_seq", null, ddl, List.of(), null,
        JSON.readTree("{\"owner\":\"b\",\"ownedBy\":\"s.\\\"T.x\\\".a\"}"), null, ddl, null);
    String tableDdl = "CREATE TABLE \"s\".\"T.x\" (\"a\" integer);";
    DbObject table = new DbObject("table", "s", "T.x", "T.x", null, tableDdl, List.of(), null,
        JSON.readTree("{\"owner\":\"b\",\"localColumns\":[\"a\"]}"),
        "{\"kind\":\"table\",\"schema\":\"s\",\"name\":\"T.x\",\"columns\":[{\"num\":1,\"name\":\"a\",\"type\":\"integer\",\"notNull\":false}]}",
        tableDdl, null);
    String align = "DO $gitversion$ BEGIN EXECUTE pg_catalog.format('ALTER SEQUENCE %s OWNER TO %I', '\"s\".\"t_a_seq\"', "
        + "pg_catalog.pg_get_userbyid((SELECT relowner FROM pg_catalog.pg_class WHERE oid = 's.\"T.x\"'::pg_catalog.regclass))); END $gitversion$;";
    String link = "ALTER SEQUENCE \"s\".\"t_a_seq\" OWNED BY s.\"T.x\".a;";
    // b's table exists: a commit by a gives the new sequence b's ownership there before linking it
    assertEquals(List.of("SET check_function_bodies = false;", ddl, align, link),
        SchemaPlanner.plan(model(table), model(table, sequence), Ownership.changesBy("a")).statements());
    // by b itself, or without owners stated: the sequence is the applying role's, as the table is
    assertEquals(List.of("SET check_function_bodies = false;", ddl, link),
        SchemaPlanner.plan(model(table), model(table, sequence), Ownership.changesBy("b")).statements());
    assertEquals(List.of("SET check_function_bodies = false;", ddl, link), SchemaPlanner.plan(model(table), model(table, sequence)).statements());
  }

  @Test
  void aViewOverARetypedColumnIsDroppedBeforeAndMadeAgainAfter() throws Exception {
    DbObject view = object("view", "v", null, "CREATE VIEW \"s\".\"v\" AS SELECT a FROM s.t;", List.of("table s.t"), "{}");
    List<String> sql = SchemaPlanner.plan(model(table("t", "a integer"), view), model(table("t", "a bigint"), view)).statements();
    int drop = sql.indexOf("DROP VIEW \"s\".\"v\";");
    int alter = indexOfStart(sql, "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"a\" TYPE bigint");
    int create = sql.indexOf(view.ddl());
    assertTrue(drop >= 0 && drop < alter && alter < create, String.join("\n", sql));
  }

  @Test
  void whatLivesOnADroppedTableGoesWithIt() throws Exception {
    DbObject index = object("index", "t_a", "t", "CREATE INDEX t_a ON s.t USING btree (a);", List.of("table s.t"), "{}");
    Plan plan = SchemaPlanner.plan(model(table("t", "a integer"), index), model());
    assertEquals(List.of("SET check_function_bodies = false;", "DROP TABLE \"s\".\"t\";"), plan.statements());
    assertEquals(Set.of(Hazard.DATA_LOSS, Hazard.BREAKS_CLIENTS), plan.steps().get(1).hazards());
  }

  @Test
  void anEnumThatGainsValuesIsAlteredInPlaceAndOneThatLosesOneIsSwapped() throws Exception {
    DbObject ab = object("type", "e", null, "CREATE TYPE \"s\".\"e\" AS ENUM ('a', 'b');", List.of(), "{\"typtype\":\"e\",\"labels\":[\"a\",\"b\"]}");
    DbObject abc = object("type", "e", null, "CREATE TYPE \"s\".\"e\" AS ENUM ('a', 'b', 'c');", List.of(), "{\"typtype\":\"e\",\"labels\":[\"a\",\"b\",\"c\"]}");
    assertEquals(List.of("SET check_function_bodies = false;", "ALTER TYPE \"s\".\"e\" ADD VALUE 'c' AFTER 'b';"),
        SchemaPlanner.plan(model(ab), model(abc)).statements());
    List<String> swap = SchemaPlanner.plan(model(abc), model(ab)).statements();
    assertEquals(List.of("SET check_function_bodies = false;", "ALTER TYPE \"s\".\"e\" RENAME TO \"e__gitversion_old\";", ab.ddl(),
        "DROP TYPE \"s\".\"e__gitversion_old\";"), swap);
  }

  @Test
  void privilegesBecomeGrantsAndRevokesOnTheObjectAsGrantNamesIt() throws Exception {
    DbObject before = object("view", "v", null, "CREATE MATERIALIZED VIEW \"s\".\"v\" AS SELECT 1;", List.of(),
        "{\"materialized\":true,\"acl\":\"+reader:SELECT\"}");
    DbObject after = object("view", "v", null, "CREATE MATERIALIZED VIEW \"s\".\"v\" AS SELECT 1;", List.of(),
        "{\"materialized\":true,\"acl\":\"+writer:INSERT*\"}");
    assertEquals(List.of("REVOKE SELECT ON TABLE \"s\".\"v\" FROM \"reader\";", "GRANT INSERT ON TABLE \"s\".\"v\" TO \"writer\" WITH GRANT OPTION;"),
        PrivilegeSteps.of(before, after).stream().map(Step::sql).toList());
  }

  @Test
  void eachKindIsNamedAsDropCommentAndAlterNameIt() throws Exception {
    DbObject matview = object("view", "v", null, "CREATE MATERIALIZED VIEW \"s\".\"v\" AS SELECT 1;", List.of(), "{\"materialized\":true}");
    DbObject domain = object("type", "d", null, "CREATE DOMAIN \"s\".\"d\" AS integer;", List.of(), "{\"typtype\":\"d\"}");
    DbObject trigger = object("trigger", "tr", "t", "CREATE TRIGGER tr ...;", List.of("table s.t"), "{}");
    DbObject aggregate = object("function", "total", null, "CREATE OR REPLACE AGGREGATE s.total(*) (...);", List.of(),
        "{\"prokind\":\"a\",\"signature\":\"s.total(*)\"}");
    assertEquals("MATERIALIZED VIEW \"s\".\"v\"", ObjectKind.VIEW.target(matview));
    assertEquals("DOMAIN \"s\".\"d\"", domain.kind().target(domain));
    assertEquals("TRIGGER \"tr\" ON \"s\".\"t\"", trigger.kind().target(trigger));
    assertEquals("AGGREGATE s.total(*)", aggregate.kind().target(aggregate));
    assertEquals("FUNCTION s.total()", aggregate.kind().grantTarget(aggregate), "GRANT has no AGGREGATE, and no (*)");
    assertEquals(null, trigger.kind().grantTarget(trigger));
  }

  private static int indexOfStart(List<String> sql, String prefix) {
    for (int i = 0; i < sql.size(); i++) {
      if (sql.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
