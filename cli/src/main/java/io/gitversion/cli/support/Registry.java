package io.gitversion.cli.support;

import io.gitversion.catalog.UserError;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.RemoteSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The registry of remotes as the CLI reads and writes it: the compacted topic {@code gitversion.remotes}. */
public final class Registry {
  private final Map<String, Object> props;
  private final String servers;

  /** {@code props}: the Kafka client's (bootstrap servers and timeouts). */
  public Registry(Map<String, Object> props, String servers) {
    this.props = props;
    this.servers = servers;
  }

  /** The Kafka brokers it reads and writes. */
  public String servers() {
    return servers;
  }

  /**
   * A new entry of the registry, as {@code gitversion remote add} (and {@code gitversion.sync_add_remote()}) make it:
   * a user error for a URL that holds a password, a bad name, an unknown strategy or kind, a map of a schema not taken.
   */
  public static RemoteSpec entry(String name, String url, String passwordFrom, List<String> sources, List<String> schemas,
                                 List<String> excludeSchemas, List<String> kinds, Map<String, String> mapSchemas,
                                 String strategy, String by) {
    io.gitversion.catalog.PgUrl parsed = io.gitversion.catalog.PgUrl.parse(url);
    if (parsed.password() != null) {
      throw new UserError("the URL holds a password, which would be written to " + Topics.REMOTES.name()
          + ": leave it out and give --password-from env:VAR or file:PATH (or a .pgpass entry for the syncer)");
    }
    new io.gitversion.syncer.Remote(name, parsed); // the name's rules
    if (strategy != null && !io.gitversion.syncer.SyncerConfig.STRATEGIES.contains(strategy)) {
      throw new UserError("the strategies are " + String.join(", ", io.gitversion.syncer.SyncerConfig.STRATEGIES)
          + ", not " + strategy);
    }
    io.gitversion.syncer.Subscription.of(schemas, excludeSchemas, kinds, mapSchemas); // known kinds, nothing both taken and excluded, ...
    return RemoteSpec.newBuilder().setName(name).setUrl(parsed.toString()).setPasswordFrom(passwordFrom)
        .setSources(sources).setSchemas(schemas).setExcludeSchemas(excludeSchemas)
        .setKinds(kinds.stream().map(k -> k.strip().toLowerCase(java.util.Locale.ROOT)).toList())
        .setMapSchemas(new HashMap<>(mapSchemas))
        .setStrategy(strategy).setChangedBy(by).setChangedAt(java.time.Instant.now()).build();
  }

  /** Adds an entry, after connecting to it as the syncer would (a remote that cannot be reached is not added); says how it answered. */
  public String add(RemoteSpec entry) {
    String reached = test(entry);
    if (read().containsKey(entry.getName())) {
      throw new UserError("remote " + entry.getName() + " is in the registry already: remove it first, or pick another name");
    }
    write(entry.getName(), entry);
    return reached;
  }

  /** Connects as the syncer would: one line on success, a user error naming the cause on failure. */
  public static String test(RemoteSpec entry) {
    io.gitversion.syncer.Remote remote = io.gitversion.syncer.Remote.of(entry);
    try (java.sql.Connection c = io.gitversion.catalog.Database.connect(remote.url());
         java.sql.Statement st = c.createStatement();
         java.sql.ResultSet rs = st.executeQuery("SELECT current_setting('server_version'), current_user, "
             + "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")) {
      rs.next();
      return "reachable, PostgreSQL " + rs.getString(1) + ", as " + rs.getString(2) + (rs.getBoolean(3) ? " (superuser)" : "");
    } catch (java.sql.SQLException | RuntimeException e) {
      throw new UserError("remote " + entry.getName() + " (" + entry.getUrl() + ") cannot be reached: " + e.getMessage());
    }
  }

  /** One remote of the registry; a user error naming {@code remote list} when there is none of that name. */
  public RemoteSpec entry(String name) {
    RemoteSpec entry = read().get(name);
    if (entry == null) {
      throw new UserError("no remote " + name + " in the registry (gitversion remote list)");
    }
    return entry;
  }

  /** Every remote (and tenant) of the registry now, by name (the topic read from its beginning to its end). */
  public Map<String, RemoteSpec> read() {
    return read(Topics.REMOTES);
  }

  /** Every tenant template now, by name ({@code gitversion.tenant-templates}). */
  public Map<String, io.gitversion.schemas.TenantTemplate> templates() {
    return read(Topics.TENANT_TEMPLATES);
  }

  /** A compacted topic of entries as it is now, by key, read from its beginning to its end (a tombstone removes). */
  public <V> Map<String, V> read(io.gitversion.contract.Topic<String, V> topic) {
    Map<String, Object> consumer = new HashMap<>(props);
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<String, V> entries = new TreeMap<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumer, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions;
      try {
        partitions = c.partitionsFor(topic.name(), Duration.ofSeconds(15)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        throw new UserError("cannot reach Kafka at " + servers + " within 15 s: is gitversion up (or the pipeline) running?");
      }
      if (partitions.isEmpty()) {
        throw new UserError("no pipeline at " + servers + ": topic " + topic.name() + " does not exist");
      }
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        c.poll(Duration.ofMillis(200)).forEach(r -> {
          if (r.value() == null) {
            entries.remove(r.key());
          } else {
            entries.put(r.key(), topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
          }
        });
      }
    }
    return entries;
  }

  /**
   * Refuses, in one line (exit 2), a command of the sync module while the module is not enabled (the compacted topic
   * {@code gitversion.modules}, read to its end).
   */
  public void requireSync(String command) {
    requireModule("sync", command);
  }

  /** Refuses, in one line (exit 2), a command of a module that is not enabled. */
  public void requireModule(String module, String command) {
    io.gitversion.schemas.ModuleState state = read(Topics.MODULES).get(module);
    if (state == null || !state.getEnabled()) {
      throw new UserError("'" + command + "' is part of the " + module + " module, which is not enabled: gitversion modules enable " + module);
    }
  }

  /** Writes a remote's (or tenant's) entry (null: removes it). */
  public void write(String name, RemoteSpec spec) {
    write(Topics.REMOTES, name, spec);
  }

  /** Writes a tenant template (null: removes it). */
  public void writeTemplate(String name, io.gitversion.schemas.TenantTemplate template) {
    write(Topics.TENANT_TEMPLATES, name, template);
  }

  /** Writes one entry of a compacted topic (null: a tombstone), acknowledged by every replica. */
  public <V> void write(io.gitversion.contract.Topic<String, V> topic, String key, V value) {
    Map<String, Object> producer = new HashMap<>(props);
    producer.put(ProducerConfig.ACKS_CONFIG, "all");
    producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(producer, new StringSerializer(), new ByteArraySerializer())) {
      byte[] bytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
      p.send(new ProducerRecord<>(topic.name(), key, bytes)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new UserError("cannot write to " + topic.name() + " at " + servers + ": " + e.getCause().getMessage());
    }
  }
}
