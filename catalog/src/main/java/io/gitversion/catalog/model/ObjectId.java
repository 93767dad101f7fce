package io.gitversion.catalog.model;

import java.util.Objects;

/**
 * The identity of an object within one database: its kind, schema and identity (unique within kind and schema: a
 * function's includes its argument types, what lives on a table its table's name). Its {@link #key()} is the text form
 * {@code kind schema.identity} that models are keyed by and that the catalog SQL writes in dependency lists.
 */
public record ObjectId(ObjectKind kind, String schema, String identity) {
  public ObjectId {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(identity, "identity");
  }

  /** {@code kind schema.identity}: how models are keyed and dependency lists name objects. */
  public String key() {
    return key(kind.label(), schema, identity);
  }

  /** The key of an object given by its kind's label, schema and identity. */
  public static String key(String kind, String schema, String identity) {
    return kind + " " + schema + "." + identity;
  }

  /** Whether {@code key} names an object of this kind. */
  public static boolean isOfKind(String key, ObjectKind kind) {
    return key.startsWith(kind.label()) && key.length() > kind.label().length() && key.charAt(kind.label().length()) == ' ';
  }

  @Override
  public String toString() {
    return key();
  }
}
