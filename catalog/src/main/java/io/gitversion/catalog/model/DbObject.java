package io.gitversion.catalog.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One object of a database as inspected: its kind, schema and identity (unique within kind and schema; a function's
 * identity includes its argument types, a constraint's its table), the statement that creates it as PostgreSQL
 * deparses it, what it depends on, its comment, and kind-specific facts. Immutable; the id and a table's parsed
 * definition are computed once, since planning a diff of thousands of tables asks for them many times.
 */
public final class DbObject {
  private final ObjectKind kind;
  private final String schema;
  private final String name;
  private final String identity;
  private final String table;
  /** The creating statement when it is not the start of the canonical text (it always is, as snapshot.sql renders). */
  private final String ddl;
  private final int ddlLength;
  private final List<String> deps;
  private final String comment;
  private final String extraJson;
  private volatile JsonNode extra;
  private final String snapshot;
  private volatile Relation relation;
  private final String canonical;
  /** The length of the canonical text's head, before its tail (snapshot.sql's canonical_tail). */
  private final int bodyLength;
  private final String hash;
  private final String id;

  /**
   * @param table the owning table for constraints, indexes, triggers, rules and policies, else null
   * @param ddl the creating statement (for tables the canonical CREATE TABLE)
   * @param deps ids ({@link #id()}) of objects that must exist first
   * @param snapshot a table's columns as snapshot.sql renders them (json), else null
   * @param canonical the canonical text (snapshot.sql's canonical()), which the hash is taken of
   * @param tail the end of the canonical text that changes without re-creating the object (snapshot.sql's
   *     canonical_tail()); null when unknown (a row recorded before 0.2), and then the whole text is the body
   */
  public DbObject(String kind, String schema, String name, String identity, String table, String ddl, List<String> deps,
                  String comment, JsonNode extra, String snapshot, String canonical, String tail) {
    this(kind, schema, name, identity, table, ddl, deps, comment, null, extra, snapshot, canonical, tail, null);
  }

  /**
   * An object whose facts are still JSON text, parsed when first asked for: a diff reads the facts of the few objects
   * that changed, and tens of thousands of parsed trees would be most of an inspection's memory and collection time.
   *
   * @param hash the SHA-256 of {@code canonical} as the server computed it (snapshot.sql's text_hash), or null
   */
  public static DbObject withExtraText(String kind, String schema, String name, String identity, String table, String ddl,
                                       List<String> deps, String comment, String extraJson, String snapshot, String canonical,
                                       String tail, String hash) {
    return new DbObject(kind, schema, name, identity, table, ddl, deps, comment, extraJson, null, snapshot, canonical, tail, hash);
  }

  private DbObject(String kind, String schema, String name, String identity, String table, String ddl, List<String> deps,
                   String comment, String extraJson, JsonNode extra, String snapshot, String canonical, String tail, String hash) {
    // kinds, schemas and dependency ids repeat across thousands of objects: one copy of each
    this.kind = ObjectKind.of(Objects.requireNonNull(kind, "kind"));
    this.schema = schema == null ? null : schema.intern();
    this.name = name;
    this.identity = Objects.requireNonNull(identity, "identity");
    this.table = table;
    this.canonical = Objects.requireNonNull(canonical, "canonical");
    this.bodyLength = tail != null && canonical.endsWith(tail) ? canonical.length() - tail.length() : canonical.length();
    this.hash = hash;
    // the canonical text starts with the statement: keep one copy (half an inspection's memory is these texts)
    boolean prefix = ddl != null && canonical.startsWith(ddl);
    this.ddl = prefix ? null : ddl;
    this.ddlLength = prefix ? ddl.length() : -1;
    this.deps = deps == null ? List.of() : deps.stream().map(String::intern).toList();
    this.comment = comment;
    this.extraJson = extraJson;
    this.extra = extra != null || extraJson != null ? extra : JsonNodeFactory.instance.objectNode();
    this.snapshot = snapshot;
    this.id = ObjectId.key(kind, schema, identity);
  }

  /** The canonical text (definition, facts, comment last); its SHA-256 is the object's hash. */
  public String canonical() {
    return canonical;
  }

  /**
   * The canonical text without its tail (snapshot.sql's canonical_tail: attachment, own columns, privileges, column
   * comments of a view, comment): what must be equal for the object to stay as it is. The tail changes by ALTER
   * INDEX, INHERIT, GRANT, REVOKE and COMMENT, never by re-creating.
   */
  public String body() {
    return bodyLength == canonical.length() ? canonical : canonical.substring(0, bodyLength);
  }

  /** The end of the canonical text after its body ({@link #body()}): empty when there is none. */
  public String tail() {
    return canonical.substring(bodyLength);
  }

  /** A table's columns as snapshot.sql renders them (JSON text), else null. */
  public String snapshot() {
    return snapshot;
  }

  /** The kind-specific facts as JSON text. */
  public String extraJson() {
    return extraJson != null ? extraJson : extra().toString();
  }

  /** The hash of the canonical text as the server computed it along with the text, or null when it did not. */
  public String serverHash() {
    return hash;
  }

  /** The object's hash: the server's, when it computed one along with the text (the same SHA-256), else computed here. */
  public String hash() {
    return hash != null ? hash : Sha256.of(canonical);
  }

  /** Unique within a database: {@code kind schema.identity} ({@link ObjectId#key()}). */
  public String id() {
    return id;
  }

  public ObjectKind kind() {
    return kind;
  }

  public String schema() {
    return schema;
  }

  public String name() {
    return name;
  }

  public String identity() {
    return identity;
  }

  public String table() {
    return table;
  }

  public String ddl() {
    return ddlLength < 0 ? ddl : canonical.substring(0, ddlLength);
  }

  public List<String> deps() {
    return deps;
  }

  public String comment() {
    return comment;
  }

  /** The kind-specific facts (an empty object when there are none). */
  public JsonNode extra() {
    JsonNode parsed = extra;
    if (parsed == null) {
      parsed = Snapshots.facts(extraJson, id);
      extra = parsed;
    }
    return parsed;
  }

  /** The table's definition (tables only), parsed from its snapshot when first asked for; null for other kinds. */
  public Relation relation() {
    Relation parsed = relation;
    if (parsed == null && snapshot != null) {
      parsed = Snapshots.relation(snapshot);
      relation = parsed;
    }
    return parsed;
  }

  /** The same facts as {@code other}'s: compared as the server wrote them when both are still text, else parsed. */
  public boolean sameFacts(DbObject other) {
    return extraJson != null && other.extraJson != null ? extraJson.equals(other.extraJson) : extra().equals(other.extra());
  }

  public String extraText(String field) {
    JsonNode node = extra().get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  /** A fact that is a list of texts (empty when absent). */
  public List<String> texts(String field) {
    List<String> values = new ArrayList<>();
    JsonNode node = extra().get(field);
    if (node != null && node.isArray()) {
      node.forEach(v -> values.add(v.asText()));
    }
    return values;
  }

  /** A fact that is an object of texts, by key in key order (empty when absent). */
  public Map<String, String> textMap(String field) {
    Map<String, String> values = new TreeMap<>();
    JsonNode node = extra().get(field);
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
    }
    return values;
  }

  /** A fact that is true or false; absent is false. */
  public boolean flag(String field) {
    return "true".equals(extraText(field));
  }

  // ---------------------------------------------------------------- the facts the planner reads most, by kind

  /** A view: materialized. */
  public boolean materialized() {
    return flag("materialized");
  }

  /** A type: {@code e} enum, {@code c} composite, {@code d} domain, {@code r} range. */
  public String typtype() {
    return extraText("typtype");
  }

  public boolean isDomain() {
    return "d".equals(typtype());
  }

  public boolean isEnum() {
    return "e".equals(typtype());
  }

  public boolean isComposite() {
    return "c".equals(typtype());
  }

  /** An enum's labels, in sort order. */
  public List<String> labels() {
    return texts("labels");
  }

  /** A composite type's attributes: name to type, in attribute order. */
  public Map<String, String> attributes() {
    Map<String, String> attributes = new LinkedHashMap<>();
    JsonNode node = extra().get("attributes");
    if (node != null && node.isArray()) {
      node.forEach(a -> attributes.put(a.get(0).asText(), a.get(1).asText()));
    }
    return attributes;
  }

  /** A constraint's type: {@code p}, {@code u}, {@code x}, {@code c} or {@code f}. */
  public String constraintType() {
    return extraText("type");
  }

  public boolean isForeignKey() {
    return "f".equals(constraintType());
  }

  /** A table: the parent it is a partition of (as the catalog prints its name), or null. */
  public String partitionOf() {
    return extraText("partitionOf");
  }

  public String partitionBound() {
    return extraText("partitionBound");
  }

  /** A partitioned table: its key, or null. */
  public String partitionKey() {
    return extraText("partitionKey");
  }

  /** A table: its inheritance parents (not a partition's parent), as the catalog prints their names. */
  public List<String> inherits() {
    return texts("inherits");
  }

  /** A table: the columns that are its own (not only inherited). */
  public List<String> localColumns() {
    return texts("localColumns");
  }

  /**
   * The role that owns the object, or null for kinds without an owner (and objects recorded before owners were):
   * a fact outside the hash ({@code ddl.Ownership} says when a plan states it).
   */
  public String owner() {
    return extraText("owner");
  }

  /** A sequence: the column that owns it ({@code schema.table.column}, as the catalog prints it), or null. */
  public String ownedBy() {
    return extraText("ownedBy");
  }

  /** An index or key: the index it is attached to (a partition's, its parent's), as the catalog prints it, or null. */
  public String parentIndex() {
    return extraText("parentIndex");
  }

  /** A key, unique or exclusion constraint: the name of its index. */
  public String indexName() {
    return extraText("indexName");
  }

  /** A table or view: its columns' comments by column name. */
  public Map<String, String> columnComments() {
    return textMap("columnComments");
  }

  /**
   * A routine (kind function) as ALTER, DROP, GRANT and COMMENT name it: {@code FUNCTION}, {@code PROCEDURE} or
   * {@code AGGREGATE}, then its signature ({@code s.f(integer)}).
   */
  public String routine() {
    String keyword = switch (Objects.requireNonNullElse(extraText("prokind"), "f")) {
      case "p" -> "PROCEDURE ";
      case "a" -> "AGGREGATE ";
      default -> "FUNCTION ";
    };
    return keyword + extraText("signature");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DbObject o && id.equals(o.id) && Objects.equals(ddl(), o.ddl()) && deps.equals(o.deps)
        && Objects.equals(table, o.table) && Objects.equals(name, o.name) && Objects.equals(comment, o.comment)
        && extra().equals(o.extra());
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return id;
  }
}
