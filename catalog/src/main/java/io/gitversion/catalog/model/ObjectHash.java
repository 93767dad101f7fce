package io.gitversion.catalog.model;

import java.util.Objects;

/**
 * One object of a database as its hash names it, without the rest of its definition: what {@code gitversion inspect}
 * and {@code gitversion hash} print. The canonical text is there only when it was asked for (else null).
 */
public record ObjectHash(String id, ObjectKind kind, String schema, String name, String identity, String hash, String canonical) {
  public ObjectHash {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hash, "hash");
  }

  public static ObjectHash of(String kind, String schema, String name, String identity, String hash, String canonical) {
    return new ObjectHash(ObjectId.key(kind, schema, identity), ObjectKind.of(kind), schema, name, identity, hash, canonical);
  }
}
