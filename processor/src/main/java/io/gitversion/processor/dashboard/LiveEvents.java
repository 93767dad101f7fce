package io.gitversion.processor.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitversion.contract.TopicFollower;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.Tag;
import io.javalin.http.sse.SseClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events for pages that stay open ({@code /api/events}): each new commit ({@code commit}: source, id,
 * objects) and each new tag ({@code tag}), read from {@code gitversion.commits} and {@code gitversion.tags} from
 * their end as they are written. A page reloads what it shows from the query API when told.
 */
final class LiveEvents extends TopicFollower {
  private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Set<SseClient> clients = new CopyOnWriteArraySet<>();

  LiveEvents(Map<String, Object> clientProperties) {
    super(clientProperties, "gitversion-dashboard-events");
  }

  LiveEvents start() {
    startThread("gitversion-dashboard-events");
    return this;
  }

  /** A page that listens: kept until it goes. */
  void listen(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    clients.add(client);
    client.sendComment("gitversion: listening");
  }

  @Override
  protected void begin() {
    assignAll(false, Topics.COMMITS.name(), Topics.TAGS.name());
  }

  @Override
  protected String does() {
    return "announces commits and tags to the dashboard's pages";
  }

  @Override
  protected void handle(ConsumerRecord<String, byte[]> record) {
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
    super.close();
    clients.forEach(SseClient::close);
  }
}
