package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input (issue 20): a malformed record on each input topic (the DDL events, the commits, the registry, the
 * tenant templates, the remote commands) goes to the dead-letter topic with the reason and where it came from, and
 * the rest flow: a change made after them still reaches the remote.
 */
class DeadLettersIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final List<String> INPUTS = List.of(Topics.DDL_EVENTS.name(), Topics.COMMITS.name(), Topics.REMOTES.name(),
      Topics.TENANT_TEMPLATES.name(), Topics.REMOTE_COMMANDS.name());

  @Test
  void aMalformedRecordOnEachInputIsDeadLetteredWithItsReasonAndTheRestFlow() throws Exception {
    Map<String, Object> props = new HashMap<>(Map.of("bootstrap.servers", pipeline.bootstrapServers()));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (String topic : INPUTS) {
        // not an Avro single-object message at all, then one with our marker and a fingerprint no schema has
        producer.send(new ProducerRecord<>(topic, "app", "'; DROP TABLE x; --".getBytes(StandardCharsets.UTF_8))).get();
        producer.send(new ProducerRecord<>(topic, "app", new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9})).get();
      }
    }
    TestDatabase.at(pipeline.source().toUriWithPassword()).exec("CREATE TABLE after_the_garbage (id int)");
    TestDatabase remote = TestDatabase.at(pipeline.remotes().get("r1").toUriWithPassword());
    Await.until("the change after the malformed records reaches the remote", WAIT,
        () -> !"null".equals(String.valueOf(remote.value("SELECT to_regclass('public.after_the_garbage')"))));

    Map<String, Object> consumerProps = new HashMap<>(props);
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Set<String> origins = new TreeSet<>();
    List<String> reasons = new java.util.ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTER.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Await.until("every input's malformed records are dead letters", WAIT, () -> {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> {
          String origin = header(r.headers().lastHeader("gitversion.origin"));
          String streamsTopic = header(r.headers().lastHeader("__streams.errors.topic"));
          String topic = origin != null ? origin.substring(0, origin.lastIndexOf('-')) : streamsTopic;
          if (topic != null) {
            origins.add(topic);
          }
          String reason = header(r.headers().lastHeader("gitversion.reason"));
          reasons.add(reason != null ? reason : header(r.headers().lastHeader("__streams.errors.message")));
        });
        return origins.containsAll(INPUTS);
      });
    }
    assertTrue(reasons.stream().allMatch(r -> r != null && !r.isBlank()), reasons.toString());
  }

  private static String header(Header h) {
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
