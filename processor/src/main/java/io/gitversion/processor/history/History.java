package io.gitversion.processor.history;

import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.ObjectVersion;
import io.gitversion.schemas.Tag;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers about one source's history from the history stores ({@link HistoryStores}) of the instance that holds them:
 * its commits, each object's versions, and any object or the whole schema at a point (a tag, a commit, a time).
 * A point is a commit's sequence in its source's order; 0 is before the first commit.
 */
public final class History {
  /** The stores, as the caller reads them: a running instance's, or a test driver's. */
  public interface Stores {
    <V> ReadOnlyKeyValueStore<String, V> store(String name);
  }

  /** A point that names nothing this source has: a tag, commit or time that is unknown or unreadable. */
  public static final class UnknownPoint extends RuntimeException {
    public UnknownPoint(String message) {
      super(message);
    }
  }

  /** A commit with its sequence in its source's order. */
  public record Numbered(long sequence, Commit commit) {}

  private final ReadOnlyKeyValueStore<String, ObjectVersion> versions;
  private final ReadOnlyKeyValueStore<String, Commit> commitLog;
  private final ReadOnlyKeyValueStore<String, String> commitIds;
  private final ReadOnlyKeyValueStore<String, Long> sources;
  private final ReadOnlyKeyValueStore<String, Tag> tags;
  private final ReadOnlyKeyValueStore<String, String> stateHashes;
  private final ReadOnlyKeyValueStore<String, String> names;
  private final ReadOnlyKeyValueStore<String, String> actions;

  public History(Stores stores) {
    this.versions = stores.store(HistoryStores.VERSIONS);
    this.commitLog = stores.store(HistoryStores.COMMIT_LOG);
    this.commitIds = stores.store(HistoryStores.COMMIT_IDS);
    this.sources = stores.store(HistoryStores.SOURCES);
    this.tags = stores.store(HistoryStores.TAGS);
    this.stateHashes = stores.store(HistoryStores.STATE_HASHES);
    this.names = stores.store(HistoryStores.NAMES);
    this.actions = stores.store(HistoryStores.ACTIONS);
  }

  /** The change that made a version: its action and the source's statement (null when not kept). */
  public Optional<String[]> madeBy(String database, String objectKey, int version) {
    String made = actions.get(HistoryStores.versionKey(database, objectKey, version));
    return made == null ? Optional.empty() : Optional.of(made.split("\t", 2));
  }

  /** The schema state hash after the commit at a sequence (0: before any), as the history recorded it. */
  public Optional<String> stateHashAt(String database, long sequence) {
    return Optional.ofNullable(stateHashes.get(HistoryStores.commitKey(database, sequence)));
  }

  /** The sources this instance holds, with their last sequence. */
  public Map<String, Long> sources() {
    Map<String, Long> all = new TreeMap<>();
    try (KeyValueIterator<String, Long> it = sources.all()) {
      it.forEachRemaining(kv -> all.put(kv.key, kv.value));
    }
    return all;
  }

  /** The source's last sequence (0: no commit yet), or empty when the source is unknown here. */
  public Optional<Long> head(String database) {
    return Optional.ofNullable(sources.get(database));
  }

  /** The commit at a sequence. */
  public Optional<Numbered> commitAt(String database, long sequence) {
    Commit commit = commitLog.get(HistoryStores.commitKey(database, sequence));
    return commit == null ? Optional.empty() : Optional.of(new Numbered(sequence, commit));
  }

