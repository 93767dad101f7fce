package io.gitversion.catalog.model;

import io.gitversion.catalog.ddl.Canonical;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Every tracked object of one database (or of chosen schemas), by id, with its hash and the state's Merkle root. */
public record SchemaModel(Map<String, DbObject> objects) {
  public SchemaModel {
    objects = Collections.unmodifiableMap(new TreeMap<>(objects));
  }

  public static SchemaModel of(List<DbObject> objects) {
    Map<String, DbObject> byId = new LinkedHashMap<>();
    objects.forEach(o -> byId.put(o.id(), o));
    return new SchemaModel(byId);
  }

  /** Object id → SHA-256 of its canonical definition, sorted by id. */
  public Map<String, String> hashes() {
    return objects.values().stream().collect(Collectors.toMap(DbObject::id, Canonical::hash, (a, b) -> a, TreeMap::new));
  }

  /** The schema state hash: SHA-256 over the sorted "id hash" lines (a Merkle root of one level). */
  public String stateHash() {
    StringBuilder lines = new StringBuilder();
    hashes().forEach((id, hash) -> lines.append(id).append(' ').append(hash).append('\n'));
    return Canonical.hash(lines.toString());
  }

  public List<DbObject> ofKind(String kind) {
    return objects.values().stream().filter(o -> o.kind().equals(kind)).toList();
  }
}
