package io.gitversion.contract;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A record for {@link Topics#DEAD_LETTER}: what a stage could not read, as it was, with headers saying which stage
 * ({@code gitversion.stage}), why ({@code gitversion.reason}) and where it came from ({@code gitversion.origin}:
 * topic-partition@offset). Kafka Streams writes its own ({@code __streams.errors.*} headers) for the processor.
 */
public final class DeadLetters {
  private DeadLetters() {}

  public static ProducerRecord<String, byte[]> of(ConsumerRecord<String, byte[]> record, String stage, String reason) {
    ProducerRecord<String, byte[]> dead = of(record.key(), record.value(), stage, reason);
    dead.headers().add("gitversion.origin", (record.topic() + "-" + record.partition() + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
    return dead;
  }

  public static ProducerRecord<String, byte[]> of(String key, byte[] payload, String stage, String reason) {
    ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.DEAD_LETTER.name(), key, payload);
    dead.headers().add("gitversion.stage", stage.getBytes(StandardCharsets.UTF_8));
    dead.headers().add("gitversion.reason", reason.getBytes(StandardCharsets.UTF_8));
    return dead;
  }
}
