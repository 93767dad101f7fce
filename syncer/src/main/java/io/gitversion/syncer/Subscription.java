package io.gitversion.syncer;

import io.gitversion.catalog.UserError;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.SchemaMap;
import io.gitversion.contract.Subscriptions;
import io.gitversion.schemas.RemoteSpec;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What part of a source a remote takes, and under which schema names: {@code gitversion remote add ... --schemas
 * --exclude-schemas --kinds --map-schema}. An object is taken when its schema is subscribed (all, when none is named)
 * and not excluded, and its kind is (all, when none is named). A schema comes with what is in it; what lives on a
 * table (constraints, indexes, triggers, rules, policies) comes with {@code table} unless one of those kinds is named;
 * an object outside any schema (an extension, a cast, an event trigger) comes only when no schema is named or its
 * kind is. Schemas of the map are renamed on the remote ({@link SchemaMap}).
 */
public record Subscription(Set<String> schemas, Set<String> excludeSchemas, Set<ObjectKind> kinds, SchemaMap map) {
  private static final Set<ObjectKind> ON_TABLE = EnumSet.of(ObjectKind.CONSTRAINT, ObjectKind.INDEX, ObjectKind.TRIGGER,
      ObjectKind.RULE, ObjectKind.POLICY);
  private static final Subscription ALL = new Subscription(Set.of(), Set.of(), Set.of(), SchemaMap.none());

  public Subscription {
    schemas = Set.copyOf(schemas);
    excludeSchemas = Set.copyOf(excludeSchemas);
    kinds = kinds.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(kinds));
    for (String schema : schemas) {
      if (excludeSchemas.contains(schema)) {
        throw new UserError("schema " + schema + " is both subscribed and excluded");
      }
    }
    for (String from : map.schemas().keySet()) {
      if (!schemas.isEmpty() && !schemas.contains(from) || excludeSchemas.contains(from)) {
        throw new UserError("--map-schema " + from + "=" + map.schemas().get(from) + ": schema " + from + " is not subscribed");
      }
    }
  }

  /** Everything, under the source's names. */
  public static Subscription all() {
    return ALL;
  }

  /** From the options of {@code gitversion remote add}: unknown kinds and malformed maps are a user error. */
  public static Subscription of(Collection<String> schemas, Collection<String> excludeSchemas, Collection<String> kinds,
                                Map<String, String> map) {
    Set<ObjectKind> parsed = EnumSet.noneOf(ObjectKind.class);
    for (String kind : kinds) {
      try {
        parsed.add(ObjectKind.of(kind.strip().toLowerCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new UserError("unknown kind '" + kind + "': one of " + java.util.Arrays.stream(ObjectKind.values()).map(ObjectKind::label)
            .collect(Collectors.joining(", ")));
      }
    }
    Map<String, String> targets = new HashMap<>();
    map.forEach((from, to) -> {
      if (from.isBlank() || to.isBlank()) {
        throw new UserError("--map-schema takes FROM=TO, two schema names");
      }
      String other = targets.put(to, from);
      if (other != null) {
        throw new UserError("--map-schema maps both " + other + " and " + from + " to " + to);
      }
    });
    return new Subscription(Set.copyOf(schemas), Set.copyOf(excludeSchemas), parsed, SchemaMap.of(map));
  }

  /** A registry entry's subscription. */
  public static Subscription of(RemoteSpec spec) {
    if (spec.getSchemas().isEmpty() && spec.getExcludeSchemas().isEmpty() && spec.getKinds().isEmpty() && spec.getMapSchemas().isEmpty()) {
      return ALL;
    }
    Map<String, String> map = new HashMap<>();
    spec.getMapSchemas().forEach((k, v) -> map.put(k.toString(), v.toString()));
    return of(strings(spec.getSchemas()), strings(spec.getExcludeSchemas()), strings(spec.getKinds()), map);
  }

  private static List<String> strings(List<? extends CharSequence> values) {
    return values.stream().map(CharSequence::toString).toList();
  }

  /** Whether the remote takes everything under the source's names. */
  public boolean isAll() {
    return schemas.isEmpty() && excludeSchemas.isEmpty() && kinds.isEmpty() && map.isEmpty();
  }

  /** Whether the remote takes a source's object. */
  public boolean takes(DbObject o) {
    return takes(o.kind(), o.schema(), o.identity());
  }

  /** Whether the remote takes the object of a source that an id names ({@code kind schema.identity}). */
  public boolean takesId(String id) {
    int space = id.indexOf(' ');
    int dot = id.indexOf('.', space + 1);
    if (space < 0 || dot < 0) {
      return true;
    }
    ObjectKind kind;
    try {
      kind = ObjectKind.of(id.substring(0, space));
    } catch (IllegalArgumentException e) {
      return kinds.isEmpty() && takesSchema(id.substring(space + 1, dot)); // a kind the model does not track: by schema
    }
    String schema = id.substring(space + 1, dot);
    return takes(kind, schema.equals("null") ? null : schema, id.substring(dot + 1));
  }

  private boolean takesSchema(String schema) {
    return schema.equals("null") ? schemas.isEmpty() : !excludeSchemas.contains(schema) && (schemas.isEmpty() || schemas.contains(schema));
  }

  private boolean takes(ObjectKind kind, String schema, String identity) {
    String in = kind == ObjectKind.SCHEMA ? identity : schema;
    if (in != null) {
      if (excludeSchemas.contains(in) || !schemas.isEmpty() && !schemas.contains(in)) {
        return false;
      }
      if (kind == ObjectKind.SCHEMA) {
        return true; // a schema comes with what is in it
      }
    } else if (!schemas.isEmpty() && !kinds.contains(kind)) {
      return false; // outside any schema: only when named
    }
    if (kinds.isEmpty() || kinds.contains(kind)) {
      return true;
    }
    return ON_TABLE.contains(kind) && kinds.contains(ObjectKind.TABLE) && Collections.disjoint(kinds, ON_TABLE);
  }

  /**
   * Whether an object of the remote (under the remote's names) is within the subscription: what a rebase may change
   * there. Everything else on the remote is the remote's own, kept as it is.
   */
  public boolean holds(DbObject remoteObject) {
    return holds(remoteObject.kind(), remoteObject.schema(), remoteObject.identity());
  }

  /** The same, for an object of the remote named by its kind, schema and identity. */
  public boolean holds(ObjectKind kind, String schema, String identity) {
    if (isAll()) {
      return true;
    }
    Map<String, String> back = new HashMap<>();
    map.schemas().forEach((from, to) -> back.put(to, from));
    if (kind == ObjectKind.SCHEMA) {
      if (map.schemas().containsKey(identity) && !back.containsKey(identity)) {
        return false; // the source's name of a schema mapped away: not the subscription's on the remote
      }
      identity = back.getOrDefault(identity, identity);
    } else if (schema != null) {
      if (map.schemas().containsKey(schema) && !back.containsKey(schema)) {
        return false;
      }
      schema = back.getOrDefault(schema, schema);
    }
    return takes(kind, schema, identity);
  }

  /** The subscription in words, for {@code remote list}, status and results ({@link Subscriptions}). */
  public String describe() {
    return Subscriptions.describe(schemas, excludeSchemas, kinds.stream().map(ObjectKind::label).toList(), map.schemas());
  }
}
