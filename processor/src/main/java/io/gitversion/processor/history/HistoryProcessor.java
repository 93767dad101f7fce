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
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/** Keeps every commit and every object version of the commits it reads, in source order (see {@link HistoryStores}). */
final class HistoryProcessor implements Processor<String, Commit, Void, Void> {
  private KeyValueStore<String, ObjectVersion> versions;
  private KeyValueStore<String, Commit> commitLog;
  private KeyValueStore<String, String> commitIds;
  private KeyValueStore<String, Long> sources;
  private KeyValueStore<String, String> stateLines;
  private KeyValueStore<String, String> stateHashes;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    versions = context.getStateStore(HistoryStores.VERSIONS);
    commitLog = context.getStateStore(HistoryStores.COMMIT_LOG);
    commitIds = context.getStateStore(HistoryStores.COMMIT_IDS);
    sources = context.getStateStore(HistoryStores.SOURCES);
    stateLines = context.getStateStore(HistoryStores.STATE_LINES);
    stateHashes = context.getStateStore(HistoryStores.STATE_HASHES);
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
        versions.put(HistoryStores.versionKey(database, change.getObjectKey(), after.getVersion()), after);
        String line = HistoryStores.objectPrefix(database, change.getObjectKey());
        if (after.getDropped() || after.getDefinition() == null || after.getHash() == null) {
          stateLines.delete(line);
        } else {
          stateLines.put(line, Snapshots.object(after.getDefinition()).id() + " " + after.getHash());
        }
      }
    }
    stateHashes.put(HistoryStores.commitKey(database, sequence), stateHash(database));
  }

  /** The state hash of the source's live objects (as {@code SchemaModel.stateHash()}: their id and hash lines, in id order). */
  private String stateHash(String database) {
    List<String> lines = new ArrayList<>();
    try (KeyValueIterator<String, String> it = stateLines.prefixScan(HistoryStores.databasePrefix(database), Serdes.String().serializer())) {
      it.forEachRemaining(kv -> lines.add(kv.value));
    }
    lines.sort(java.util.Comparator.comparing(l -> l.substring(0, l.lastIndexOf(' '))));
    StringBuilder text = new StringBuilder();
    lines.forEach(l -> text.append(l).append('\n'));
    return Sha256.of(text.toString());
  }
}
