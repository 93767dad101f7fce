package io.gitversion.catalog.model;

import java.util.List;

/**
 * The hashes of every tracked object of one database (or of chosen schemas), in id order, and the state hash over
 * them: a {@link SchemaModel} without the definitions, which is all that printing or comparing hashes needs.
 */
public final class SchemaHashes {
  private final List<ObjectHash> objects;

  private SchemaHashes(List<ObjectHash> objects) {
    this.objects = objects;
  }

  /** Of two objects with the same id, the later one is kept (as {@link SchemaModel#of} does). */
  public static SchemaHashes of(List<ObjectHash> objects) {
    return new SchemaHashes(List.copyOf(SchemaModel.byIdInOrder(objects, ObjectHash::id).values()));
  }

  /** Every object, in id order ({@link String#compareTo}). */
  public List<ObjectHash> objects() {
    return objects;
  }

  /** The schema state hash, the same as {@link SchemaModel#stateHash()} of the same objects. */
  public String stateHash() {
    StringBuilder lines = new StringBuilder();
    objects.forEach(o -> appendStateLine(lines, o.id(), o.hash()));
    return Sha256.of(lines.toString());
  }

  /** A line of the text the state hash is taken of: the object's id and hash; the lines are in id order. */
  static void appendStateLine(StringBuilder lines, String id, String hash) {
    lines.append(id).append(' ').append(hash).append('\n');
  }
}
