package io.gitversion.catalog.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * One object of a database as inspected: its kind, schema and identity (unique within kind and schema; a function's
 * identity includes its argument types, a constraint's its table), the statement that creates it as PostgreSQL
 * deparses it, what it depends on, its comment, and kind-specific facts.
 *
 * @param table the owning table for constraints, indexes, triggers, rules and policies, else null
 * @param ddl the creating statement; null for tables (rendered from their snapshot in {@code extra.snapshot})
 * @param deps ids ({@link #id()}) of objects that must exist first
 */
public record DbObject(String kind, String schema, String name, String identity, String table, String ddl, List<String> deps,
                       String comment, JsonNode extra) {
  public DbObject {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(identity, "identity");
    deps = deps == null ? List.of() : List.copyOf(deps);
  }

  /** Unique within a database: {@code kind schema.identity}. */
  public String id() {
    return kind + " " + schema + "." + identity;
  }

  /** The table's definition (tables only), read from {@code extra.snapshot}. */
  public Relation relation() {
    return Snapshots.relation(extra.get("snapshot"));
  }

  public String extraText(String field) {
    JsonNode node = extra == null ? null : extra.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }
}
