package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitversion.catalog.UserError;
import io.gitversion.catalog.model.ObjectHash;
import io.gitversion.cli.Main;
import io.gitversion.cli.support.ApiClient;
import io.gitversion.cli.support.ApiOptions;
import io.gitversion.cli.support.Inspections;
import io.gitversion.cli.support.Modules;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compare two schemas by hash, object by object: equal, differs, missing (in A only) or extra (in B",
        "only); or one against every remote of the registry (--all-remotes), all at once. Reads hashes only. Exit 0",
        "when equal, 3 when not. Part of the sync module."})
public final class CompareCommand implements Callable<Integer> {
  static final int EXIT_DIFFERENT = 3;

  @Spec
  CommandSpec spec;

  @Mixin
  ApiOptions api;

  @Parameters(index = "0", paramLabel = "A",
      description = "A database URL, a remote of the registry, source:DB (its captured state now) or tag:NAME (--source's state at a tag).")
  String a;

  @Parameters(index = "1", arity = "0..1", paramLabel = "B", description = "The same kinds as A (none with --all-remotes).")
  String b;

  @Option(names = "--all-remotes", description = "Compare A with every remote of the registry.")
  boolean allRemotes;

  @Mixin
  io.gitversion.cli.support.KafkaOptions kafka;

  private java.util.Map<String, io.gitversion.schemas.RemoteSpec> registry;

  @Option(names = "--schema", paramLabel = "SCHEMA", description = "Only these schemas (repeatable). Default: all.")
  List<String> schemas = List.of();

  @Option(names = "--all", description = "Also list the objects that are equal.")
  boolean all;

  @Option(names = "--json", description = "The comparison as JSON.")
  boolean json;

  @Option(names = "--no-cache", description = {"Read every database's hashes in full. By default a database whose catalogs have not",
      "changed since the last read (its catalog fingerprint is the same) is not hashed again (GITVERSION_CACHE)."})
  boolean noCache;

  private io.gitversion.catalog.inspect.HashCache cache;

