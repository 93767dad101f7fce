package io.gitversion.catalog.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compact form an inspection keeps (facts as text, the statement as a prefix of the canonical text) reads the same. */
class DbObjectTest {
  private static final String DDL = "CREATE VIEW \"s\".\"v\" AS SELECT 1;";
  private static final String FACTS = "{\"acl\": \"+reader:SELECT\", \"materialized\": false}";
  private static final String TAIL = "\n-- privileges: +reader:SELECT\n-- comment: hi";
  private static final String CANONICAL = DDL + TAIL;

  private static DbObject parsed(String canonical) throws Exception {
    return new DbObject("view", "s", "v", "v", null, DDL, List.of("schema s"), "hi", new ObjectMapper().readTree(FACTS),
        null, canonical, TAIL);
  }

  @Test
  void factsKeptAsTextReadAsTheParsedOnes() throws Exception {
    DbObject text = DbObject.withExtraText("view", "s", "v", "v", null, DDL, List.of("schema s"), "hi", FACTS, null, CANONICAL,
        TAIL, null);
    assertEquals("+reader:SELECT", text.extraText("acl"));
    assertEquals("false", text.extraText("materialized"));
    assertEquals(parsed(CANONICAL).extra(), text.extra());
    assertEquals(parsed(CANONICAL), text);
    assertEquals(DDL, text.body());
  }

  @Test
  void absentFactsAreAnEmptyObjectAndUnreadableOnesNameTheObject() {
    DbObject none = DbObject.withExtraText("schema", "s", "s", "s", null, "CREATE SCHEMA s;", List.of(), null, null, null,
        "CREATE SCHEMA s;", null, null);
    assertTrue(none.extra().isEmpty());
    DbObject broken = DbObject.withExtraText("schema", "s", "s", "s", null, "CREATE SCHEMA s;", List.of(), null, "{oops",
        null, "CREATE SCHEMA s;", null, null);
    IllegalStateException e = assertThrows(IllegalStateException.class, broken::extra);
    assertTrue(e.getMessage().contains("schema s.s"), e.getMessage());
  }

  @Test
  void theBodyIsTheTextBeforeTheTailTheServerRenderedOrAllOfItWhenTheRowHasNone() throws Exception {
    assertEquals(DDL, parsed(CANONICAL).body());
    DbObject legacy = new DbObject("view", "s", "v", "v", null, DDL, List.of(), "hi", new ObjectMapper().readTree(FACTS), null, CANONICAL, null);
    assertEquals(CANONICAL, legacy.body(), "a row recorded before 0.2 has no tail: all of it is compared");
  }

  @Test
  void theStatementIsKeptWhetherOrNotTheCanonicalTextStartsWithIt() throws Exception {
    assertEquals(DDL, parsed(CANONICAL).ddl());
    DbObject other = parsed("-- rendered otherwise\n" + DDL);
    assertEquals(DDL, other.ddl());
    assertEquals("-- rendered otherwise\n" + DDL, other.canonical());
    assertNotEquals(parsed(CANONICAL).canonical(), other.canonical());
  }
}
