package io.gitversion.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SqlTest {
  @Test
  void quotesEveryIdentifierAndDoublesEmbeddedQuotes() {
    assertEquals("\"orders\"", Sql.ident("orders"));
    assertEquals("\"Order Items\"", Sql.ident("Order Items"));
    assertEquals("\"a\"\"b\"", Sql.ident("a\"b"));
    assertEquals("\"select\"", Sql.ident("select"));
    assertEquals("\"s.x\".\"t\"", Sql.qualified("s.x", "t"));
  }

  @Test
  void quotesLiteralsSoBackslashesMeanTheSameEverywhere() {
    assertEquals("'it''s'", Sql.literal("it's"));
    assertEquals("E'a\\\\b'", Sql.literal("a\\b"));
    assertEquals("NULL", Sql.literal(null));
  }

  @Test
  void refusesWhatCannotBeAName() {
    assertThrows(IllegalArgumentException.class, () -> Sql.ident(""));
    assertThrows(IllegalArgumentException.class, () -> Sql.ident("a\0b"));
    assertEquals("\"" + "é".repeat(31) + "x\"", Sql.ident("é".repeat(31) + "x"), "63 bytes is still a name");
    assertThrows(IllegalArgumentException.class, () -> Sql.ident("é".repeat(32)), "64 bytes would be truncated by the server");
  }
}
