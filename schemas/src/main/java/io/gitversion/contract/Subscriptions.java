package io.gitversion.contract;

import io.gitversion.schemas.RemoteSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** How a remote's subscription (what part of the sources it takes, {@link RemoteSpec}) is put in words, everywhere. */
public final class Subscriptions {
  private Subscriptions() {}

  /** {@code everything}, or {@code schemas app; not schemas audit; kinds table,view; mapped app->tenant_7}. */
  public static String describe(Collection<String> schemas, Collection<String> excludeSchemas, Collection<String> kinds,
                                Map<String, String> map) {
    List<String> parts = new ArrayList<>();
    if (!schemas.isEmpty()) {
      parts.add("schemas " + String.join(",", new TreeSet<>(schemas)));
    }
    if (!excludeSchemas.isEmpty()) {
      parts.add("not schemas " + String.join(",", new TreeSet<>(excludeSchemas)));
    }
    if (!kinds.isEmpty()) {
      parts.add("kinds " + String.join(",", kinds));
    }
    if (!map.isEmpty()) {
      parts.add("mapped " + map.entrySet().stream().map(e -> e.getKey() + "->" + e.getValue()).sorted().collect(Collectors.joining(",")));
    }
    return parts.isEmpty() ? "everything" : String.join("; ", parts);
  }

  /** A registry entry's subscription in words. */
  public static String describe(RemoteSpec spec) {
    Map<String, String> map = new java.util.HashMap<>();
    spec.getMapSchemas().forEach((k, v) -> map.put(k.toString(), v.toString()));
    return describe(strings(spec.getSchemas()), strings(spec.getExcludeSchemas()), strings(spec.getKinds()), map);
  }

  private static List<String> strings(List<? extends CharSequence> values) {
    return values.stream().map(CharSequence::toString).toList();
  }
}
