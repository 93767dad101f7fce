package io.gitversion.processor.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.schemas.Author;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.DdlEvent;
import io.gitversion.schemas.DdlRecord;
import io.gitversion.schemas.ObjectVersion;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forward SQL of captured changes of kinds other than tables, from the rows the source captures. */
class ObjectPlansTest {
  /** A row as objects.sql renders it (the fields the planner reads). */
  static String row(String kind, String name, String identity, String table, String ddl, String extra) {
    return """
        {"kind": "%s", "schema": "public", "name": "%s", "identity": "%s", "tbl": %s, "ddl": "%s", "deps": [],
         "comment": null, "extra": %s, "snapshot": null, "canonical": "%s"}
        """.formatted(kind, name, identity, table == null ? "null" : "\"" + table + "\"", ddl, extra, ddl);
  }

  static DbObject object(String json) {
    return Snapshots.object(json);
  }

  @Test
  void aRenamedIndexIsRenamedNotRebuilt() {
    DbObject before = object(row("index", "orders_client", "orders_client", "orders",
        "CREATE INDEX orders_client ON public.orders USING btree (client);", "{}"));
    DbObject after = object(row("index", "orders_by_client", "orders_by_client", "orders",
        "CREATE INDEX orders_by_client ON public.orders USING btree (client);", "{}"));
    assertEquals(List.of("ALTER INDEX \"public\".\"orders_client\" RENAME TO \"orders_by_client\";"),
        ObjectPlans.plan(before, after).statements());
  }

  @Test
  void aConstraintThatMovedWithItsRenamedTableNeedsNothing() {
    DbObject before = object(row("constraint", "orders_pkey", "orders.orders_pkey", "orders",
        "ALTER TABLE public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);", "{\"type\": \"p\"}"));
    DbObject after = object(row("constraint", "orders_pkey", "purchases.orders_pkey", "purchases",
        "ALTER TABLE public.purchases ADD CONSTRAINT orders_pkey PRIMARY KEY (id);", "{\"type\": \"p\"}"));
    assertEquals(List.of(), ObjectPlans.plan(before, after).statements());
  }

  @Test
  void aChangedFunctionIsReplacedAndANewConstraintAdded() {
    DbObject f1 = object(row("function", "f", "f(integer)", null, "CREATE OR REPLACE FUNCTION public.f(x integer) ... 1", "{\"prokind\": \"f\"}"));
    DbObject f2 = object(row("function", "f", "f(integer)", null, "CREATE OR REPLACE FUNCTION public.f(x integer) ... 2", "{\"prokind\": \"f\"}"));
    List<String> replaced = ObjectPlans.plan(f1, f2).statements();
    assertTrue(replaced.contains("CREATE OR REPLACE FUNCTION public.f(x integer) ... 2"), replaced.toString());
    DbObject check = object(row("constraint", "positive", "t.positive", "t", "ALTER TABLE public.t ADD CONSTRAINT positive CHECK ((n > 0));",
        "{\"type\": \"c\", \"validated\": true, \"definition\": \"CHECK ((n > 0))\"}"));
    assertEquals(List.of("ALTER TABLE public.t ADD CONSTRAINT positive CHECK ((n > 0));"), ObjectPlans.plan(null, check).statements());
  }

