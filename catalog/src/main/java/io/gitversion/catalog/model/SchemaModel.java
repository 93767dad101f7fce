package io.gitversion.catalog.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every tracked object of one database (or of chosen schemas), by id, with its hash and the state's Merkle root. */
public final class SchemaModel {
  private static final java.util.regex.Pattern PLAIN_NAME = java.util.regex.Pattern.compile("[a-z_][a-z0-9_$]*");
  private final Map<String, DbObject> objects;
  private final Map<String, List<DbObject>> byTable = new java.util.HashMap<>();
  private final Map<ObjectKind, List<DbObject>> byKind = new java.util.EnumMap<>(ObjectKind.class);
  private final Map<String, DbObject> tablesByQuotedName = new java.util.HashMap<>();
  private volatile Map<String, String> hashes;

  /** {@code sorted}: by id, in id order. */
  private SchemaModel(LinkedHashMap<String, DbObject> sorted) {
    this.objects = Collections.unmodifiableMap(sorted);
    for (DbObject o : this.objects.values()) {
      byKind.computeIfAbsent(o.kind(), k -> new java.util.ArrayList<>()).add(o);
      if (o.table() != null) {
        byTable.computeIfAbsent(o.schema() + "." + o.table(), k -> new java.util.ArrayList<>()).add(o);
      }
      if (o.kind() == ObjectKind.TABLE) {
        tablesByQuotedName.put(printedName(o.schema(), o.name()), o);
      }
    }
  }

  /** Every object by id, iterated in id order ({@link String#compareTo}): the planner merges two models on it. */
  public Map<String, DbObject> objects() {
    return objects;
  }

  /** The constraints, indexes, triggers, rules and policies on one table or view. */
  public List<DbObject> on(String schema, String table) {
    return byTable.getOrDefault(schema + "." + table, List.of());
  }

  /** A table by its name as the catalog queries print it ({@code quote_ident(schema).quote_ident(name)}). */
  public DbObject tableByQuotedName(String quoted) {
    return tablesByQuotedName.get(quoted);
  }

  /**
   * {@code schema.name} as the catalog queries and {@code format_type} print it ({@code quote_ident}), for matching
   * names found inside deparsed text. Not for generating SQL: that is {@link io.gitversion.catalog.Sql}'s job.
   */
  public static String printedName(String schema, String name) {
    return printed(schema) + "." + printed(name);
  }

  /** A name as PostgreSQL prints it: quoted only when it must be. */
  public static String printed(String name) {
    return PLAIN_NAME.matcher(name).matches() ? name : "\"" + name.replace("\"", "\"\"") + "\"";
  }

  public static SchemaModel of(List<DbObject> objects) {
    return new SchemaModel(byIdInOrder(objects, DbObject::id));
  }

  /**
   * The objects by id, iterated in id order (looked up by hash: a TreeMap's string comparisons dominated planning large
   * diffs). One sort of an array: building a TreeMap of 100,000 objects took a tenth of a second more. Of two objects
   * with the same id, the later one is kept.
   */
  static <T> LinkedHashMap<String, T> byIdInOrder(java.util.Collection<T> objects, java.util.function.Function<T, String> id) {
    List<T> sorted = new java.util.ArrayList<>(objects);
    sorted.sort(java.util.Comparator.comparing(id)); // stable: the later of two stays later
    LinkedHashMap<String, T> byId = new LinkedHashMap<>(sorted.size() * 4 / 3 + 1);
    for (T o : sorted) {
      byId.put(id.apply(o), o);
    }
    return byId;
  }

  /** Object id → SHA-256 of its canonical definition, sorted by id; computed once, on all cores. */
  public Map<String, String> hashes() {
    Map<String, String> computed = hashes;
    if (computed == null) {
      List<DbObject> all = List.copyOf(objects.values());
      List<String> each = all.parallelStream().map(DbObject::hash).toList();
      Map<String, String> byId = new LinkedHashMap<>();
      for (int i = 0; i < all.size(); i++) {
        byId.put(all.get(i).id(), each.get(i));
      }
      computed = Collections.unmodifiableMap(byId);
      hashes = computed;
    }
    return computed;
  }

  /** One object's hash: the server's when it computed one along with the text, without a lookup; else from {@link #hashes()}. */
  public String hash(DbObject object) {
    return object.serverHash() != null ? object.serverHash() : hashes().get(object.id());
  }

  /** The schema state hash: SHA-256 over the sorted "id hash" lines (a Merkle root of one level). */
  public String stateHash() {
    StringBuilder lines = new StringBuilder();
    hashes().forEach((id, hash) -> SchemaHashes.appendStateLine(lines, id, hash));
    return Sha256.of(lines.toString());
  }

  /** The objects of one kind, in id order. */
  public List<DbObject> ofKind(ObjectKind kind) {
    return byKind.getOrDefault(kind, List.of());
  }
}
