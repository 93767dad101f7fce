package io.gitversion.catalog.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Objects;

/**
 * One object of a database as inspected: its kind, schema and identity (unique within kind and schema; a function's
 * identity includes its argument types, a constraint's its table), the statement that creates it as PostgreSQL
 * deparses it, what it depends on, its comment, and kind-specific facts. Immutable; the id and a table's parsed
 * definition are computed once, since planning a diff of thousands of tables asks for them many times.
 */
public final class DbObject {
  private final String kind;
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
  private final String hash;
  private final String id;

  /**
   * @param table the owning table for constraints, indexes, triggers, rules and policies, else null
   * @param ddl the creating statement (for tables the canonical CREATE TABLE)
   * @param deps ids ({@link #id()}) of objects that must exist first
   * @param snapshot a table's columns as snapshot.sql renders them (json), else null
   * @param canonical the canonical text (snapshot.sql's canonical()), which the hash is taken of
   */
  public DbObject(String kind, String schema, String name, String identity, String table, String ddl, List<String> deps,
                  String comment, JsonNode extra, String snapshot, String canonical) {
    this(kind, schema, name, identity, table, ddl, deps, comment, null, extra, snapshot, canonical, null);
  }

  /**
   * An object whose facts are still JSON text, parsed when first asked for: a diff reads the facts of the few objects
   * that changed, and tens of thousands of parsed trees would be most of an inspection's memory and collection time.
   *
   * @param hash the SHA-256 of {@code canonical} as the server computed it (snapshot.sql's text_hash), or null
   */
  public static DbObject withExtraText(String kind, String schema, String name, String identity, String table, String ddl,
                                       List<String> deps, String comment, String extraJson, String snapshot, String canonical,
                                       String hash) {
    return new DbObject(kind, schema, name, identity, table, ddl, deps, comment, extraJson, null, snapshot, canonical, hash);
  }

  private DbObject(String kind, String schema, String name, String identity, String table, String ddl, List<String> deps,
                   String comment, String extraJson, JsonNode extra, String snapshot, String canonical, String hash) {
    // kinds, schemas and dependency ids repeat across thousands of objects: one copy of each
    this.kind = Objects.requireNonNull(kind, "kind").intern();
    this.schema = schema == null ? null : schema.intern();
    this.name = name;
    this.identity = Objects.requireNonNull(identity, "identity");
    this.table = table;
    this.canonical = Objects.requireNonNull(canonical, "canonical");
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
    this.id = id(kind, schema, identity);
  }

  /** An object's id: {@code kind schema.identity}. */
  public static String id(String kind, String schema, String identity) {
    return kind + " " + schema + "." + identity;
  }

  /** The canonical text (definition, facts, comment last); its SHA-256 is the object's hash. */
  public String canonical() {
    return canonical;
  }

  /**
   * The canonical text without its attachment (an index's parent index), an inheriting table's own columns, its
   * privileges and its comment (its last lines, in that order): what must be equal for the object to stay as it is.
   * Those change by ALTER INDEX, INHERIT, GRANT, REVOKE and COMMENT, never by re-creating.
   */
  public String body() {
    String body = comment == null ? canonical : canonical.substring(0, canonical.length() - ("\n-- comment: " + comment).length());
    if (kind.equals("view") && extraText("columnComments") != null) { // json, one line: the last such line is this one
      body = body.substring(0, body.lastIndexOf("\n-- column comments: "));
    }
    if (extraText("columnAcl") != null) { // json, which escapes line breaks: the last such line is this one
      body = body.substring(0, body.lastIndexOf("\n-- column privileges: "));
    }
    String privileges = extraText("acl");
    if (privileges != null) {
      body = body.substring(0, body.length() - ("\n-- privileges: " + privileges).length());
    }
    if (kind.equals("table") && extra().path("inherits").isArray()) { // json, one line: the last such line is this one
      body = body.substring(0, body.lastIndexOf("\n-- local columns: "));
    }
    String attachedTo = kind.equals("index") || kind.equals("constraint") ? extraText("parentIndex") : null;
    return attachedTo == null ? body : body.substring(0, body.length() - ("\n-- attached to: " + attachedTo).length());
  }

  /** The hash of the canonical text as the server computed it along with the text, or null when it did not. */
  public String serverHash() {
    return hash;
  }

  /** Unique within a database: {@code kind schema.identity}. */
  public String id() {
    return id;
  }

  public String kind() {
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
