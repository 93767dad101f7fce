package io.gitversion.cli.command;

import io.gitversion.catalog.UserError;
import io.gitversion.cli.Main;
import io.gitversion.cli.support.Registry;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.schemas.SyncResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gitversion remote ...}: the registry of remotes ({@code add}, {@code list}, {@code show}, {@code test}, {@code
 * remove}, {@code pause}; the compacted topic {@code gitversion.remotes}, which the running syncer follows), and
 * requests to the running syncer about one remote ({@code resume}, {@code skip}, {@code rebase}), answered by it. No
 * restart: the syncer takes both between commits.
 */
@Command(name = "remote", mixinStandardHelpOptions = true,
    description = {"The registry of remotes, followed live by the running syncer (or gitversion up):",
        "  add NAME URL  a remote to keep in step (it joins by rebase); the URL holds no password:",
        "                --password-from env:VAR|file:PATH, or the syncer's .pgpass; a part of the",
        "                sources: --schemas, --exclude-schemas, --kinds, --map-schema FROM=TO",
        "  list, show NAME, test NAME, remove NAME, pause NAME",
        "and requests to the running syncer about one remote:",
        "  resume NAME   resume a paused remote, or retry the commit it stopped at (after fixing its cause)",
        "  skip NAME     pass over that commit (recorded as skipped; the remote lacks it)",
        "  rebase NAME   bring the remote to the source's current state with one planned,",
        "                verified migration (dropping what the source does not have), then follow",
        "Exit 0 when done, 2 when refused or when no syncer answers."})