  @Test
  void whatLivesOnATableDroppedInTheSameTransactionGoesWithItAndASerialIsOwnedAfterItsTable() {
    Map<String, ObjectVersion> state = new HashMap<>();
    Author author = Author.newBuilder().setRole("postgres").build();
    String sequence = row("sequence", "t_id_seq", "t_id_seq", null,
        "CREATE SEQUENCE public.t_id_seq AS integer INCREMENT BY 1;", "{\"ownedBy\": \"public.t.id\"}");
    DdlEvent create = DdlEvent.newBuilder().setEventId("db:1:1").setDatabase("db").setTxId(1).setCommitLsn(1).setCapturedAt(Instant.now())
        .setAuthor(author).setRecords(List.of(
            record(1, "sequence", "t_id_seq", null, 10, "create", sequence),
            table(2, "t", 11, "create"),
            record(3, "constraint", "t_pkey", "t.t_pkey", 12, "create", row("constraint", "t_pkey", "t.t_pkey", "t",
                "ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);", "{\"type\": \"p\"}")))).build();
    CommitBuilder.Result created = CommitBuilder.build(create, state::get, null).orElseThrow();
    created.versions().forEach(v -> state.put(v.getObjectKey(), v));
    List<String> sql = created.commit().getChanges().stream().flatMap(c -> c.getForwardSql().stream()).toList();
    assertEquals(List.of("CREATE SEQUENCE public.t_id_seq AS integer INCREMENT BY 1;", "CREATE TABLE \"public\".\"t\" (\n    \"id\" integer\n);",
        "ALTER SEQUENCE \"public\".\"t_id_seq\" OWNED BY public.t.id;", "ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);"), sql);

    DdlEvent drop = DdlEvent.newBuilder().setEventId("db:2:2").setDatabase("db").setTxId(2).setCommitLsn(2).setCapturedAt(Instant.now())
        .setAuthor(author).setRecords(List.of(
            table(4, "t", 11, "drop"),
            record(5, "constraint", "t_pkey", "t.t_pkey", 12, "drop", null))).build();
    List<Change> dropped = CommitBuilder.build(drop, state::get, created.commit().getId()).orElseThrow().commit().getChanges();
    assertEquals(List.of("DROP TABLE \"public\".\"t\";"), dropped.get(0).getForwardSql());
    assertEquals(List.of(), dropped.get(1).getForwardSql(), "the key went with its table");
  }

  @Test
  void aGrantOnATableIsForwardedAsAGrant() {
    String row = """
        {"kind": "table", "schema": "public", "name": "t", "identity": "t", "tbl": null, "ddl": "CREATE TABLE ...", "deps": [],
         "comment": null, "extra": {"acl": "%s"}, "snapshot": {"kind": "table", "schema": "public", "name": "t", "persistence": "p",
         "columns": [{"num": 1, "name": "id", "type": "integer", "notNull": false}]}, "canonical": "CREATE TABLE ..."}
        """;
    DbObject before = object(row.formatted("+reader:INSERT"));
    DbObject after = object(row.formatted("+PUBLIC:SELECT, +reader:INSERT*"));
    assertEquals(List.of("REVOKE INSERT ON TABLE \"public\".\"t\" FROM \"reader\";",
            "GRANT SELECT ON TABLE \"public\".\"t\" TO PUBLIC;", "GRANT INSERT ON TABLE \"public\".\"t\" TO \"reader\" WITH GRANT OPTION;"),
        ObjectPlans.tableExtras(before, after).stream().map(io.gitversion.catalog.ddl.Step::sql).toList());
  }

  private static DdlRecord table(long seq, String name, long oid, String action) {
    String snapshot = "{\"kind\": \"table\", \"schema\": \"public\", \"name\": \"" + name + "\", \"persistence\": \"p\", \"columns\": "
        + "[{\"num\": 1, \"name\": \"id\", \"type\": \"integer\", \"notNull\": false, \"definition\": \"\\\"id\\\" integer\"}]}";
    return DdlRecord.newBuilder().setSeq(seq).setCommandTag(action.equals("drop") ? "DROP TABLE" : "CREATE TABLE").setKind("table")
        .setSchema$("public").setName(name).setIdentity(name).setOid(oid).setAction(action)
        .setSnapshot(action.equals("drop") ? null : snapshot).setHash(action.equals("drop") ? null : "h" + seq).build();
  }

  private static DdlRecord record(long seq, String kind, String name, String identity, long oid, String action, String definition) {
    return DdlRecord.newBuilder().setSeq(seq).setCommandTag("DDL").setKind(kind).setSchema$("public").setName(name)
        .setIdentity(identity == null ? name : identity).setOid(oid).setAction(action).setDefinition(definition)
        .setHash(definition == null ? null : "h" + seq).build();
  }
}
