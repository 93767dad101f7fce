package io.gitversion.cli.support;

import io.gitversion.catalog.PgUrl;
import io.gitversion.collector.Collector;
import io.gitversion.collector.CollectorConfig;
import io.gitversion.collector.SourceInstaller;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.embedded.EmbeddedKafka;
import io.gitversion.embedded.EmbeddedPostgres;
import io.gitversion.embedded.PostgresBinaries;
import io.gitversion.processor.ProcessorConfig;
import io.gitversion.processor.ProcessorStage;
import io.gitversion.syncer.Syncer;
import io.gitversion.syncer.SyncerConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Everything in one JVM: an in-process Kafka broker, a source and remote PostgreSQL servers from embedded
 * binaries, capture installed in the source, and the three stages, with remotes subscribed to everything.
 */
public final class EmbeddedPipeline implements AutoCloseable {
  public static final String DATABASE = "app";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private EmbeddedKafka kafka;
  private PgUrl source;
  private final Map<String, PgUrl> remotes = new LinkedHashMap<>();
  private ProcessorStage processor;
  private Syncer syncer;
  private Collector collector;
  /** The three stages' meters and readiness checks, served on the dashboard's address. */
  private final io.gitversion.observability.Observability observability = new io.gitversion.observability.Observability();

  private EmbeddedPipeline() {}

  /** Starts a pipeline with remotes named {@code r1..rN}, all on the PostgreSQL release the environment names. */
  public static EmbeddedPipeline start(int remoteCount) throws InterruptedException {
    PostgresBinaries binaries = PostgresBinaries.fromEnvironment();
    return start(binaries, java.util.Collections.nCopies(remoteCount, binaries));
  }

  /** Starts a pipeline whose source and remotes ({@code r1..rN}) run the PostgreSQL releases given. */
  public static EmbeddedPipeline start(PostgresBinaries sourceRelease, List<PostgresBinaries> remoteReleases)
      throws InterruptedException {
    EmbeddedPipeline pipeline = new EmbeddedPipeline();
    try {
      pipeline.startAll(sourceRelease, remoteReleases);
      return pipeline;
    } catch (RuntimeException | InterruptedException e) {
      pipeline.close();
      throw e;
    }
  }

  private void startAll(PostgresBinaries sourceRelease, List<PostgresBinaries> remoteReleases) throws InterruptedException {
    own(observability);
    CompletableFuture<EmbeddedKafka> broker = CompletableFuture.supplyAsync(EmbeddedKafka::start);
    CompletableFuture<EmbeddedPostgres> sourceServer =
        CompletableFuture.supplyAsync(() -> EmbeddedPostgres.start("source", sourceRelease));
    List<CompletableFuture<EmbeddedPostgres>> remoteServers = new ArrayList<>();
    for (int i = 1; i <= remoteReleases.size(); i++) {
      String name = "r" + i;
      PostgresBinaries release = remoteReleases.get(i - 1);
      remoteServers.add(CompletableFuture.supplyAsync(() -> EmbeddedPostgres.start(name, release)));
    }
    kafka = own(join(broker));
    EmbeddedPostgres sourcePg = own(join(sourceServer));
    source = PgUrl.parse(sourcePg.createDatabase(DATABASE));
    for (CompletableFuture<EmbeddedPostgres> future : remoteServers) {
      EmbeddedPostgres remote = own(join(future));
      remotes.put(remote.name(), PgUrl.parse(remote.createDatabase(DATABASE)));
    }
    remotes.values().forEach(remote -> publicSchemaAsTheSources(source, remote));

    Map<String, Object> kafkaKeys = Map.of(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        KafkaSettings.TOPIC_PARTITIONS_CONFIG, "1");
    CollectorConfig collectorConfig = new CollectorConfig(with(kafkaKeys, Map.of(CollectorConfig.SOURCE_URL_CONFIG, source.toUriWithPassword())));
    SourceInstaller.install(source, collectorConfig.slotName());

    processor = own(new ProcessorStage(new ProcessorConfig(with(kafkaKeys, Map.of(ProcessorConfig.DASHBOARD_PORT_CONFIG, "0"))), observability));
    processor.start(START_TIMEOUT);
    String remoteSpec = remotes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().toUriWithPassword())
        .collect(Collectors.joining(","));
    syncer = own(new Syncer(new SyncerConfig(with(kafkaKeys, Map.of(SyncerConfig.REMOTES_CONFIG, remoteSpec))), observability));
    syncer.start();
    collector = own(new Collector(collectorConfig, observability));
    collector.start(START_TIMEOUT);
    own(io.gitversion.cli.sync.SourceRequests.start(source, collectorConfig.sourceName(), KafkaOptions.of(kafka.bootstrapServers()).registry(),
        processor.dashboardUrl().orElse(null)));
  }

  /**
   * A remote made here starts as the source's new database does. Across the 14/15 line they differ: PostgreSQL 15
   * revoked CREATE on schema public from PUBLIC, so the remote's public is granted as the source's
   * (docs/postgres-versions.md; a remote of the user's own is left as it is, and the syncer reports the difference).
   */
  private static void publicSchemaAsTheSources(PgUrl source, PgUrl remote) {
    try (java.sql.Connection s = io.gitversion.catalog.Database.connect(source);
        java.sql.Connection r = io.gitversion.catalog.Database.connect(remote);
        java.sql.Statement st = r.createStatement()) {
      boolean sourceGrants = io.gitversion.catalog.inspect.CrossRelease.major(s) < 15;
      boolean remoteGrants = io.gitversion.catalog.inspect.CrossRelease.major(r) < 15;
      if (sourceGrants != remoteGrants) {
        st.execute((sourceGrants ? "GRANT CREATE ON SCHEMA public TO PUBLIC" : "REVOKE CREATE ON SCHEMA public FROM PUBLIC"));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot prepare remote " + remote + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> with(Map<String, Object> base, Map<String, Object> more) {
    Map<String, Object> all = new LinkedHashMap<>(base);
    all.putAll(more);
    return all;
  }

  private <T extends AutoCloseable> T own(T resource) {
    resources.push(resource);
    return resource;
  }

  private static <T> T join(CompletableFuture<T> future) throws InterruptedException {
    try {
      return future.get();
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
    }
  }

  public PgUrl source() {
    return source;
  }

  public Map<String, PgUrl> remotes() {
    return java.util.Collections.unmodifiableMap(remotes);
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String dashboardUrl() {
    return processor.dashboardUrl().orElse("");
  }

  public io.gitversion.observability.Observability observability() {
    return observability;
  }

  public Syncer syncer() {
    return syncer;
  }

  public ProcessorStage processor() {
    return processor;
  }

  /** Stops everything in reverse order of start; the first failure is rethrown after all were tried. */
  @Override
  public void close() {
    RuntimeException first = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