public final class RemoteCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Option(names = "--" + KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, paramLabel = "HOST:PORT", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Kafka brokers (gitversion up prints them as 'kafka ...'). Env: GITVERSION_KAFKA_BOOTSTRAP_SERVERS. Default: 127.0.0.1:9092.")
  String bootstrapServers;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "How long to wait for the syncer's answer. Default: ${DEFAULT-VALUE}.")
  int timeoutSeconds;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "name an action: add, list, show, test, remove, pause, resume, skip or rebase");
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused remote, or retry the commit it stopped at.")
  int resume(@Parameters(paramLabel = "NAME", description = "The remote.") String remote) {
    Registry registry = new Registry(clientProperties(), servers());
    RemoteSpec entry = registry.read().get(remote);
    if (entry != null && entry.getPaused()) {
      registry.write(remote, RemoteSpec.newBuilder(entry).setPaused(false).setChangedBy(user()).setChangedAt(Instant.now()).build());
      spec.commandLine().getOut().println("remote " + remote + ": resumed (it was paused)");
      spec.commandLine().getOut().flush();
      return 0;
    }
    return request(remote, "resume", null, null);
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Add a remote to the registry: the running syncer starts keeping it in step (by rebase first).")
  int add(@Parameters(index = "0", paramLabel = "NAME", description = "Letters, digits, '_', '.', '-'.") String name,
          @Parameters(index = "1", paramLabel = "URL", description = "postgresql://user@host:port/database, without a password.") String url,
          @Option(names = "--password-from", paramLabel = "env:VAR|file:PATH", description = "Where the syncer reads the password. Default: none, or its .pgpass.")
          String passwordFrom,
          @Option(names = "--sources", paramLabel = "DB,...", split = ",", description = "The sources it follows. Default: all the syncer follows.")
          List<String> sources,
          @Option(names = "--schemas", paramLabel = "S,...", split = ",", description = "Only these schemas (and what is in them). Default: all.")
          List<String> schemas,
          @Option(names = "--exclude-schemas", paramLabel = "S,...", split = ",", description = "Not these schemas.")
          List<String> excludeSchemas,
          @Option(names = "--kinds", paramLabel = "K,...", split = ",",
              description = "Only these kinds of object (table, view, function, ...; a table's constraints, indexes, triggers, rules and "
                  + "policies come with table unless one of them is named). Default: all.") List<String> kinds,
          @Option(names = "--map-schema", paramLabel = "FROM=TO", description = "Apply the source's schema FROM to schema TO on the remote (repeatable).")
          Map<String, String> mapSchemas,
          @Option(names = "--strategy", paramLabel = "fail|skip|prefer-source|prefer-higher-version|manual",
              description = "On a commit not applied (conflict, divergence, failure). Default: the syncer's.") String strategy,
          @Option(names = "--group", paramLabel = "G", description = "A shard group it belongs to (gitversion shards check G).") String group) {
    Registry registry = registry("add");
    RemoteSpec entry = Registry.entry(name, url, passwordFrom, orNone(sources), orNone(schemas), orNone(excludeSchemas),
        orNone(kinds), mapSchemas == null ? Map.of() : mapSchemas, strategy, user());
    if (group != null) {
      if (!group.matches("[A-Za-z0-9_.-]{1,100}")) {
        throw new io.gitversion.catalog.UserError("bad group name '" + group + "': use letters, digits, '_', '.', '-'");
      }
      entry.setGroup(group);
    }
    String reached = registry.add(entry);
    spec.commandLine().getOut().println("remote " + name + " added: " + reached + "; the running syncer brings it to the sources' state, then follows");
    spec.commandLine().getOut().flush();
    return 0;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The remotes of the registry (never a password).")
  int list() {
    PrintWriter out = spec.commandLine().getOut();
    for (RemoteSpec entry : registry("list").read().values()) {
      if (entry.getTemplate() != null) {
        continue; // a tenant: gitversion tenants list
      }
      out.println(entry.getName() + "\t" + entry.getUrl() + "\t" + (entry.getPaused() ? "paused" : "following")
          + "\tsources=" + (entry.getSources().isEmpty() ? "all" : String.join(",", entry.getSources()))
          + "\ttakes=" + io.gitversion.contract.Subscriptions.describe(entry)
          + "\tstrategy=" + (entry.getStrategy() == null ? "default" : entry.getStrategy())
          + (entry.getGroup() == null ? "" : "\tgroup=" + entry.getGroup()));
    }
    out.flush();
    return 0;
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One remote of the registry (never a password).")
  int show(@Parameters(paramLabel = "NAME", description = "The remote.") String name) {
    RemoteSpec entry = entry("show", name);
    PrintWriter out = spec.commandLine().getOut();
    out.println("name: " + entry.getName());
    out.println("url: " + entry.getUrl());
    out.println("password from: " + (entry.getPasswordFrom() == null ? "none (the syncer's .pgpass)" : entry.getPasswordFrom()));
    out.println("sources: " + (entry.getSources().isEmpty() ? "all" : String.join(", ", entry.getSources())));
    out.println("takes: " + io.gitversion.contract.Subscriptions.describe(entry));
    out.println("strategy: " + (entry.getStrategy() == null ? "the syncer's" : entry.getStrategy()));
    out.println("state: " + (entry.getPaused() ? "paused" : "following"));
    out.println("shard group: " + (entry.getGroup() == null ? "none" : entry.getGroup()));
    out.println("changed: " + entry.getChangedAt() + " by " + entry.getChangedBy());
    out.flush();
    return 0;
  }

  @Command(name = "test", mixinStandardHelpOptions = true, description = "Connect to a remote of the registry as the syncer would.")
  int testRemote(@Parameters(paramLabel = "NAME", description = "The remote.") String name) {
    spec.commandLine().getOut().println("remote " + name + ": " + Registry.test(entry("test", name)));
    spec.commandLine().getOut().flush();
    return 0;
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a remote from the registry: the syncer stops keeping it in step.")
  int remove(@Parameters(paramLabel = "NAME", description = "The remote.") String name) {
    entry("remove", name);
    registry("remove").write(name, null);
    spec.commandLine().getOut().println("remote " + name + " removed; the database itself is left as it is");
    spec.commandLine().getOut().flush();
    return 0;
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a remote of the registry: it applies nothing until resumed.")
  int pause(@Parameters(paramLabel = "NAME", description = "The remote.") String name) {
    RemoteSpec entry = entry("pause", name);
    registry("pause").write(name, RemoteSpec.newBuilder(entry).setPaused(true).setChangedBy(user()).setChangedAt(Instant.now()).build());
    spec.commandLine().getOut().println("remote " + name + " paused");
    spec.commandLine().getOut().flush();
    return 0;
  }

  private RemoteSpec entry(String command, String name) {
    return registry(command).entry(name);
  }

  /** The registry, for a command of the sync module (refused while the module is not enabled). */
  private Registry registry(String command) {
    Registry registry = new Registry(clientProperties(), servers());
    registry.requireSync("remote " + command);
    return registry;
  }

  private static List<String> orNone(List<String> values) {
    return values == null ? List.of() : values;
  }

  private static String user() {
    return System.getProperty("user.name", "cli");
  }

  @Command(name = "skip", mixinStandardHelpOptions = true, description = "Pass over the commit the remote stopped at.")
  int skip(@Parameters(paramLabel = "NAME", description = "The remote.") String remote,
           @Option(names = "--commit", paramLabel = "ID", description = "Only if the remote is stopped at this commit (its id or a prefix).")
           String commit) {
    return request(remote, "skip", commit, null);
  }

  @Command(name = "rebase", mixinStandardHelpOptions = true,
      description = "Bring the remote to the source's current state with one planned, verified migration, then follow from there.")
  int rebase(@Parameters(paramLabel = "NAME", description = "The remote.") String remote,
             @Option(names = "--source", paramLabel = "DATABASE", description = "The source to rebase on, when the syncer follows several.")
             String source) {
    return request(remote, "rebase", null, source);
  }

  private io.gitversion.cli.support.KafkaOptions kafka() {
    return io.gitversion.cli.support.KafkaOptions.of(bootstrapServers);
  }

  private String servers() {
    return kafka().servers();
  }

  private Map<String, Object> clientProperties() {
    return kafka().clientProperties();
  }

  private static Map<String, Object> clientProperties(String servers) {
    return io.gitversion.cli.support.KafkaOptions.of(servers).clientProperties();
  }

  private int request(String remote, String action, String commit, String source) {
    return request(spec.commandLine().getOut(), servers(), timeoutSeconds, "remote", remote, action, commit, source);
  }

  /**
   * Asks the running syncer to act on a remote (resume, skip, rebase) and prints its answer: exit 0 when done, 2 when
   * refused, a user error when no syncer answers within the timeout.
   */
  public static int request(PrintWriter out, String servers, int timeoutSeconds, String noun, String remote, String action, String commit,
                     String source) {
    Map<String, Object> props = clientProperties(servers);
    String requestId = UUID.randomUUID().toString();
    Map<String, Object> consumerProps = new HashMap<>(props);
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, byte[]> results = new KafkaConsumer<>(consumerProps,
             new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
         KafkaProducer<String, byte[]> producer = new KafkaProducer<>(withAcks(props),
             new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      List<TopicPartition> partitions;
      try {
        partitions = results.partitionsFor(Topics.SYNC_RESULTS.name(), Duration.ofSeconds(15)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        throw new UserError("cannot reach Kafka at " + servers + " within 15 s: is gitversion up (or the pipeline) running?");
      }
      if (partitions.isEmpty()) {
        throw new UserError("no pipeline at " + servers + ": topic " + Topics.SYNC_RESULTS.name() + " does not exist");
      }
      results.assign(partitions);
      results.seekToEnd(partitions);
      partitions.forEach(results::position); // the answer comes after this point
      io.gitversion.schemas.RemoteCommand command = io.gitversion.schemas.RemoteCommand.newBuilder()
          .setRequestId(requestId).setRemote(remote).setAction(action).setCommitId(commit).setDatabase(source)
          .setRequestedAt(Instant.now()).build();
      producer.send(new ProducerRecord<>(Topics.REMOTE_COMMANDS.name(), remote,
          Topics.REMOTE_COMMANDS.valueSerde().serializer().serialize(Topics.REMOTE_COMMANDS.name(), command))).get();
      long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : results.poll(Duration.ofMillis(200))) {
          SyncResult result = Topics.SYNC_RESULTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
          if (requestId.equals(result.getRequestId())) {
            out.println(noun + " " + remote + ": " + result.getStatus() + (result.getCommitId().isEmpty() ? "" : " " + shortId(result.getCommitId()))
                + (result.getMessage() == null ? "" : ": " + result.getMessage()));
            result.getMismatches().forEach(m -> out.println("  " + m.getObject() + " expected " + m.getExpected() + " actual " + m.getActual()));
            out.flush();
            return switch (result.getStatus()) {
              case "resumed", "skipped", "rebased" -> 0;
              case "refused" -> Main.EXIT_USER_ERROR;
              default -> Main.EXIT_FAILURE;
            };
          }
        }
      }
      throw new UserError("no syncer answered within " + timeoutSeconds + " s: is a syncer (or gitversion up) with " + noun + " '" + remote
          + "' running against " + servers + "?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new UserError("cannot send the request to Kafka at " + servers + ": " + e.getCause().getMessage());
    }
  }

  private static Map<String, Object> withAcks(Map<String, Object> props) {
    Map<String, Object> producer = new HashMap<>(props);
    producer.put(ProducerConfig.ACKS_CONFIG, "all");
    producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    return producer;
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