  /** A commit by its id or a unique prefix of it (7 characters at least). */
  public Optional<Numbered> commit(String database, String idOrPrefix) {
    String exact = commitIds.get(HistoryStores.commitIdKey(database, idOrPrefix));
    if (exact != null) {
      return commitAt(database, Long.parseLong(exact));
    }
    if (idOrPrefix.length() < 7 || !idOrPrefix.matches("[0-9a-f]+")) {
      return Optional.empty();
    }
    List<String> found = new ArrayList<>();
    try (KeyValueIterator<String, String> it = commitIds.prefixScan(HistoryStores.commitIdKey(database, idOrPrefix), Serdes.String().serializer())) {
      while (it.hasNext() && found.size() < 2) {
        found.add(it.next().value);
      }
    }
    if (found.size() > 1) {
      throw new UnknownPoint("commit prefix " + idOrPrefix + " is ambiguous in " + database + ": give more of it");
    }
    return found.isEmpty() ? Optional.empty() : commitAt(database, Long.parseLong(found.get(0)));
  }

  /**
   * Commits newest first, from {@code before} (exclusive; 0: from the newest), at most {@code limit}, that pass the
   * filter.
   */
  public List<Numbered> log(String database, long before, int limit, Predicate<Commit> filter) {
    long from = before > 0 ? before - 1 : head(database).orElse(0L);
    List<Numbered> page = new ArrayList<>();
    if (from < 1) {
      return page;
    }
    try (KeyValueIterator<String, Commit> it = commitLog.reverseRange(HistoryStores.commitKey(database, 1), HistoryStores.commitKey(database, from))) {
      while (it.hasNext() && page.size() < limit) {
        KeyValue<String, Commit> kv = it.next();
        if (filter.test(kv.value)) {
          page.add(new Numbered(sequenceOf(kv.key), kv.value));
        }
      }
    }
    return page;
  }

  /** Every version of an object, oldest first. */
  public List<ObjectVersion> versions(String database, String objectKey) {
    List<ObjectVersion> all = new ArrayList<>();
    try (KeyValueIterator<String, ObjectVersion> it = versions.prefixScan(HistoryStores.objectPrefix(database, objectKey), Serdes.String().serializer())) {
      it.forEachRemaining(kv -> all.add(kv.value));
    }
    return all;
  }

  /** The object as it was at a point (its last version at or before it), or empty (not yet made, or dropped). */
  public Optional<ObjectVersion> objectAt(String database, String objectKey, long point) {
    ObjectVersion last = null;
    for (ObjectVersion v : versions(database, objectKey)) {
      if (sequenceOf(database, v.getCommitId()) <= point) {
        last = v;
      }
    }
    return last == null || last.getDropped() ? Optional.empty() : Optional.of(last);
  }

  /** Every object of the source at a point, by object key. */
  public Map<String, ObjectVersion> objectsAt(String database, long point) {
    Map<String, ObjectVersion> at = new TreeMap<>();
    Map<String, Long> sequences = new java.util.HashMap<>();
    try (KeyValueIterator<String, ObjectVersion> it = versions.prefixScan(HistoryStores.databasePrefix(database), Serdes.String().serializer())) {
      while (it.hasNext()) {
        ObjectVersion v = it.next().value;
        long sequence = sequences.computeIfAbsent(v.getCommitId(), id -> sequenceOf(database, id));
        if (sequence <= point) {
          at.put(v.getObjectKey(), v);
        }
      }
    }
    at.values().removeIf(ObjectVersion::getDropped);
    return at;
  }

  /** The schema of the source at a point, as the catalog's model (objects recorded with a definition). */
  public SchemaModel schemaAt(String database, long point) {
    List<DbObject> objects = new ArrayList<>();
    for (ObjectVersion v : objectsAt(database, point).values()) {
      if (v.getDefinition() != null) {
        objects.add(Snapshots.object(v.getDefinition()));
      }
    }
    return SchemaModel.of(objects);
  }

  /**
   * The object key of a live object named {@code kind schema.name} or {@code schema.name} (the names index), or
   * {@code name} alone (a scan of the objects now), or given by its key ({@code kind:oid}).
   */
  public Optional<String> objectKeyOf(String database, String name) {
    String holders = names.get(HistoryStores.nameKey(database, name));
    List<String> found = new ArrayList<>();
    if (holders != null) {
      found.addAll(List.of(holders.split(" ")));
    } else if (name.matches("[a-z_]+:[0-9]+") && !versions(database, name).isEmpty()) {
      return Optional.of(name);
    } else if (!name.contains(".")) {
      for (ObjectVersion v : objectsAt(database, head(database).orElse(0L)).values()) {
        if (name.equals(v.getName())) {
          found.add(v.getObjectKey());
        }
      }
    }
    if (found.size() > 1) {
      throw new UnknownPoint(name + " names " + found.size() + " objects in " + database + ": name it as 'kind schema.name'");
    }
    return found.stream().findFirst();
  }