  @Override
  public Integer call() throws Exception {
    ApiClient client = api.client();
    Modules.require(client, "sync", "compare");
    Set<String> only = new HashSet<>(schemas);
    if (allRemotes == (b != null)) {
      throw new UserError("compare A B, or compare A --all-remotes");
    }
    if (allRemotes) {
      return againstAllRemotes(client, only);
    }
    // a remote that takes part of its sources (or maps schemas) is compared with the other side as it would have it
    io.gitversion.syncer.Subscription subscribed = subscriptionOf(b) != null ? subscriptionOf(b) : subscriptionOf(a);
    boolean remoteIsB = subscriptionOf(b) != null;
    CompletableFuture<Map<String, String>> second = CompletableFuture.supplyAsync(() -> subscribed == null ? hashes(client, b, only)
        : remoteIsB ? held(client, b, only, subscribed, 2) : asSubscribed(client, b, only, subscribed));
    Map<String, String> first = subscribed == null ? hashes(client, a, only)
        : remoteIsB ? asSubscribed(client, a, only, subscribed) : held(client, a, only, subscribed, 2);
    Map<String, String> other = Inspections.join(second);
    List<Map<String, Object>> rows = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>(Map.of("equal", 0, "differs", 0, "missing", 0, "extra", 0));
    Set<String> ids = new TreeSet<>(first.keySet());
    ids.addAll(other.keySet());
    for (String id : ids) {
      String ha = first.get(id);
      String hb = other.get(id);
      String status = ha == null ? "extra" : hb == null ? "missing" : ha.equals(hb) ? "equal" : "differs";
      counts.merge(status, 1, Integer::sum);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("object", id);
      row.put("status", status);
      row.put("a", ha);
      row.put("b", hb);
      rows.add(row);
    }
    boolean equal = counts.get("equal") == ids.size();
    PrintWriter out = Main.bufferedOut(spec);
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("a", a);
      body.put("b", b);
      body.put("equal", equal);
      body.put("counts", counts);
      body.put("objects", rows);
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(body));
    } else {
      for (Map<String, Object> row : rows) {
        if (all || !row.get("status").equals("equal")) {
          out.println(row.get("status") + "\t" + row.get("object"));
        }
      }
      out.println(counts.get("equal") + " equal, " + counts.get("differs") + " differ, " + counts.get("missing") + " missing in B, "
          + counts.get("extra") + " only in B");
    }
    out.flush();
    return equal ? 0 : EXIT_DIFFERENT;
  }

  /** One remote's read: what it has, and (a subscribed remote) what A's objects would be there; null: all of A. */
  private record Read(Map<String, String> have, Map<String, String> want) {}

  /** A against every remote of the registry, all read at once: a line per remote, the differences under it. */
  private int againstAllRemotes(ApiClient client, Set<String> only) {
    Map<String, CompletableFuture<Read>> remotes = new java.util.TreeMap<>();
    java.util.concurrent.ExecutorService pool = Inspections.readers("gitversion-compare");
    try {
      CompletableFuture<Map<String, String>> firstRead = CompletableFuture.supplyAsync(() -> hashes(client, a, only, 1), pool);
      for (String name : registry().keySet()) {
        io.gitversion.syncer.Subscription subscribed = subscriptionOf(name);
        remotes.put(name, subscribed == null
            ? CompletableFuture.supplyAsync(() -> new Read(hashes(client, name, only, 1), null), pool)
            // a subscribed remote: what it holds of its subscription, against A as it would have it
            : CompletableFuture.supplyAsync(() -> held(client, name, only, subscribed, 1), pool)
                .thenCombine(CompletableFuture.supplyAsync(() -> asSubscribed(client, a, only, subscribed), pool), Read::new));
      }
      if (remotes.isEmpty()) {
        throw new UserError("the registry has no remote (gitversion remote add)");
      }
      Map<String, String> first = Inspections.join(firstRead);
      PrintWriter out = Main.bufferedOut(spec);
      boolean allEqual = true;
      for (Map.Entry<String, CompletableFuture<Read>> remote : remotes.entrySet()) {
        Read read = Inspections.join(remote.getValue());
        Map<String, String> mine = read.want() != null ? read.want() : first;
        Map<String, String> other = read.have();
        // by hash lookups (30,000 objects a side: a sorted union of every id took longer than the comparing), sorted after
        List<String> differing = new ArrayList<>();
        mine.forEach((id, hash) -> {
          String theirs = other.get(id);
          if (!hash.equals(theirs)) {
            differing.add(id);
          }
        });
        other.keySet().stream().filter(id -> !mine.containsKey(id)).forEach(differing::add);
        differing.sort(null);
        differing.replaceAll(id -> (mine.get(id) == null ? "extra" : other.get(id) == null ? "missing" : "differs") + "\t" + id);
        allEqual &= differing.isEmpty();
        out.println(remote.getKey() + ": " + (differing.isEmpty() ? "equal" : differing.size() + " object(s) differ"));
        differing.forEach(line -> out.println("  " + line));
      }
      out.flush();
      return allEqual ? 0 : EXIT_DIFFERENT;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The subscription of a remote of the registry that takes part of its sources or maps schemas; null otherwise. */
  private io.gitversion.syncer.Subscription subscriptionOf(String side) {
    if (side == null || side.contains("://") || side.startsWith("jdbc:") || side.startsWith("source:") || side.startsWith("tag:")) {
      return null;
    }
    io.gitversion.schemas.RemoteSpec entry = registry().get(side);
    io.gitversion.syncer.Subscription subscription = entry == null ? null : io.gitversion.syncer.Subscription.of(entry);
    return subscription == null || subscription.isAll() ? null : subscription;
  }

  /**
   * The hashes {@code side}'s objects would have on a subscribed remote: those the subscription takes, under the
   * remote's names (definitions mapped and hashed again). Reads definitions, not hashes only: a mapped object's hash
   * is its mapped definition's.
   */
  private Map<String, String> asSubscribed(ApiClient client, String side, Set<String> only, io.gitversion.syncer.Subscription subscription) {
    List<io.gitversion.catalog.model.DbObject> objects = new ArrayList<>();
    if (side.startsWith("source:") || side.startsWith("tag:")) {
      boolean tag = side.startsWith("tag:");
      String source = tag ? api.source(client) : side.substring("source:".length());
      for (JsonNode definition : client.get("api/sources/" + ApiClient.segment(source) + "/definitions"
          + ApiClient.query(java.util.Collections.singletonMap("at", tag ? side.substring("tag:".length()) : null)))) {
        objects.add(io.gitversion.catalog.model.Snapshots.object(definition.toString()));
      }
    } else {
      String url = side.contains("://") || side.startsWith("jdbc:") ? side
          : io.gitversion.syncer.Remote.of(registry().get(side)).url().toUriWithPassword();
      objects.addAll(Inspections.inspectOneOfTwo(url, Set.of()).objects().values());
    }
    Map<String, String> hashes = new java.util.HashMap<>();
    for (io.gitversion.catalog.model.DbObject o : objects) {
      if (subscription.takes(o)) {
        io.gitversion.catalog.model.DbObject mapped = subscription.map().object(o);
        if (only.isEmpty() || only.contains(mapped.schema())) {
          hashes.put(mapped.id(), mapped.hash());
        }
      }
    }
    return hashes;
  }

  /** The hashes of what a subscribed remote holds within its subscription (the rest there is its own). */
  private Map<String, String> held(ApiClient client, String remote, Set<String> only, io.gitversion.syncer.Subscription subscription,
                                   int sessions) {
    Map<String, String> hashes = new java.util.HashMap<>();
    String url = io.gitversion.syncer.Remote.of(registry().get(remote)).url().toUriWithPassword();
    for (ObjectHash o : Inspections.hashes(url, only, sessions, cache()).objects()) {
      if (subscription.holds(o.kind(), o.schema(), o.identity())) {
        hashes.put(o.id(), o.hash());
      }
    }
    return hashes;
  }

  /** Where this run's hash reads are kept between runs; null with --no-cache. */
  private synchronized io.gitversion.catalog.inspect.HashCache cache() {
    if (cache == null && !noCache) {
      cache = Inspections.hashCache();
    }
    return cache;
  }

  private Map<String, io.gitversion.schemas.RemoteSpec> registry() {
    if (registry == null) {
      registry = kafka.registry().read();
    }
    return registry;
  }

  /** The hashes of what {@code side} names, by object id, limited to {@code only} schemas (when given). */
  private Map<String, String> hashes(ApiClient client, String side, Set<String> only) {
    return hashes(client, side, only, 2);
  }

  private Map<String, String> hashes(ApiClient client, String side, Set<String> only, int sessions) {
    Map<String, String> hashes = new java.util.HashMap<>();
    if (side.startsWith("source:") || side.startsWith("tag:")) {
      boolean tag = side.startsWith("tag:");
      String source = tag ? api.source(client) : side.substring("source:".length());
      JsonNode answer = client.get("api/sources/" + ApiClient.segment(source) + "/hashes"
          + ApiClient.query(java.util.Collections.singletonMap("at", tag ? side.substring("tag:".length()) : null)));
      answer.path("hashes").fields().forEachRemaining(e -> {
        if (only.isEmpty() || only.stream().anyMatch(s -> e.getKey().startsWith(e.getKey().substring(0, e.getKey().indexOf(' ') + 1) + s + "."))) {
          hashes.put(e.getKey(), e.getValue().asText());
        }
      });
      return hashes;
    }
    String url = side;
    if (!side.contains("://") && !side.startsWith("jdbc:")) {
      io.gitversion.schemas.RemoteSpec entry = registry().get(side);
      if (entry == null) {
        throw new UserError(side + " is neither a database URL, nor a remote of the registry, nor source:DB, nor tag:NAME");
      }
      url = io.gitversion.syncer.Remote.of(entry).url().toUriWithPassword();
    }
    for (ObjectHash o : Inspections.hashes(url, only, sessions, cache()).objects()) {
      hashes.put(o.id(), o.hash());
    }
    return hashes;
  }
}
