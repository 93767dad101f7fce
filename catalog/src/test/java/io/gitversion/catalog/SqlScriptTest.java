package io.gitversion.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
  @Test
  void splitsOnSemicolonsOutsideQuotesDollarQuotesAndComments() {
    String script = """
        -- a comment; with a semicolon
        CREATE TABLE "a;b" (note text DEFAULT 'x;y''z');
        CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;
        /* a /* nested; */ comment */ SELECT $1;
        ;
        """;
    assertEquals(List.of("-- a comment; with a semicolon\nCREATE TABLE \"a;b\" (note text DEFAULT 'x;y''z');",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;",
        "/* a /* nested; */ comment */ SELECT $1;"), SqlScript.statements(script));
  }
}
