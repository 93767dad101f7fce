package io.gitversion.contract;

import io.gitversion.schemas.BlueGreenDeployment;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.DdlEvent;
import io.gitversion.schemas.ModuleState;
import io.gitversion.schemas.ObjectVersion;
import io.gitversion.schemas.RemoteCommand;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.schemas.ShardCheck;
import io.gitversion.schemas.SyncResult;
import io.gitversion.schemas.Tag;
import io.gitversion.schemas.TenantTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalogue: every topic of the pipeline, declared once. Keys are the source database name (so one
 * database's events stay in one partition, in order) except where noted.
 */
public final class Topics {
  private static final String LARGE = String.valueOf(KafkaSettings.MAX_MESSAGE_BYTES);
  private static final Map<String, String> FOREVER = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
  /** Kept for good, and messages as large as a source transaction makes (KafkaSettings.MAX_MESSAGE_BYTES). */
  private static final Map<String, String> FOREVER_LARGE =
      Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.MAX_MESSAGE_BYTES_CONFIG, LARGE);
  private static final Map<String, String> COMPACTED =
      Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

  /** Committed source transactions' DDL, from the collector. History: kept for good. */
  public static final Topic<String, DdlEvent> DDL_EVENTS =
      new Topic<>("gitversion.ddl-events", Serdes.String(), AvroSerde.of(DdlEvent.class), FOREVER_LARGE);

  /** Latest state of every object; key {@code database/objectKey}; compacted. */
  public static final Topic<String, ObjectVersion> OBJECT_VERSIONS =
      new Topic<>("gitversion.object-versions", Serdes.String(), AvroSerde.of(ObjectVersion.class), COMPACTED);

  /** One record per object change, in source commit order; for subscribers (caches, code generators). */
  public static final Topic<String, Change> CHANGES =
      new Topic<>("gitversion.changes", Serdes.String(), AvroSerde.of(Change.class), FOREVER_LARGE);

  /** One record per source transaction with all its changes; what the syncer applies. */
  public static final Topic<String, Commit> COMMITS =
      new Topic<>("gitversion.commits", Serdes.String(), AvroSerde.of(Commit.class), FOREVER_LARGE);

  /** What each remote did with each commit; key: remote name. */
  public static final Topic<String, SyncResult> SYNC_RESULTS =
      new Topic<>("gitversion.sync-results", Serdes.String(), AvroSerde.of(SyncResult.class), FOREVER_LARGE);

  /** Requests to the syncer about one remote (resume, skip, rebase); key: remote name. */
  public static final Topic<String, RemoteCommand> REMOTE_COMMANDS =
      new Topic<>("gitversion.remote-commands", Serdes.String(), AvroSerde.of(RemoteCommand.class), Map.of());

  /** Tags: a name for a commit and the state hash at it; key {@code database/name}; compacted (a tag is kept for good). */
  public static final Topic<String, Tag> TAGS =
      new Topic<>("gitversion.tags", Serdes.String(), AvroSerde.of(Tag.class), COMPACTED);

  /** Which optional modules are enabled; key: the module's name; compacted. */
  public static final Topic<String, ModuleState> MODULES =
      new Topic<>("gitversion.modules", Serdes.String(), AvroSerde.of(ModuleState.class), COMPACTED);

  /** The registry of remotes (gitversion remote add); key: the remote's name; compacted, a tombstone removes one. */
  public static final Topic<String, RemoteSpec> REMOTES =
      new Topic<>("gitversion.remotes", Serdes.String(), AvroSerde.of(RemoteSpec.class), COMPACTED);

  /** Tenant templates (gitversion tenants template); key: the template's name; compacted, a tombstone removes one. */
  public static final Topic<String, TenantTemplate> TENANT_TEMPLATES =
      new Topic<>("gitversion.tenant-templates", Serdes.String(), AvroSerde.of(TenantTemplate.class), COMPACTED);

  /** The last consistency check of each shard group (gitversion shards check); key: the group; compacted. */
  public static final Topic<String, ShardCheck> SHARD_CHECKS =
      new Topic<>("gitversion.shard-checks", Serdes.String(), AvroSerde.of(ShardCheck.class), COMPACTED);

  /** Blue-green schema deployments (gitversion bluegreen); key: source/schema; compacted. */
  public static final Topic<String, BlueGreenDeployment> BLUEGREEN =
      new Topic<>("gitversion.bluegreen", Serdes.String(), AvroSerde.of(BlueGreenDeployment.class), COMPACTED);

  /** The optional modules there are (core is always on). */
  public static final List<String> MODULE_NAMES = List.of("sync", "advanced");

  /** Records no stage could read, with the reason in their headers. */
  public static final Topic<byte[], byte[]> DEAD_LETTER =
      new Topic<>("gitversion.dead-letter", Serdes.ByteArray(), Serdes.ByteArray(), FOREVER);

  private Topics() {}

  public static List<Topic<?, ?>> all() {
    return List.of(DDL_EVENTS, OBJECT_VERSIONS, CHANGES, COMMITS, SYNC_RESULTS, REMOTE_COMMANDS, TAGS, MODULES, REMOTES, TENANT_TEMPLATES,
        SHARD_CHECKS, BLUEGREEN, DEAD_LETTER);
  }

  /**
   * Creates every topic that does not exist yet; of existing topics, only the message size limit is raised to what
   * the pipeline needs (topics created before 0.3 had the broker's default, 1 MB). A broker that does not answer within
   * {@link #BROKER_WAIT} is a configuration error naming {@code servers}: a stage does not wait for it in silence.
   */
  public static void createAll(Admin admin, String servers, int partitions, short replicationFactor) {
    try {
      Set<String> existing;
      try {
        existing = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().timeoutMs((int) BROKER_WAIT.toMillis()))
            .names().get(BROKER_WAIT.toMillis() + 1_000, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
        if (e instanceof ExecutionException failed && !(failed.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
          throw failed;
        }
        // a stage started without its broker says so and stops, rather than wait in silence
        throw new org.apache.kafka.common.config.ConfigException("no Kafka broker answered at " + servers + " within " + BROKER_WAIT.toSeconds()
            + " s: is it running, and is that its address (" + KafkaSettings.BOOTSTRAP_SERVERS_CONFIG + ")?");
      }
      List<NewTopic> missing = new ArrayList<>();
      Map<org.apache.kafka.common.config.ConfigResource, java.util.Collection<org.apache.kafka.clients.admin.AlterConfigOp>> limits =
          new java.util.HashMap<>();
      for (Topic<?, ?> topic : all()) {
        if (!existing.contains(topic.name())) {
          missing.add(new NewTopic(topic.name(), partitions, replicationFactor).configs(topic.config()));
        } else if (topic.config().containsKey(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)) {
          limits.put(new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic.name()),
              List.of(new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(
                  TopicConfig.MAX_MESSAGE_BYTES_CONFIG, topic.config().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)),
                  org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
      }
      if (!limits.isEmpty()) {
        admin.incrementalAlterConfigs(limits).all().get();
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  /** How long a stage waits, when it starts, for its broker to answer. */
  public static final java.time.Duration BROKER_WAIT = java.time.Duration.ofSeconds(30);

  public static Set<String> names() {
    return all().stream().map(Topic::name).collect(Collectors.toUnmodifiableSet());
  }

  /** Key of {@link #OBJECT_VERSIONS} and of the processor's object store. */
  public static String objectKey(String database, String objectKey) {
    return database + "/" + objectKey;
  }

}
