package io.gitversion.processor.internals;

import io.gitversion.contract.Topics;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.DdlEvent;
import io.gitversion.schemas.ObjectVersion;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versions every object of a source database: takes one source transaction at a time, in source commit order (one
 * database lives in one partition), drops redeliveries, and emits the commit, its changes and the objects' new states.
 */
public final class VersioningProcessor implements Processor<String, DdlEvent, String, SpecificRecord> {
  private static final Logger log = LoggerFactory.getLogger(VersioningProcessor.class);

  private final io.micrometer.core.instrument.MeterRegistry meters;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, ObjectVersion> objects;
  private KeyValueStore<String, String> heads;
  private Neighbourhood neighbourhood;
  private Tags tags;

  VersioningProcessor(io.micrometer.core.instrument.MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.objects = context.getStateStore(VersioningTopology.OBJECTS_STORE);
    this.heads = context.getStateStore(VersioningTopology.HEADS_STORE);
    this.neighbourhood = new Neighbourhood(objects);
    this.tags = new Tags(objects, context.getStateStore(io.gitversion.processor.history.HistoryStores.TAGS));
  }

  static boolean isModule(io.gitversion.schemas.DdlRecord record) {
    return "module".equals(record.getKind()) && ("enable".equals(record.getAction()) || "disable".equals(record.getAction()));
  }

  @Override
  public void process(Record<String, DdlEvent> record) {
    DdlEvent event = record.value();
    String database = event.getDatabase();
    Head head = Head.parse(heads.get(database));
    if (head.alreadyHas(event.getEventId(), event.getCommitLsn())) {
      log.debug("dropping redelivered {}", event.getEventId());
      return;
    }
    // tags made in SQL (gitversion.tag()) travel with their transaction: they name its commit, or the last before it
    java.util.List<io.gitversion.schemas.DdlRecord> tagged = event.getRecords().stream().filter(Tags::isTag).toList();
    // so do modules enabled or disabled in SQL (gitversion.enable_module()): recorded for the whole pipeline
    java.util.List<io.gitversion.schemas.DdlRecord> modules = event.getRecords().stream().filter(VersioningProcessor::isModule).toList();
    if (!tagged.isEmpty() || !modules.isEmpty()) {
      event = DdlEvent.newBuilder(event).setRecords(event.getRecords().stream().filter(r -> !Tags.isTag(r) && !isModule(r)).toList()).build();
    }
    for (io.gitversion.schemas.DdlRecord module : modules) {
      io.gitversion.schemas.ModuleState state = io.gitversion.schemas.ModuleState.newBuilder().setName(module.getName())
          .setEnabled("enable".equals(module.getAction())).setChangedBy(event.getAuthor().getRole()).setChangedAt(event.getCapturedAt())
          .setSource(database).build();
      context.forward(new Record<String, SpecificRecord>(module.getName(), state, event.getCapturedAt().toEpochMilli()), VersioningTopology.MODULES_SINK);
    }
    Optional<CommitBuilder.Result> result = event.getRecords().isEmpty() ? Optional.empty() :
        CommitBuilder.build(event, new CommitBuilder.State() {
          @Override
          public ObjectVersion byKey(String key) {
            return objects.get(Topics.objectKey(database, key));
          }

          @Override
          public String keyOf(String id) {
            return neighbourhood.keyOf(database, id);
          }

          @Override
          public java.util.Collection<io.gitversion.catalog.model.DbObject> around(java.util.Collection<CommitPlanner.Touched> touched) {
            return neighbourhood.around(database, touched);
          }
        }, head.commitId());
    String commitId = head.commitId();
    if (result.isPresent()) {
      CommitBuilder.Result r = result.get();
      commitId = r.commit().getId();
      long time = event.getCapturedAt().toEpochMilli();
      for (ObjectVersion version : r.versions()) {
        String key = Topics.objectKey(database, version.getObjectKey());
        objects.put(key, version);
        neighbourhood.update(database, version);
        context.forward(new Record<String, SpecificRecord>(key, version, time), VersioningTopology.VERSIONS_SINK);
      }
      for (Change change : r.commit().getChanges()) {
        context.forward(new Record<String, SpecificRecord>(database, change, time), VersioningTopology.CHANGES_SINK);
      }
      context.forward(new Record<String, SpecificRecord>(database, r.commit(), time), VersioningTopology.COMMITS_SINK);
      meters.counter(io.gitversion.observability.MetricNames.COMMITS_PROCESSED, "source", database).increment();
      log.info("commit {} of {} by {}: {}", commitId.substring(0, 12), database, event.getAuthor().getRole(),
          r.commit().getChanges().stream().map(c -> c.getAction() + " " + c.getObjectKey()).toList());
    }
    heads.put(database, new Head(event.getCommitLsn(), event.getEventId(), commitId).format());
    for (io.gitversion.schemas.DdlRecord tag : tagged) {
      tags.make(context, event, tag, commitId);
    }
  }
}
