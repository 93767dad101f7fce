package io.gitversion.syncer.internals;

import io.gitversion.contract.Topics;
import io.gitversion.schemas.RemoteCommand;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the requests of {@code gitversion remote} ({@link Topics#REMOTE_COMMANDS}) to the workers of the remotes they
 * name, while the syncer runs: read from the topic's end as it is when the syncer starts (a request made while no
 * syncer ran is not carried out later; the command that made it said so when no answer came).
 */
public final class RemoteControl implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RemoteControl.class);

  private final Map<String, RemoteWorker> workers = new HashMap<>();
  private final KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;

  public RemoteControl(List<RemoteWorker> workers, Map<String, Object> clientProperties) {
    workers.forEach(w -> this.workers.put(w.remote().name(), w));
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gitversion-syncer-control");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(Topics.REMOTE_COMMANDS.name(), Duration.ofSeconds(60)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fix the start now, before the syncer says it runs
  }

  @Override
  public void run() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          RemoteCommand command;
          try {
            command = Topics.REMOTE_COMMANDS.valueSerde().deserializer().deserialize(record.topic(), record.value());
          } catch (SerializationException e) {
            log.warn("unreadable remote command at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            continue;
          }
          RemoteWorker worker = workers.get(command.getRemote());
          if (worker != null) {
            log.info("remote {}: {} requested ({})", command.getRemote(), command.getAction(), command.getRequestId());
            worker.command(command);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("the syncer no longer takes remote commands", e);
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
