package io.gitversion.processor.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitversion.catalog.ddl.Step;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The source's USING expressions, read from its statements, in place of the planner's casts. */
class UsingClausesTest {
  @Test
  void readsEachRetypedColumnsExpressionWithItsTable() {
    assertEquals(Map.of("Foobar.some_time_col", "to_timestamp(\"some_time_col\" / 1000)"), UsingClauses.of(
        "ALTER TABLE \"public\".\"Foobar\" ALTER COLUMN \"some_time_col\" SET DATA TYPE timestamp without time zone "
            + "using to_timestamp(\"some_time_col\" / 1000);\nANALYZE \"public\".\"Foobar\" (\"some_time_col\");"));
    assertEquals(Map.of("t.a", "CASE WHEN a = ',' THEN 0 ELSE length(a) END", "t.b", "b::int"), UsingClauses.of(
        "alter table only t alter a type int using CASE WHEN a = ',' THEN 0 ELSE length(a) END, alter column b type int using b::int,"
            + " add column c int -- a comment, USING nothing"));
    assertEquals(Map.of(), UsingClauses.of("ALTER TABLE t ALTER COLUMN a SET DEFAULT 1; CREATE INDEX i ON t USING btree (a)"));
  }

  @Test
  void replacesThePlannersCastForTheSameTableAndColumn() {
    Step planned = new Step("ALTER TABLE \"public\".\"Foobar\" ALTER COLUMN \"some_time_col\" TYPE timestamp without time zone"
        + " USING \"some_time_col\"::timestamp without time zone;", java.util.Set.of(), "table public.Foobar");
    Step other = Step.of("ALTER TABLE \"public\".\"other\" ALTER COLUMN \"some_time_col\" TYPE text USING \"some_time_col\"::text;");
    List<Step> steps = UsingClauses.apply(List.of(planned, other),
        List.of("ALTER TABLE \"Foobar\" ALTER COLUMN some_time_col TYPE timestamp USING to_timestamp(some_time_col / 1000)"));
    assertEquals(List.of("SET LOCAL search_path = \"public\", public;\nALTER TABLE \"public\".\"Foobar\" ALTER COLUMN \"some_time_col\""
        + " TYPE timestamp without time zone USING to_timestamp(some_time_col / 1000);\nSET LOCAL search_path TO DEFAULT;", other.sql()),
        steps.stream().map(Step::sql).toList());
    assertEquals("table public.Foobar", steps.get(0).object());
  }
}
