package io.gitversion.cli.command;

import io.gitversion.catalog.UserError;
import io.gitversion.cli.Main;
import io.gitversion.cli.support.StageOptions;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.SyncResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
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
 * {@code gitversion remote resume|skip|rebase NAME}: asks the running syncer (its own process, or inside {@code
 * gitversion up}) to act on a remote, and prints its answer. No restart: the syncer takes the request between
 * commits.
 */
@Command(name = "remote", mixinStandardHelpOptions = true,
    description = {"Act on a remote of the running syncer (or of gitversion up), without restarting it:",
        "  resume NAME   retry the commit the remote stopped at (after fixing its cause)",
        "  skip NAME     pass over that commit (recorded as skipped; the remote lacks it)",
        "  rebase NAME   bring the remote to the source's current state with one planned,",
        "                verified migration (dropping what the source does not have), then follow",
        "Prints the syncer's answer; exit 0 when done, 2 when refused or when no syncer answers."})
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
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name an action: resume, skip or rebase");
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Retry the commit the remote stopped at.")
  int resume(@Parameters(paramLabel = "NAME", description = "The remote.") String remote) {
    return request(remote, "resume", null, null);
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

  private int request(String remote, String action, String commit, String source) {
    Map<String, Object> props = new HashMap<>();
    String servers = bootstrapServers != null ? bootstrapServers
        : System.getenv().getOrDefault(StageOptions.envName(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG), "127.0.0.1:9092");
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    String requestId = UUID.randomUUID().toString();
    PrintWriter out = spec.commandLine().getOut();
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
            out.println("remote " + remote + ": " + result.getStatus() + (result.getCommitId().isEmpty() ? "" : " " + shortId(result.getCommitId()))
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
      throw new UserError("no syncer answered within " + timeoutSeconds + " s: is a syncer (or gitversion up) with remote '" + remote
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
