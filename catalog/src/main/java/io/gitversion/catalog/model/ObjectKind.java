package io.gitversion.catalog.model;

import io.gitversion.catalog.Sql;
import java.util.Locale;

/**
 * The kinds of object the model tracks, and how SQL names an object of each kind: the one place that knows that a
 * materialized view is dropped as {@code MATERIALIZED VIEW}, a domain as {@code DOMAIN}, an aggregate granted as a
 * {@code FUNCTION}, and a trigger named {@code ON} its table. Each kind's objects are read by its query in
 * {@code catalog/objects/KIND.sql}, in this order.
 */
public enum ObjectKind {
  SCHEMA,
  EXTENSION,
  TYPE,
  SEQUENCE,
  TABLE,
  CONSTRAINT,
  INDEX,
  VIEW,
  FUNCTION,
  TRIGGER,
  RULE,
  POLICY,
  COLLATION,
  STATISTICS,
  EVENT_TRIGGER,
  CAST,
  TEXT_SEARCH_DICTIONARY,
  TEXT_SEARCH_CONFIGURATION;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The kind as ids, topics and the catalog SQL spell it: {@code table}, {@code view}, ... */
  public String label() {
    return label;
  }

  /** The kind spelled {@code label}; unknown labels are an error (the catalog SQL lists only these kinds). */
  public static ObjectKind of(String label) {
    ObjectKind kind = BY_LABEL.get(label);
    if (kind == null) {
      throw new IllegalArgumentException("not a tracked kind of object: " + label);
    }
    return kind;
  }

  private static final java.util.Map<String, ObjectKind> BY_LABEL = new java.util.HashMap<>();

  static {
    for (ObjectKind kind : values()) {
      BY_LABEL.put(kind.label, kind);
    }
  }

  /** The id of an object of this kind: {@code kind schema.identity}. */
  public ObjectId id(String schema, String identity) {
    return new ObjectId(this, schema, identity);
  }

  /**
   * How DROP, COMMENT ON and ALTER name the object: {@code MATERIALIZED VIEW "s"."v"}, {@code DOMAIN "s"."d"},
   * {@code FUNCTION "s"."f"(integer)}, {@code TRIGGER "t" ON "s"."tbl"}. A constraint is named {@code CONSTRAINT "c" ON
   * "s"."tbl"} (as COMMENT takes it; it is dropped through ALTER TABLE).
   */
  public String target(DbObject o) {
    String name = Sql.qualified(o.schema(), o.name());
    return switch (this) {
      case SCHEMA -> "SCHEMA " + Sql.ident(o.name());
      case EXTENSION -> "EXTENSION " + Sql.ident(o.name());
      case COLLATION -> "COLLATION " + name;
      case STATISTICS -> "STATISTICS " + name;
      case EVENT_TRIGGER -> "EVENT TRIGGER " + Sql.ident(o.name());
      case CAST -> "CAST " + o.identity();
      case TEXT_SEARCH_DICTIONARY -> "TEXT SEARCH DICTIONARY " + name;
      case TEXT_SEARCH_CONFIGURATION -> "TEXT SEARCH CONFIGURATION " + name;
      case TYPE -> (o.isDomain() ? "DOMAIN " : "TYPE ") + name;
      case SEQUENCE -> "SEQUENCE " + name;
      case TABLE -> "TABLE " + name;
      case VIEW -> (o.materialized() ? "MATERIALIZED VIEW " : "VIEW ") + name;
      case INDEX -> "INDEX " + name;
      case FUNCTION -> o.routine();
      case CONSTRAINT, TRIGGER, RULE, POLICY ->
          name().toUpperCase(Locale.ROOT) + " " + Sql.ident(o.name()) + " ON " + Sql.qualified(o.schema(), o.table());
    };
  }

  /**
   * How GRANT and REVOKE name the object, or null for kinds without privileges: a view is a {@code TABLE} there, and
   * an aggregate a {@code FUNCTION} (one of no arguments {@code name()}).
   */
  public String grantTarget(DbObject o) {
    return switch (this) {
      case TABLE, VIEW -> "TABLE " + Sql.qualified(o.schema(), o.name());
      case FUNCTION -> o.routine().startsWith("AGGREGATE ")
          ? "FUNCTION " + o.extraText("signature").replaceFirst("\\(\\*\\)$", "()") : o.routine();
      case SEQUENCE, SCHEMA, TYPE -> target(o);
      default -> null;
    };
  }

  @Override
  public String toString() {
    return label;
  }
}
