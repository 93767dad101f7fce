package io.gitversion.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage's thread that follows topics outside any consumer group (their partitions assigned, read committed) and
 * hands each record to {@link #handle}, until closed: the syncer's registry and remote commands, the collector's
 * modules, the processor's live events and remote status.
 */
public abstract class TopicFollower implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

  protected final KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;
  private Thread thread;

  protected TopicFollower(Map<String, Object> clientProperties, String clientId) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Assigns the partitions and seeks, on the follower's thread (a follower that did so already does nothing). */
  protected void begin() {}

  /** One record, in its partition's order. */
  protected abstract void handle(ConsumerRecord<String, byte[]> record) throws InterruptedException;

  /** What the stage no longer does when the follower stops on an error ("takes remote commands"). */
  protected abstract String does();

  /** Assigns every partition of the topics, from their beginning or from their end. */
  protected final List<TopicPartition> assignAll(boolean fromBeginning, String... topics) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer.partitionsFor(topic, Duration.ofSeconds(60)).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    if (fromBeginning) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // fix the start now
    }
    return partitions;
  }

  /** Runs the follower on a daemon thread of its own. */
  public TopicFollower startThread(String name) {
    thread = new Thread(this, name);
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  @Override
  public final void run() {
    try {
      begin();
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          handle(record);
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("no longer {}", does(), e);
    } finally {
      consumer.close();
    }
  }

  protected final boolean running() {
    return running;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    if (thread != null) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
