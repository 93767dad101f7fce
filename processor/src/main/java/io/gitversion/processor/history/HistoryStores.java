package io.gitversion.processor.history;

import io.gitversion.contract.AvroSerde;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.ObjectVersion;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The history's state stores and their keys. Built from {@code gitversion.commits} (kept for good), in the partition
 * of the commit's source, so that a lost state directory is rebuilt from the changelogs (or the topic) and a source's
 * whole history lives on the instance that owns its partition:
 * <ul>
 *   <li>{@value #VERSIONS}: every version of every object, {@code database NUL objectKey NUL version (10 digits)};
 *       {@value #ACTIONS}: under the same key, the change that made it: its action, a tab, the source's statement;
 *   <li>{@value #COMMIT_LOG}: every commit in source order, {@code database NUL sequence (12 digits)};
 *   <li>{@value #COMMIT_IDS}: a commit's sequence by its id, {@code database NUL commitId};
 *   <li>{@value #SOURCES}: each source's last sequence, by database;
 *   <li>{@value #STATE_LINES}: each live object's line of the state hash ({@code id hash}), {@code database NUL
 *       objectKey}; {@value #STATE_HASHES}: the schema state hash after each commit, keyed as the commit log;
 *   <li>{@value #NAMES}: the live objects by the names users give them, {@code database NUL schema.name} and
 *       {@code database NUL kind schema.name}, to their object keys (space separated when several share a name).
 * </ul>
 * Tags and modules are global stores ({@value #TAGS} from the compacted {@code gitversion.tags}, key {@code
 * database/name}; {@value #MODULES} from {@code gitversion.modules}): few, and every instance answers them.
 */
public final class HistoryStores {
  public static final String VERSIONS = "versions";
  public static final String COMMIT_LOG = "commit-log";
  public static final String COMMIT_IDS = "commit-ids";
  public static final String SOURCES = "sources";
  public static final String STATE_LINES = "state-lines";
  public static final String STATE_HASHES = "state-hashes";
  public static final String NAMES = "names";
  public static final String ACTIONS = "version-actions";
  public static final String TAGS = "tags";
  public static final String MODULES = "modules";
  static final String SOURCE = "commits-history";
  static final String PROCESSOR = "history";
  /** Separates a key's parts: no identifier or database name holds it. */
  static final char SEP = '\u0000';

  private HistoryStores() {}

  /** Adds the history sub-topology and the tags' global store. */
  public static void addTo(Topology topology) {
    topology.addSource(SOURCE, Topics.COMMITS.keySerde().deserializer(), Topics.COMMITS.valueSerde().deserializer(), Topics.COMMITS.name());
    topology.addProcessor(PROCESSOR, HistoryProcessor::new, SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VERSIONS), Serdes.String(),
        AvroSerde.of(ObjectVersion.class)), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COMMIT_LOG), Serdes.String(),
        AvroSerde.of(Commit.class)), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COMMIT_IDS), Serdes.String(),
        Serdes.String()), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SOURCES), Serdes.String(),
        Serdes.Long()), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_LINES), Serdes.String(),
        Serdes.String()), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_HASHES), Serdes.String(),
        Serdes.String()), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NAMES), Serdes.String(),
        Serdes.String()), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACTIONS), Serdes.String(),
        Serdes.String()), PROCESSOR);
    addGlobalTable(topology, TAGS, Topics.TAGS);
    addGlobalTable(topology, MODULES, Topics.MODULES);
  }

  /** A compacted topic read whole into a global store of the same records, on every instance. */
  private static <V extends org.apache.avro.specific.SpecificRecord> void addGlobalTable(Topology topology, String store,
                                                                                     io.gitversion.contract.Topic<String, V> topic) {
    topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), topic.valueSerde())
            .withLoggingDisabled(), store + "-source", topic.keySerde().deserializer(), topic.valueSerde().deserializer(), topic.name(),
        store + "-store", () -> new org.apache.kafka.streams.processor.api.Processor<String, V, Void, Void>() {
          private org.apache.kafka.streams.state.KeyValueStore<String, V> kept;

          @Override
          public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> context) {
            kept = context.getStateStore(store);
          }

          @Override
          public void process(org.apache.kafka.streams.processor.api.Record<String, V> record) {
            if (record.value() == null) {
              kept.delete(record.key());
            } else {
              kept.put(record.key(), record.value());
            }
          }
        });
  }

  static String versionKey(String database, String objectKey, int version) {
    return objectPrefix(database, objectKey) + String.format("%010d", version);
  }

  static String objectPrefix(String database, String objectKey) {
    return database + SEP + objectKey + SEP;
  }

  static String databasePrefix(String database) {
    return database + SEP;
  }

  /** The names an object version is found by: {@code schema.name} and {@code kind schema.name}. */
  static java.util.List<String> names(io.gitversion.schemas.ObjectVersion v) {
    String qualified = (v.getSchema$() == null ? "" : v.getSchema$() + ".") + v.getName();
    return java.util.List.of(qualified, v.getKind() + " " + qualified);
  }

  static String nameKey(String database, String name) {
    return database + SEP + name;
  }

  static String commitKey(String database, long sequence) {
    return database + SEP + String.format("%012d", sequence);
  }

  static String commitIdKey(String database, String commitId) {
    return database + SEP + commitId;
  }

  /** The key of a tag on {@code gitversion.tags} and in the tags store. */
  public static String tagKey(String database, String name) {
    return database + "/" + name;
  }
}
