package io.gitversion.catalog.model;

import io.gitversion.catalog.Sql;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Schemas renamed on the way to another database ({@code app} to {@code tenant_7}): an object of schema {@code app}
 * there is the same object in schema {@code tenant_7}. Maps statements and definitions by replacing the schema where
 * it qualifies a name ({@code app.t}, {@code "app"."t"}, {@code 'app.t_id_seq'::regclass}), as PostgreSQL prints it
 * and as {@link Sql} writes it, and a mapped schema's own name in its own statements ({@code CREATE SCHEMA app}).
 * A mapped definition hashes to what the other database's catalog computes for the object there, so a mapped object
 * is verified by hash like any other. Text is matched as text: a literal that spells {@code app.} (not a name) is
 * mapped too, which the hash check then reports rather than hides.
 */
public final class SchemaMap {
  private static final SchemaMap NONE = new SchemaMap(Map.of());
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private final Map<String, String> schemas;
  private final Pattern qualifier;
  private final Pattern word;
  private final Map<String, String> replacements = new LinkedHashMap<>();

  private SchemaMap(Map<String, String> schemas) {
    this.schemas = Map.copyOf(schemas);
    schemas.forEach((from, to) -> {
      replacements.put(Sql.ident(from), Sql.ident(to));
      replacements.put(SchemaModel.printed(from), SchemaModel.printed(to));
    });
    String any = replacements.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote)
        .collect(Collectors.joining("|"));
    this.qualifier = schemas.isEmpty() ? null : Pattern.compile("(?<![\\w$\"])(" + any + ")(?=\\.)");
    this.word = schemas.isEmpty() ? null : Pattern.compile("(?<![\\w$\"])(" + any + ")(?![\\w$\"])");
  }

  /** Each schema {@code from} of the map becomes its value; an empty map maps nothing. */
  public static SchemaMap of(Map<String, String> schemas) {
    return schemas.isEmpty() ? NONE : new SchemaMap(schemas);
  }

  public static SchemaMap none() {
    return NONE;
  }

  public boolean isEmpty() {
    return schemas.isEmpty();
  }

  /** The schemas mapped, from to to. */
  public Map<String, String> schemas() {
    return schemas;
  }

  /** The schema a schema becomes (itself when it is not mapped; null stays null). */
  public String schema(String schema) {
    return schema == null ? null : schemas.getOrDefault(schema, schema);
  }

  /** A statement or a text with the mapped schemas replaced where they qualify a name. */
  public String text(String text) {
    return replace(qualifier, text);
  }

  /** A statement written for the object {@code id}: a mapped schema's own statements name it bare too. */
  public String statement(String sql, String id) {
    if (isEmpty() || sql == null) {
      return sql;
    }
    return id != null && ObjectId.isOfKind(id, ObjectKind.SCHEMA) ? replace(word, sql) : text(sql);
  }

  /** An id ({@code kind schema.identity}) in the mapped schema ({@code schema null.app} for a mapped schema itself). */
  public String id(String id) {
    if (isEmpty() || id == null) {
      return id;
    }
    int space = id.indexOf(' ');
    int dot = id.indexOf('.', space + 1);
    if (space < 0 || dot < 0) {
      return id;
    }
    String kind = id.substring(0, space);
    String schema = id.substring(space + 1, dot);
    String identity = id.substring(dot + 1);
    if (kind.equals(ObjectKind.SCHEMA.label())) {
      return ObjectId.key(kind, schema.equals("null") ? null : schema, schema(identity));
    }
    return ObjectId.key(kind, schema.equals("null") ? null : schema(schema), identity(identity));
  }

  /**
   * An identity under the mapped schemas: a function's or a cast's names types, which a mapped schema qualifies
   * ({@code total(app.orders)} is {@code total(tenant_7.orders)} there); a table's, an index's or a constraint's is a
   * bare name (or {@code table.name}), never qualified, and stays as it is.
   */
  private String identity(String identity) {
    int open = identity.indexOf('(');
    return open < 0 ? identity : identity.substring(0, open) + text(identity.substring(open));
  }

  /** The object as it is in the other database: its schema, its texts, its facts and what it depends on, mapped. */
  public DbObject object(DbObject o) {
    if (isEmpty()) {
      return o;
    }
    boolean self = o.kind() == ObjectKind.SCHEMA && schemas.containsKey(o.name());
    Pattern p = self ? word : qualifier;
    List<String> deps = new ArrayList<>();
    o.deps().forEach(d -> deps.add(id(d)));
    return DbObject.withExtraText(o.kind().label(), schema(o.schema()), self ? schema(o.name()) : o.name(),
        self ? schema(o.identity()) : identity(o.identity()), o.table(), replace(p, o.ddl()), deps, o.comment(), json(o.extraJson()),
        json(o.snapshot()), replace(p, o.canonical()), replace(p, o.tail()), null);
  }

  /** A JSON text (facts, columns) with every string in it mapped as a text. */
  private String json(String text) {
    if (text == null) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(text);
      return JSON.writeValueAsString(mapped(tree));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private com.fasterxml.jackson.databind.JsonNode mapped(com.fasterxml.jackson.databind.JsonNode node) {
    if (node.isTextual()) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(text(node.asText()));
    }
    if (node.isObject()) {
      com.fasterxml.jackson.databind.node.ObjectNode out = JSON.createObjectNode();
      // a field "schema" names one (a table's columns say which table they are of): mapped as a name
      node.fields().forEachRemaining(e -> out.set(e.getKey(), e.getKey().equals("schema") && e.getValue().isTextual()
          ? com.fasterxml.jackson.databind.node.TextNode.valueOf(schema(e.getValue().asText())) : mapped(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
      node.forEach(v -> out.add(mapped(v)));
      return out;
    }
    return node;
  }

  private String replace(Pattern pattern, String text) {
    if (pattern == null || text == null) {
      return text;
    }
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(replacements.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SchemaMap other && schemas.equals(other.schemas);
  }

  @Override
  public int hashCode() {
    return schemas.hashCode();
  }

  @Override
  public String toString() {
    return schemas.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(","));
  }
}
