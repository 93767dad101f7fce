package io.gitversion.processor.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.ddl.Ownership;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.schemas.Author;
import io.gitversion.schemas.DdlEvent;
import io.gitversion.schemas.DdlRecord;
import io.gitversion.schemas.ObjectVersion;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A commit's forward SQL, from the rows the source captures: one migration over the commit's objects, renames first. */
class CommitPlannerTest {
  /** A row as objects/KIND.sql renders it (the fields the planner reads). */
  static String row(String kind, String name, String identity, String table, String ddl, String extra) {
    return """
        {"kind": "%s", "schema": "public", "name": "%s", "identity": "%s", "tbl": %s, "ddl": "%s", "deps": [],
         "comment": null, "extra": %s, "snapshot": null, "canonical": "%s"}
        """.formatted(kind, name, identity, table == null ? "null" : "\"" + table + "\"", ddl, extra, ddl);
  }

  /** A table of one integer column as objects/table.sql renders it, with privileges beyond the defaults. */
  static String table(String name, String acl) {
    String snapshot = """
        {"kind": "table", "schema": "public", "name": "%s", "persistence": "p",
         "columns": [{"num": 1, "name": "id", "type": "integer", "notNull": false, "definition": "id integer"}]}
        """.formatted(name);
    String tail = acl == null ? "" : "\\n-- acl " + acl;
    return """
        {"kind": "table", "schema": "public", "name": "%s", "identity": "%s", "tbl": null, "ddl": "CREATE TABLE public.%s (id integer);",
         "deps": ["schema public"], "comment": null, "extra": {"acl": %s, "replicaIdentity": "d", "localColumns": ["id"]}, "snapshot": %s,
         "canonical": "CREATE TABLE public.%s (id integer);%s", "tail": "%s"}
        """.formatted(name, name, name, acl == null ? "null" : "\"" + acl + "\"", snapshot, name, tail, tail);
  }

  static DbObject object(String json) {
    return Snapshots.object(json);
  }

  /** The forward SQL of a commit that changed one object. */
  static List<String> plan(DbObject before, DbObject after) {
    return CommitPlanner.plan(List.of(new CommitPlanner.Touched(before, after)), touched -> List.of(), Ownership.changesBy("app")).statements();
  }

  static DbObject view(String owner) {
    return object("""
        {"kind": "view", "schema": "public", "name": "ov", "identity": "ov", "tbl": null, "ddl": "CREATE VIEW public.ov AS  SELECT 1 AS one;",
         "deps": ["schema public"], "comment": null, "extra": {"acl": null, "owner": "%s", "materialized": false},
         "snapshot": null, "canonical": "CREATE VIEW public.ov AS  SELECT 1 AS one;", "tail": ""}
        """.formatted(owner));
  }

  @Test
  void aNewOwnerIsStatedThoughTheHashStays() {
    assertEquals(List.of("ALTER VIEW \"public\".\"ov\" OWNER TO \"gv_owner\";"), plan(view("app"), view("gv_owner")));
    assertEquals(List.of(), plan(view("gv_owner"), view("gv_owner")));
  }

  @Test
  void aNewObjectsOwnerIsStatedUnlessItIsTheRoleThatRanTheCommit() {
    assertEquals(List.of("CREATE VIEW public.ov AS  SELECT 1 AS one;"), plan(null, view("app")));
    assertEquals(List.of("CREATE VIEW public.ov AS  SELECT 1 AS one;", "ALTER VIEW \"public\".\"ov\" OWNER TO \"gv_owner\";"),
        plan(null, view("gv_owner")));
  }

  @Test
  void aRenamedIndexIsRenamedNotRebuilt() {
    DbObject before = object(row("index", "orders_client", "orders_client", "orders",
        "CREATE INDEX orders_client ON public.orders USING btree (client);", "{}"));
    DbObject after = object(row("index", "orders_by_client", "orders_by_client", "orders",
        "CREATE INDEX orders_by_client ON public.orders USING btree (client);", "{}"));
    assertEquals(List.of("ALTER INDEX \"public\".\"orders_client\" RENAME TO \"orders_by_client\";"), plan(before, after));
  }

  @Test
  void aConstraintThatMovedWithItsRenamedTableNeedsNothing() {
    DbObject before = object(row("constraint", "orders_pkey", "orders.orders_pkey", "orders",
        "ALTER TABLE public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);", "{\"type\": \"p\"}"));
    DbObject after = object(row("constraint", "orders_pkey", "purchases.orders_pkey", "purchases",
        "ALTER TABLE public.purchases ADD CONSTRAINT orders_pkey PRIMARY KEY (id);", "{\"type\": \"p\"}"));
    assertEquals(List.of(), plan(before, after));
  }

