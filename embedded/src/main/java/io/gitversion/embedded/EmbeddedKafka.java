package io.gitversion.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A single-node Kafka broker (KRaft, broker and controller in one) running inside this JVM, on free ports. */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dataDir;
  private final boolean ownsDataDir;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dataDir, boolean ownsDataDir) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dataDir = dataDir;
    this.ownsDataDir = ownsDataDir;
  }

  /** Starts a broker with its log in a fresh temporary directory, removed on close. */
  public static EmbeddedKafka start() {
    try {
      return start(Files.createTempDirectory("gitversion-kafka-"), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a broker keeping its log in {@code dataDir} (formatted if new, reused if not), on free ports. A port taken by
   * another process between its choice and the bind is a start tried again on other ports (twice at most).
   */
  public static EmbeddedKafka start(Path dataDir, boolean deleteOnClose) {
    for (int attempt = 1; ; attempt++) {
      int[] ports = Ports.free(2);
      try {
        return start(dataDir, deleteOnClose, ports[0], ports[1]);
      } catch (RuntimeException e) {
        if (attempt == 3 || !Ports.lostRace(e)) {
          throw e;
        }
        log.warn("Kafka broker could not bind port {} or {} ({}); trying other ports", ports[0], ports[1], e.getMessage());
      }
    }
  }

  /**
   * Starts a broker on given ports: with the data directory and ports of a broker stopped before, the same broker
   * again (its topics, offsets and transactions kept; clients reconnect to the same address).
   */
  public static EmbeddedKafka start(Path dataDir, boolean deleteOnClose, int brokerPort, int controllerPort) {
    Properties props = new Properties();
    props.putAll(Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", "1"),
        Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
        Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
        Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
        Map.entry("controller.listener.names", "CONTROLLER"),
        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
        Map.entry("log.dirs", dataDir.toAbsolutePath().toString()),
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "1"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("transaction.state.log.num.partitions", "1"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        Map.entry("auto.create.topics.enable", "false"),
        Map.entry("log.cleaner.dedupe.buffer.size", "4194304")));
    format(props, dataDir);
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      server.shutdown(); // the controller started before the broker failed: it holds its port and the log's lock
      server.awaitShutdown();
      throw e;
    }
    String bootstrap = "127.0.0.1:" + brokerPort;
    EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, dataDir, deleteOnClose);
    kafka.controllerPort = controllerPort;
    kafka.awaitReady(Duration.ofSeconds(60));
    log.info("Kafka broker ready at {}", bootstrap);
    return kafka;
  }

  private static void format(Properties props, Path dataDir) {
    if (Files.exists(dataDir.resolve("meta.properties"))) {
      return; // formatted before: a broker started again keeps its cluster id (formatting anew would name another)
    }
    try {
      Files.createDirectories(dataDir);
      Path config = dataDir.resolve("server.properties");
      try (var out = Files.newBufferedWriter(config)) {
        props.store(out, "gitversion embedded broker");
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int rc = StorageTool.execute(new String[] {
          "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"},
          new PrintStream(output, true, StandardCharsets.UTF_8));
      if (rc != 0) {
        throw new IllegalStateException("cannot format Kafka storage: " + output.toString(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka storage in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      while (true) {
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Kafka broker did not become ready within " + timeout, e);
          }
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
          }
        }
      }
    }
  }

  private int controllerPort;

  /** Where its controller listens (with the broker's port and the data directory: what starting it again needs). */
  public int controllerPort() {
    return controllerPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    stop();
    if (ownsDataDir) {
      Paths.deleteRecursively(dataDir);
    }
    log.info("Kafka broker at {} stopped", bootstrapServers);
  }

  /** Stops the broker and keeps its data directory: {@link #start(Path, boolean, int, int)} starts it again. */
  public void stopKeepingData() {
    stop();
  }

  private void stop() {
    server.shutdown();
    server.awaitShutdown();
  }
}
