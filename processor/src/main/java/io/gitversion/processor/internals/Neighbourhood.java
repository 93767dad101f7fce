package io.gitversion.processor.internals;

import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectId;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.ObjectVersion;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Which objects of a source database depend on which (by id, as the catalog's dependency lists name them), kept in
 * step with the objects store, so that a commit is planned with the objects around it ({@link CommitPlanner}): read
 * from the store once per database when first asked, then updated with every object version the processor stores.
 */
final class Neighbourhood {
  /** Kinds that live on a table: a table's planning needs them (its keys, its indexes, a partition's parent's). */
  private static final Set<ObjectKind> ON_A_TABLE =
      Set.of(ObjectKind.CONSTRAINT, ObjectKind.INDEX, ObjectKind.TRIGGER, ObjectKind.RULE, ObjectKind.POLICY);

  private final KeyValueStore<String, ObjectVersion> objects;
  private final Map<String, Index> byDatabase = new HashMap<>();

  Neighbourhood(KeyValueStore<String, ObjectVersion> objects) {
    this.objects = objects;
  }

  /** One object's place: its id and what it depends on. */
  private record Entry(String id, List<String> deps) {}

  private static final class Index {
    final Map<String, String> keyOf = new HashMap<>();
    final Map<String, Entry> byKey = new HashMap<>();
    final Map<String, Set<String>> dependents = new HashMap<>();

    void put(String key, DbObject object) {
      remove(key);
      Entry entry = new Entry(object.id(), object.deps());
      byKey.put(key, entry);
      keyOf.put(entry.id(), key);
      entry.deps().forEach(d -> dependents.computeIfAbsent(d, x -> new HashSet<>()).add(entry.id()));
    }

    void remove(String key) {
      Entry was = byKey.remove(key);
      if (was == null) {
        return;
      }
      keyOf.remove(was.id(), key);
      was.deps().forEach(d -> {
        Set<String> of = dependents.get(d);
        if (of != null) {
          of.remove(was.id());
        }
      });
    }

    Set<String> dependentsOf(String id) {
      return dependents.getOrDefault(id, Set.of());
    }
  }

  /** Keeps the index in step with a version the processor stores. */
  void update(String database, ObjectVersion version) {
    Index index = byDatabase.get(database);
    if (index == null) {
      return; // read from the store when first asked
    }
    DbObject object = version.getDropped() ? null : object(version);
    if (object == null) {
      index.remove(version.getObjectKey());
    } else {
      index.put(version.getObjectKey(), object);
    }
  }

  /**
   * The objects around a commit's objects, as the store holds them: what depends on them, transitively (not through
   * a schema, which everything in it depends on), what they depend on, and what lives on the tables among those.
   */
  Collection<DbObject> around(String database, Collection<CommitPlanner.Touched> touched) {
    Index index = index(database);
    Set<String> ids = new LinkedHashSet<>();
    List<String> deps = new ArrayList<>();
    for (CommitPlanner.Touched t : touched) {
      for (DbObject o : new DbObject[] {t.before(), t.after()}) {
        if (o != null) {
          ids.add(o.id());
          deps.addAll(o.deps());
        }
      }
    }
    Set<String> seen = new HashSet<>(ids);
    Set<String> found = new LinkedHashSet<>();
    Deque<String> queue = new ArrayDeque<>(ids);
    while (!queue.isEmpty()) {
      String id = queue.poll();
      if (ObjectId.isOfKind(id, ObjectKind.SCHEMA)) {
        continue;
      }
      for (String dependent : index.dependentsOf(id)) {
        if (seen.add(dependent)) {
          found.add(dependent);
          queue.add(dependent);
        }
      }
    }
    for (String dep : deps) {
      if (seen.add(dep)) {
        found.add(dep);
      }
      if (ObjectId.isOfKind(dep, ObjectKind.TABLE)) {
        for (String onIt : index.dependentsOf(dep)) {
          if (ON_A_TABLE.stream().anyMatch(k -> ObjectId.isOfKind(onIt, k)) && seen.add(onIt)) {
            found.add(onIt);
          }
        }
      }
    }
    List<DbObject> around = new ArrayList<>();
    for (String id : found) {
      String key = index.keyOf.get(id);
      ObjectVersion version = key == null ? null : objects.get(Topics.objectKey(database, key));
      DbObject object = version == null || version.getDropped() ? null : object(version);
      if (object != null) {
        around.add(object);
      }
    }
    return around;
  }

  /** The key of the live object with this id, or null. */
  String keyOf(String database, String id) {
    return index(database).keyOf.get(id);
  }

  private Index index(String database) {
    Index index = byDatabase.get(database);
    if (index != null) {
      return index;
    }
    index = new Index();
    String prefix = Topics.objectKey(database, "");
    try (KeyValueIterator<String, ObjectVersion> all = objects.prefixScan(prefix, new StringSerializer())) {
      while (all.hasNext()) {
        ObjectVersion version = all.next().value;
        DbObject object = version.getDropped() ? null : object(version);
        if (object != null) {
          index.put(version.getObjectKey(), object);
        }
      }
    }
    byDatabase.put(database, index);
    return index;
  }

  /** The object a version records, or null when it has no definition (a kind not modelled, or capture older than 0.2). */
  private static DbObject object(ObjectVersion version) {
    return version.getDefinition() == null ? null : Snapshots.object(version.getDefinition());
  }
}
