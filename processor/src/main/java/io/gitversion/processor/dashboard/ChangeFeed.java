package io.gitversion.processor.dashboard;

import io.gitversion.contract.Topics;
import io.gitversion.schemas.Change;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The latest committed change events, read from {@link Topics#CHANGES} from the beginning and kept in memory. */
final class ChangeFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
  static final int KEEP = 500;

  private final KafkaConsumer<String, Change> consumer;
  private final Deque<Change> latest = new ArrayDeque<>();
  private final Thread thread;
  private volatile boolean running = true;

  ChangeFeed(Map<String, Object> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gitversion-dashboard");
    consumer = new KafkaConsumer<>(props, Topics.CHANGES.keySerde().deserializer(), Topics.CHANGES.valueSerde().deserializer());
    thread = new Thread(this::run, "gitversion-dashboard-feed");
    thread.setDaemon(true);
  }

  ChangeFeed start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.CHANGES.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        for (ConsumerRecord<String, Change> record : consumer.poll(Duration.ofMillis(200))) {
          synchronized (latest) {
            latest.addFirst(record.value());
            while (latest.size() > KEEP) {
              latest.removeLast();
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("dashboard change feed stopped", e);
    } finally {
      consumer.close();
    }
  }

  /** Newest first. */
  List<Change> latest(int limit) {
    synchronized (latest) {
      return new ArrayList<>(latest).subList(0, Math.min(limit, latest.size()));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
