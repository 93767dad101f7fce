package io.gitversion.catalog.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaMapTest {
  private final SchemaMap map = SchemaMap.of(Map.of("app", "tenant_7", "Big", "Small"));

  @Test
  void replacesASchemaWhereItQualifiesANameAsPrintedAndAsWritten() {
    assertEquals("CREATE VIEW \"tenant_7\".\"v\" AS SELECT t.id FROM tenant_7.t JOIN other.app USING (id);",
        map.text("CREATE VIEW \"app\".\"v\" AS SELECT t.id FROM app.t JOIN other.app USING (id);"));
    assertEquals("nextval('tenant_7.t_id_seq'::regclass)", map.text("nextval('app.t_id_seq'::regclass)"));
    assertEquals("SELECT * FROM \"Small\".t, \"Small\".u, myapp.t", map.text("SELECT * FROM \"Big\".t, \"Big\".u, myapp.t"));
    assertEquals("CREATE TABLE tenant_7.t (app integer)", map.text("CREATE TABLE app.t (app integer)"), "a column named app stays");
  }

  @Test
  void aMappedSchemasOwnStatementsNameItBare() {
    assertEquals("CREATE SCHEMA \"tenant_7\";", map.statement("CREATE SCHEMA \"app\";", "schema null.app"));
    assertEquals("GRANT USAGE ON SCHEMA tenant_7 TO reader;", map.statement("GRANT USAGE ON SCHEMA app TO reader;", "schema null.app"));
    assertEquals("schema null.tenant_7", map.id("schema null.app"));
    assertEquals("table tenant_7.t", map.id("table app.t"));
    assertEquals("table other.t", map.id("table other.t"));
  }

  @Test
  void aMappedObjectIsTheSameObjectUnderTheOtherSchema() {
    DbObject view = new DbObject("view", "app", "v", "v", null, "CREATE VIEW app.v AS SELECT 1", List.of("table app.t", "schema null.app"),
        null, null, null, "CREATE VIEW app.v AS SELECT 1\nGRANT SELECT ON app.v TO r", "GRANT SELECT ON app.v TO r");
    DbObject mapped = map.object(view);
    assertEquals("view tenant_7.v", mapped.id());
    assertEquals(List.of("table tenant_7.t", "schema null.tenant_7"), mapped.deps());
    assertEquals("CREATE VIEW tenant_7.v AS SELECT 1\nGRANT SELECT ON tenant_7.v TO r", mapped.canonical());
    assertEquals("GRANT SELECT ON tenant_7.v TO r", mapped.tail());
    assertEquals(Sha256.of(mapped.canonical()), mapped.hash());
    assertEquals(view, SchemaMap.none().object(view));
  }
}
