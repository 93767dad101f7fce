package io.gitversion.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.gitversion.catalog.ddl.TablePlanner;
import io.gitversion.catalog.model.Sha256;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.embedded.testing.PostgresServer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Randomly generated schemas, each built two different ways (one statement per object, or a history of ALTERs in
 * another order, other case and spacing): the same objects must hash the same, and one real change must change
 * exactly the hash of the object it touches.
 */
class HashStabilityIT {
  static final String[] TYPES = {"integer", "bigint", "text", "varchar(40)", "numeric(12,2)", "boolean", "timestamptz", "date",
      "jsonb", "uuid", "double precision", "smallint"};
  @RegisterExtension static final PostgresServer pg = PostgresServer.named("hashes");

  record Col(String name, String type, boolean notNull, String dflt) {}

  record Table(String name, List<Col> cols, boolean withCheck, boolean withIndex, String fkTo) {}

  static List<Table> generate(Random random) {
    List<Table> tables = new ArrayList<>();
    int count = 3 + random.nextInt(5);
    for (int t = 0; t < count; t++) {
      List<Col> cols = new ArrayList<>();
      cols.add(new Col("id", "bigint", true, null));
      int n = 1 + random.nextInt(6);
      for (int c = 0; c < n; c++) {
        String type = TYPES[random.nextInt(TYPES.length)];
        String dflt = switch (type) {
          case "integer", "bigint", "smallint" -> random.nextBoolean() ? String.valueOf(random.nextInt(100)) : null;
          case "text" -> random.nextBoolean() ? "'x'" : null;
          case "boolean" -> random.nextBoolean() ? "false" : null;
          default -> null;
        };
        cols.add(new Col("c" + c + "_" + type.replaceAll("[^a-z]", ""), type, random.nextBoolean(), dflt));
      }
      tables.add(new Table("t" + t, cols, random.nextBoolean(), random.nextBoolean(), t > 0 && random.nextBoolean() ? "t" + random.nextInt(t) : null));
    }
    return tables;
  }

  /** Way one: each table in one CREATE with everything inline. */
  static List<String> buildInline(List<Table> tables) {
    List<String> sql = new ArrayList<>();
    for (Table t : tables) {
      List<String> parts = new ArrayList<>();
      for (Col c : t.cols()) {
        parts.add(c.name() + " " + c.type() + (c.dflt() == null ? "" : " DEFAULT " + c.dflt()) + (c.notNull() ? " NOT NULL" : ""));
      }
      parts.add("CONSTRAINT " + t.name() + "_pkey PRIMARY KEY (id)");
      if (t.withCheck()) parts.add("CONSTRAINT " + t.name() + "_id_check CHECK (id > 0)");
      if (t.fkTo() != null) parts.add("CONSTRAINT " + t.name() + "_fk FOREIGN KEY (id) REFERENCES " + t.fkTo() + " (id)");
      sql.add("create table " + t.name() + " (" + String.join(", ", parts) + ")");
      if (t.withIndex()) sql.add("create index " + t.name() + "_idx on " + t.name() + " (" + t.cols().get(t.cols().size() - 1).name() + ")");
    }
    return sql;
  }

