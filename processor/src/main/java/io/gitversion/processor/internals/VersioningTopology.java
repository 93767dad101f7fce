package io.gitversion.processor.internals;

import io.gitversion.contract.AvroSerde;
import io.gitversion.contract.Topic;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.ObjectVersion;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The processor's topology: ddl-events → versioning (stores: objects, heads) → commits, changes, object-versions; and
 * commits → history (stores: versions, commit-log, commit-ids, sources), tags → the tags' global store.
 */
public final class VersioningTopology {
  public static final String OBJECTS_STORE = "objects";
  public static final String HEADS_STORE = "heads";
  static final String SOURCE = "ddl-events";
  static final String VERSIONING = "versioning";
  static final String COMMITS_SINK = "commits";
  static final String CHANGES_SINK = "changes";
  static final String VERSIONS_SINK = "object-versions";
  static final String TAGS_SINK = "tags";
  static final String MODULES_SINK = "modules";

  private VersioningTopology() {}

  public static Topology build() {
    return build(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  /** The topology, counting the commits it makes in {@code meters}. */
  public static Topology build(io.micrometer.core.instrument.MeterRegistry meters) {
    Topology topology = new Topology();
    topology.addSource(SOURCE, Topics.DDL_EVENTS.keySerde().deserializer(), Topics.DDL_EVENTS.valueSerde().deserializer(),
        Topics.DDL_EVENTS.name());
    topology.addProcessor(VERSIONING, () -> new VersioningProcessor(meters), SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OBJECTS_STORE), Serdes.String(),
        AvroSerde.of(ObjectVersion.class)), VERSIONING);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HEADS_STORE), Serdes.String(),
        Serdes.String()), VERSIONING);
    addSink(topology, COMMITS_SINK, Topics.COMMITS);
    addSink(topology, CHANGES_SINK, Topics.CHANGES);
    addSink(topology, VERSIONS_SINK, Topics.OBJECT_VERSIONS);
    addSink(topology, TAGS_SINK, Topics.TAGS);
    addSink(topology, MODULES_SINK, Topics.MODULES);
    io.gitversion.processor.history.HistoryStores.addTo(topology);
    return topology;
  }

  @SuppressWarnings("unchecked")
  private static <V extends SpecificRecord> void addSink(Topology topology, String name, Topic<String, V> topic) {
    Serializer<SpecificRecord> values = (Serializer<SpecificRecord>) topic.valueSerde().serializer();
    topology.addSink(name, topic.name(), topic.keySerde().serializer(), values, VERSIONING);
  }
}
