package io.gitversion.processor.history;

import io.gitversion.catalog.model.Sha256;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.ObjectVersion;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;

/** Keeps every commit and every object version of the commits it reads, in source order (see {@link HistoryStores}). */
final class HistoryProcessor implements Processor<String, Commit, Void, Void> {
  private KeyValueStore<String, ObjectVersion> versions;
  private KeyValueStore<String, Commit> commitLog;
  private KeyValueStore<String, String> commitIds;
  private KeyValueStore<String, Long> sources;
  private KeyValueStore<String, String> stateLines;
  private KeyValueStore<String, String> stateHashes;
  private KeyValueStore<String, String> names;
  private KeyValueStore<String, String> actions;
  private final Map<String, java.util.TreeMap<String, String>> stateByDatabase = new HashMap<>();
  private final Map<String, Map<String, String>> idsByDatabase = new HashMap<>();

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    versions = context.getStateStore(HistoryStores.VERSIONS);
    commitLog = context.getStateStore(HistoryStores.COMMIT_LOG);
    commitIds = context.getStateStore(HistoryStores.COMMIT_IDS);
    sources = context.getStateStore(HistoryStores.SOURCES);
    stateLines = context.getStateStore(HistoryStores.STATE_LINES);
    stateHashes = context.getStateStore(HistoryStores.STATE_HASHES);
    names = context.getStateStore(HistoryStores.NAMES);
    actions = context.getStateStore(HistoryStores.ACTIONS);
  }

  @Override
  public void process(Record<String, Commit> record) {
    Commit commit = record.value();
    if (commit == null) {
      return;
    }
    String database = commit.getDatabase();
    if (commitIds.get(HistoryStores.commitIdKey(database, commit.getId())) != null) {
      return; // read again (the topic's records are kept for good): already kept
    }
    Long last = sources.get(database);
    long sequence = last == null ? 1 : last + 1;
    commitLog.put(HistoryStores.commitKey(database, sequence), commit);
    commitIds.put(HistoryStores.commitIdKey(database, commit.getId()), Long.toString(sequence));
    sources.put(database, sequence);
    for (Change change : commit.getChanges()) {
      ObjectVersion after = change.getAfter();
      if (after != null) {
        String versionKey = HistoryStores.versionKey(database, change.getObjectKey(), after.getVersion());
        versions.put(versionKey, after);
        actions.put(versionKey, change.getAction() + "\t" + (change.getStatement() == null ? "" : change.getStatement()));
        rename(database, change.getObjectKey(), change.getBefore(), after);
        String lineKey = HistoryStores.objectPrefix(database, change.getObjectKey());
        if (after.getDropped() || after.getDefinition() == null || after.getHash() == null) {
          line(database, lineKey, null, null);
        } else {
          line(database, lineKey, Snapshots.object(after.getDefinition()).id(), after.getHash());
        }
      }
    }
    stateHashes.put(HistoryStores.commitKey(database, sequence), stateHash(database));
  }

  /** Keeps the names index: the object leaves its old names and, unless dropped, takes its new ones. */
  private void rename(String database, String objectKey, ObjectVersion before, ObjectVersion after) {
    if (before != null) {
      for (String name : HistoryStores.names(before)) {
        String key = HistoryStores.nameKey(database, name);
        String holders = names.get(key);
        if (holders != null) {
          java.util.List<String> rest = new ArrayList<>(List.of(holders.split(" ")));
          rest.remove(objectKey);
          if (rest.isEmpty()) {
            names.delete(key);
          } else {
            names.put(key, String.join(" ", rest));
          }
        }
      }
    }
    if (!after.getDropped()) {
      for (String name : HistoryStores.names(after)) {
        String key = HistoryStores.nameKey(database, name);
        String holders = names.get(key);
        if (holders == null) {
          names.put(key, objectKey);
        } else if (!List.of(holders.split(" ")).contains(objectKey)) {
          names.put(key, holders + " " + objectKey);
        }
      }
    }
  }

  /**
   * The state hash of the source's live objects (as {@code SchemaModel.stateHash()}: their id and hash lines, in id
   * order), from the lines kept in memory per source (read from {@value HistoryStores#STATE_LINES} once), so that a
   * commit costs one pass over the lines, not a sort.
   */
  private String stateHash(String database) {
    StringBuilder text = new StringBuilder();
    lines(database).forEach((id, hash) -> text.append(id).append(' ').append(hash).append('\n'));
    return Sha256.of(text.toString());
  }

  /** The source's state lines in id order, and each object key's id: read from the store when first needed. */
  private java.util.TreeMap<String, String> lines(String database) {
    return stateByDatabase.computeIfAbsent(database, db -> {
      java.util.TreeMap<String, String> byId = new java.util.TreeMap<>();
      Map<String, String> ids = new HashMap<>();
      try (KeyValueIterator<String, String> it = stateLines.prefixScan(HistoryStores.databasePrefix(db), Serdes.String().serializer())) {
        it.forEachRemaining(kv -> {
          int space = kv.value.lastIndexOf(' ');
          byId.put(kv.value.substring(0, space), kv.value.substring(space + 1));
          ids.put(kv.key, kv.value.substring(0, space));
        });
      }
      idsByDatabase.put(db, ids);
      return byId;
    });
  }

  /** Sets (or, with a null id, removes) an object's line. */
  private void line(String database, String lineKey, String id, String hash) {
    java.util.TreeMap<String, String> byId = lines(database);
    Map<String, String> ids = idsByDatabase.get(database);
    String old = ids.remove(lineKey);
    if (old != null) {
      byId.remove(old);
    }
    if (id == null) {
      stateLines.delete(lineKey);
    } else {
      byId.put(id, hash);
      ids.put(lineKey, id);
      stateLines.put(lineKey, id + " " + hash);
    }
  }
}