  /** Way two: a history of ALTERs, columns added in reverse order, a scratch column dropped, other case and spacing. */
  static List<String> buildByHistory(List<Table> tables) {
    List<String> sql = new ArrayList<>();
    for (Table t : tables) {
      sql.add("CREATE   TABLE  " + t.name().toUpperCase() + " ( Scratch INT )");
      List<Col> reversed = new ArrayList<>(t.cols());
      Collections.reverse(reversed);
      for (Col c : reversed) {
        sql.add("ALTER TABLE " + t.name() + " ADD COLUMN " + c.name().toUpperCase() + "   " + c.type().toUpperCase());
        if (c.dflt() != null) sql.add("ALTER TABLE " + t.name() + " ALTER COLUMN " + c.name() + " SET DEFAULT " + c.dflt());
        if (c.notNull()) sql.add("ALTER TABLE " + t.name() + " ALTER COLUMN " + c.name() + " SET NOT NULL");
      }
      sql.add("ALTER TABLE " + t.name() + " DROP COLUMN scratch");
      sql.add("ALTER TABLE " + t.name() + " ADD CONSTRAINT " + t.name() + "_pkey PRIMARY KEY (ID)");
    }
    for (Table t : tables) {  // constraints and indexes after all tables, in another order
      if (t.withIndex()) sql.add("CREATE INDEX " + t.name() + "_idx ON " + t.name() + " USING btree (" + t.cols().get(t.cols().size() - 1).name() + ")");
      if (t.fkTo() != null) sql.add("ALTER TABLE " + t.name() + " ADD CONSTRAINT " + t.name() + "_fk FOREIGN KEY (ID) REFERENCES " + t.fkTo());
      if (t.withCheck()) sql.add("ALTER TABLE " + t.name() + " ADD CONSTRAINT " + t.name() + "_id_check CHECK ((id > 0))");
    }
    return sql;
  }

  static Map<String, String> hashes(String database, List<String> statements) throws Exception {
    PgUrl url = PgUrl.parse(pg.database(database).exec(statements.toArray(String[]::new)).url());
    try (Connection c = Database.connect(url)) {
      SchemaModel model = new Inspector(c).inspect(Set.of());
      // the server hashes what it renders (text_hash, as the capture trigger does): the JVM's SHA-256 of the same text
      for (DbObject o : model.objects().values()) {
        assertEquals(Sha256.of(o.canonical()), o.serverHash(), o.id());
      }
      Map<String, String> oneSession = new TreeMap<>(model.hashes());
      // the two-session inspection the CLI uses (one exported snapshot) sees exactly the same objects
      assertEquals(oneSession, new TreeMap<>(Inspector.inspect(url, Set.of()).hashes()), database);
      // and the hash-only inspection that gitversion inspect and hash use gives the same hashes
      assertEquals(model.stateHash(), Inspector.hashes(url, Set.of(), false).stateHash(), database);
      return oneSession;
    }
  }

  @Test
  void randomSchemasBuiltTwoWaysHashTheSameAndOneChangeMovesExactlyOneHash() throws Exception {
    long seed = Long.getLong("hash.seed", System.nanoTime());
    for (int round = 0; round < 5; round++) {
      Random random = new Random(seed + round);
      List<Table> tables = generate(random);
      String context = "seed " + (seed + round) + ": " + tables;
      Map<String, String> inline = hashes("inline_" + round, buildInline(tables));
      Map<String, String> history = hashes("history_" + round, buildByHistory(tables));
      assertEquals(inline, history, context);

      // one real change: a column of one table gets another type
      Table victim = tables.get(random.nextInt(tables.size()));
      Col col = victim.cols().get(victim.cols().size() - 1);
      List<String> changed = new ArrayList<>(buildInline(tables));
      String newType = col.type().equals("text") ? "varchar(41)" : "text";
      changed.add("ALTER TABLE " + victim.name() + " ALTER COLUMN " + col.name() + " DROP DEFAULT");
      changed.add("ALTER TABLE " + victim.name() + " ALTER COLUMN " + col.name() + " TYPE " + newType + " USING NULL");
      if (col.dflt() != null) changed.add("ALTER TABLE " + victim.name() + " ALTER COLUMN " + col.name() + " SET DEFAULT " + col.dflt());
      Map<String, String> after = hashes("changed_" + round, changed);
      assertEquals(inline.keySet(), after.keySet(), context);
      List<String> moved = inline.keySet().stream().filter(id -> !inline.get(id).equals(after.get(id))).toList();
      List<String> expected = List.of("table public." + victim.name()); // indexes and constraints print no column types
      assertEquals(expected, moved.stream().sorted().toList(), context);
      assertNotEquals(inline.get("table public." + victim.name()), after.get("table public." + victim.name()));
    }
  }
}
