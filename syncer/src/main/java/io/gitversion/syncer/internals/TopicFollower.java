package io.gitversion.syncer.internals;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread of the syncer that follows one topic outside any consumer group (its partitions assigned, read committed)
 * and hands each record to {@link #handle}, until closed.
 */
abstract class TopicFollower implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

  protected final KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;

  TopicFollower(Map<String, Object> clientProperties, String clientId) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Assigns the partitions and seeks, on the follower's thread (a follower that did so already does nothing). */
  protected void begin() {}

  /** One record, in the topic's order. */
  protected abstract void handle(ConsumerRecord<String, byte[]> record);

  /** What the syncer no longer does when the follower stops on an error ("takes remote commands"). */
  protected abstract String does();

  @Override
  public final void run() {
    try {
      begin();
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          handle(record);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("the syncer no longer {}", does(), e);
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