  @Test
  void aChangedFunctionIsReplacedAndANewConstraintAdded() {
    DbObject f1 = object(row("function", "f", "f(integer)", null, "CREATE OR REPLACE FUNCTION public.f(x integer) ... 1", "{\"prokind\": \"f\"}"));
    DbObject f2 = object(row("function", "f", "f(integer)", null, "CREATE OR REPLACE FUNCTION public.f(x integer) ... 2", "{\"prokind\": \"f\"}"));
    List<String> replaced = plan(f1, f2);
    assertTrue(replaced.contains("CREATE OR REPLACE FUNCTION public.f(x integer) ... 2"), replaced.toString());
    DbObject check = object(row("constraint", "positive", "t.positive", "t", "ALTER TABLE public.t ADD CONSTRAINT positive CHECK ((n > 0));",
        "{\"type\": \"c\", \"validated\": true, \"definition\": \"CHECK ((n > 0))\"}"));
    assertEquals(List.of("ALTER TABLE public.t ADD CONSTRAINT positive CHECK ((n > 0));"), plan(null, check),
        "no function, no SET check_function_bodies");
  }

  @Test
  void aCommitIsOneMigrationAndWhatLivesOnADroppedTableGoesWithIt() {
    Map<String, ObjectVersion> state = new HashMap<>();
    Author author = Author.newBuilder().setRole("postgres").build();
    String sequence = row("sequence", "t_id_seq", "t_id_seq", null,
        "CREATE SEQUENCE public.t_id_seq AS integer INCREMENT BY 1;", "{\"ownedBy\": \"public.t.id\"}");
    DdlEvent create = DdlEvent.newBuilder().setEventId("db:1:1").setDatabase("db").setTxId(1).setCommitLsn(1).setCapturedAt(Instant.now())
        .setAuthor(author).setRecords(List.of(
            record(1, "sequence", "t_id_seq", null, 10, "create", sequence),
            record(2, "table", "t", null, 11, "create", table("t", null)),
            record(3, "constraint", "t_pkey", "t.t_pkey", 12, "create", row("constraint", "t_pkey", "t.t_pkey", "t",
                "ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);", "{\"type\": \"p\"}")))).build();
    CommitBuilder.Result created = CommitBuilder.build(create, state::get, null).orElseThrow();
    created.versions().forEach(v -> state.put(v.getObjectKey(), v));
    assertEquals(List.of("CREATE SEQUENCE public.t_id_seq AS integer INCREMENT BY 1;", "CREATE TABLE \"public\".\"t\" (\n    id integer\n);",
            "ALTER SEQUENCE \"public\".\"t_id_seq\" OWNED BY public.t.id;", "ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);"),
        created.commit().getForwardSql(), "one migration: the sequence, its table, then its ownership and the key");
    assertEquals(List.of("CREATE SEQUENCE public.t_id_seq AS integer INCREMENT BY 1;", "ALTER SEQUENCE \"public\".\"t_id_seq\" OWNED BY public.t.id;"),
        created.commit().getChanges().get(0).getForwardSql(), "each change names the statements written for its object");

    DdlEvent drop = DdlEvent.newBuilder().setEventId("db:2:2").setDatabase("db").setTxId(2).setCommitLsn(2).setCapturedAt(Instant.now())
        .setAuthor(author).setRecords(List.of(
            record(4, "table", "t", null, 11, "drop", null),
            record(5, "constraint", "t_pkey", "t.t_pkey", 12, "drop", null))).build();
    CommitBuilder.Result dropped = CommitBuilder.build(drop, state::get, created.commit().getId()).orElseThrow();
    assertTrue(dropped.commit().getForwardSql().stream().noneMatch(s -> s.contains("t_pkey")), dropped.commit().getForwardSql().toString());
    assertTrue(dropped.commit().getForwardSql().contains("DROP TABLE \"public\".\"t\";"), dropped.commit().getForwardSql().toString());
    assertEquals(List.of(), dropped.commit().getChanges().get(1).getForwardSql(), "the key goes with its table");
  }

  @Test
  void aGrantOnATableIsForwardedAsAGrant() {
    DbObject before = object(table("t", "+reader:INSERT"));
    DbObject after = object(table("t", "+PUBLIC:SELECT, +reader:INSERT*"));
    assertEquals(List.of("REVOKE INSERT ON TABLE \"public\".\"t\" FROM \"reader\";",
            "GRANT SELECT ON TABLE \"public\".\"t\" TO PUBLIC;", "GRANT INSERT ON TABLE \"public\".\"t\" TO \"reader\" WITH GRANT OPTION;"),
        plan(before, after));
  }

  private static DdlRecord record(long seq, String kind, String name, String identity, long oid, String action, String definition) {
    return DdlRecord.newBuilder().setSeq(seq).setCommandTag("DDL").setKind(kind).setSchema$("public").setName(name)
        .setIdentity(identity == null ? name : identity).setOid(oid).setAction(action).setDefinition(definition)
        .setHash(definition == null ? null : "h" + seq).build();
  }
}
