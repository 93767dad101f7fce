package io.gitversion.catalog.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.model.Column;
import io.gitversion.catalog.model.Relation;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablePlannerTest {
  static Column col(int num, String name, String type) {
    // the definition as snapshot.sql renders a plain column
    return new Column(num, name, type, false, null, null, null, null, null, null, "\"" + name + "\" " + type);
  }

  static Relation table(String name, Column... columns) {
    return new Relation("table", "public", name, "p", List.of(columns));
  }

  @Test
  void createKeepsTheSourceColumnOrder() {
    Plan plan = TablePlanner.plan(null, table("t", col(2, "b", "text"), col(1, "a", "integer")));
    assertEquals(List.of("CREATE TABLE \"public\".\"t\" (\n    \"a\" integer,\n    \"b\" text\n);"), plan.statements());
  }

  @Test
  void renamedColumnIsRenamedNotDroppedAndAdded() {
    Plan plan = TablePlanner.plan(table("t", col(1, "a", "integer"), col(2, "email", "text")),
        table("t", col(1, "a", "integer"), col(2, "email_address", "text")));
    assertEquals(List.of("ALTER TABLE \"public\".\"t\" RENAME COLUMN \"email\" TO \"email_address\";"), plan.statements());
    assertTrue(plan.hazards().contains(Hazard.BREAKS_CLIENTS));
  }

  @Test
  void renamedTableIsRenamedAndLaterStepsUseTheNewName() {
    Plan plan = TablePlanner.plan(table("old", col(1, "a", "integer")), table("new", col(1, "a", "bigint")));
    assertEquals(List.of(
        "ALTER TABLE \"public\".\"old\" RENAME TO \"new\";",
        "ALTER TABLE \"public\".\"new\" ALTER COLUMN \"a\" TYPE bigint USING \"a\"::bigint;"), plan.statements());
  }

  @Test
  void droppedColumnAndTableAreMarkedAsDataLoss() {
    Plan dropColumn = TablePlanner.plan(table("t", col(1, "a", "integer"), col(2, "b", "text")), table("t", col(1, "a", "integer")));
    assertEquals(List.of("ALTER TABLE \"public\".\"t\" DROP COLUMN \"b\";"), dropColumn.statements());
    assertTrue(dropColumn.hazards().contains(Hazard.DATA_LOSS));
    Plan dropTable = TablePlanner.plan(table("t", col(1, "a", "integer")), null);
    assertEquals(List.of("DROP TABLE \"public\".\"t\";"), dropTable.statements());
    assertTrue(dropTable.hazards().contains(Hazard.DATA_LOSS));
  }

  @Test
  void defaultAndNullabilityChangesAreStepsOfTheirOwnAndANewNotNullIsValidated() {
    Column before = col(1, "a", "integer");
    Column after = new Column(1, "a", "integer", true, "0", null, null, null, null, null, "\"a\" integer DEFAULT 0 NOT NULL");
    Plan plan = TablePlanner.plan(table("t", before), table("t", after));
    assertEquals(List.of(
        "ALTER TABLE \"public\".\"t\" ALTER COLUMN \"a\" SET NOT NULL;",
        "ALTER TABLE \"public\".\"t\" ALTER COLUMN \"a\" SET DEFAULT 0;"), plan.statements());
    assertEquals(java.util.Set.of(Hazard.VALIDATION), plan.steps().get(0).hazards());
    assertEquals(List.of("ALTER TABLE \"public\".\"t\" ALTER COLUMN \"a\" DROP DEFAULT;", "ALTER TABLE \"public\".\"t\" ALTER COLUMN \"a\" SET DEFAULT 1;"),
        TablePlanner.plan(table("t", after), table("t", new Column(1, "a", "integer", true, "1", null, null, null, null, null, "\"a\" integer DEFAULT 1 NOT NULL"))).statements());
  }

}
