package io.gitversion.processor.internals;

import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.contract.Topics;
import io.gitversion.processor.history.HistoryStores;
import io.gitversion.schemas.DdlEvent;
import io.gitversion.schemas.DdlRecord;
import io.gitversion.schemas.ObjectVersion;
import io.gitversion.schemas.Tag;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tags made in SQL in a source ({@code gitversion.tag()}): a record of the capture stream that names the commit of
 * its transaction (or the last one before), recorded on {@code gitversion.tags} with the schema state hash at it. A
 * name that another commit holds already is refused, as tags do not move (the log says so).
 */
final class Tags {
  private static final Logger log = LoggerFactory.getLogger(Tags.class);

  private final KeyValueStore<String, ObjectVersion> objects;
  private final KeyValueStore<String, Tag> tags;

  Tags(KeyValueStore<String, ObjectVersion> objects, KeyValueStore<String, Tag> tags) {
    this.objects = objects;
    this.tags = tags;
  }

  static boolean isTag(DdlRecord record) {
    return "tag".equals(record.getKind()) && "tag".equals(record.getAction());
  }

  void make(ProcessorContext<String, SpecificRecord> context, DdlEvent event, DdlRecord record, String commitId) {
    String database = event.getDatabase();
    String name = record.getName();
    if (commitId == null) {
      log.warn("tag {} of {} refused: the source has no commit yet to name", name, database);
      return;
    }
    Tag existing = tags.get(HistoryStores.tagKey(database, name));
    if (existing != null) {
      if (!existing.getCommitId().equals(commitId)) {
        log.warn("tag {} of {} refused: it names commit {} already, and tags do not move", name, database, existing.getCommitId().substring(0, 12));
      }
      return;
    }
    Tag tag = Tag.newBuilder().setDatabase(database).setName(name).setCommitId(commitId).setStateHash(stateHash(database))
        .setMessage(record.getStatement()).setCreatedBy(event.getAuthor().getRole()).setCreatedAt(event.getCapturedAt()).build();
    context.forward(new Record<String, SpecificRecord>(HistoryStores.tagKey(database, name), tag, event.getCapturedAt().toEpochMilli()),
        VersioningTopology.TAGS_SINK);
    log.info("tag {} of {}: commit {}", name, database, commitId.substring(0, 12));
  }

  /** The source's schema state hash now: of its objects as the store holds them (those recorded with a definition). */
  private String stateHash(String database) {
    List<DbObject> now = new ArrayList<>();
    try (KeyValueIterator<String, ObjectVersion> it = objects.prefixScan(Topics.objectKey(database, ""), Serdes.String().serializer())) {
      it.forEachRemaining(kv -> {
        if (!kv.value.getDropped() && kv.value.getDefinition() != null) {
          now.add(Snapshots.object(kv.value.getDefinition()));
        }
      });
    }
    return SchemaModel.of(now).stateHash();
  }
}