  /** The tags of a source, by name. */
  public Map<String, Tag> tags(String database) {
    Map<String, Tag> all = new TreeMap<>();
    try (KeyValueIterator<String, Tag> it = tags.prefixScan(HistoryStores.tagKey(database, ""), Serdes.String().serializer())) {
      it.forEachRemaining(kv -> all.put(kv.value.getName(), kv.value));
    }
    return all;
  }

  public Optional<Tag> tag(String database, String name) {
    return Optional.ofNullable(tags.get(HistoryStores.tagKey(database, name)));
  }

  /**
   * The point {@code at} names: a tag, a commit (its id or a unique prefix), or a time (ISO-8601: {@code
   * 2026-12-04T10:15:30Z}, a local date-time or a date, read as UTC), the last commit at or before it. Null or empty: now.
   */
  public long resolve(String database, String at) {
    long head = head(database).orElseThrow(() -> new UnknownPoint("unknown source: " + database));
    if (at == null || at.isBlank() || at.equals("HEAD")) {
      return head;
    }
    Optional<Tag> tag = tag(database, at);
    if (tag.isPresent()) {
      return sequenceOf(database, tag.get().getCommitId());
    }
    Optional<Numbered> commit = commit(database, at);
    if (commit.isPresent()) {
      return commit.get().sequence();
    }
    Instant time = time(at);
    if (time == null) {
      throw new UnknownPoint("'" + at + "' is neither a tag, nor a commit, nor a time (ISO-8601) of " + database);
    }
    long point = 0;
    try (KeyValueIterator<String, Commit> it = commitLog.range(HistoryStores.commitKey(database, 1), HistoryStores.commitKey(database, head))) {
      while (it.hasNext()) {
        KeyValue<String, Commit> kv = it.next();
        if (kv.value.getCommittedAt().isAfter(time)) {
          break;
        }
        point = sequenceOf(kv.key);
      }
    }
    return point;
  }

  /** A commit's changes as the API shows them: each object's before and after hash, and the statements. */
  public static Map<String, Object> summary(Change change) {
    Map<String, Object> row = new LinkedHashMap<>();
    ObjectVersion state = change.getAfter() != null ? change.getAfter() : change.getBefore();
    row.put("object", change.getObjectKey());
    row.put("kind", change.getKind());
    row.put("name", state == null ? null
        : (state.getSchema$() == null || "schema".equals(change.getKind()) ? "" : state.getSchema$() + ".") + state.getName());
    row.put("action", change.getAction());
    row.put("beforeHash", change.getBefore() == null ? null : change.getBefore().getHash());
    row.put("afterHash", change.getAfter() == null || change.getAfter().getDropped() ? null : change.getAfter().getHash());
    row.put("statement", change.getStatement());
    return row;
  }

  private static Instant time(String at) {
    try {
      return Instant.parse(at);
    } catch (DateTimeParseException ignored) {
      // not an instant
    }
    try {
      return LocalDateTime.parse(at).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
      // not a local date-time
    }
    try {
      return LocalDate.parse(at).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
      return null;
    }
  }

  private long sequenceOf(String database, String commitId) {
    String sequence = commitIds.get(HistoryStores.commitIdKey(database, commitId));
    return sequence == null ? Long.MAX_VALUE : Long.parseLong(sequence);
  }

  private static long sequenceOf(String commitKey) {
    return Long.parseLong(commitKey.substring(commitKey.indexOf(HistoryStores.SEP) + 1));
  }
}
