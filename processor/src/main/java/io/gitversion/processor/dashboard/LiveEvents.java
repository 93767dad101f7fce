package io.gitversion.processor.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.Tag;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events for pages that stay open ({@code /api/events}): each new commit ({@code commit}: source, id,
 * objects) and each new tag ({@code tag}), read from {@code gitversion.commits} and {@code gitversion.tags} from
 * their end as they are written. A page reloads what it shows from the query API when told.
 */
final class LiveEvents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Set<SseClient> clients = new CopyOnWriteArraySet<>();
  private final Thread thread;
  private volatile boolean running = true;

  LiveEvents(Map<String, Object> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gitversion-dashboard-events");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    thread = new Thread(this::run, "gitversion-dashboard-events");
    thread.setDaemon(true);
  }

  LiveEvents start() {
    thread.start();
    return this;
  }

  /** A page that listens: kept until it goes. */
  void listen(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    clients.add(client);
    client.sendComment("gitversion: listening");
  }

  private void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(Topics.COMMITS.name(), Topics.TAGS.name())) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          send(record);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("dashboard events stopped", e);
    } finally {
      consumer.close();
    }
  }

  private void send(ConsumerRecord<byte[], byte[]> record) {
    String event;
    Map<String, Object> data = new LinkedHashMap<>();
    try {
      if (record.topic().equals(Topics.COMMITS.name())) {
        Commit commit = Topics.COMMITS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        event = "commit";
        data.put("source", commit.getDatabase());
        data.put("id", commit.getId());
        data.put("committedAt", commit.getCommittedAt().toString());
        data.put("objects", commit.getChanges().size());
      } else {
        Tag tag = Topics.TAGS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        event = "tag";
        data.put("source", tag.getDatabase());
        data.put("name", tag.getName());
        data.put("commit", tag.getCommitId());
      }
    } catch (RuntimeException e) {
      log.debug("an unreadable record on {} is not announced", record.topic(), e);
      return;
    }
    String json;
    try {
      json = JSON.writeValueAsString(data);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return;
    }
    for (SseClient client : clients) {
      try {
        client.sendEvent(event, json);
      } catch (RuntimeException e) {
        clients.remove(client);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    clients.forEach(SseClient::close);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
