package io.gitversion.embedded.testing;

import io.gitversion.embedded.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker (KRaft, in process) for the tests of one class; its topics are read by {@link TopicReader}. Register it as a static field:
 * {@code @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();}
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
  private EmbeddedKafka broker;

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = EmbeddedKafka.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  public String bootstrapServers() {
    if (broker == null) {
      throw new IllegalStateException("the broker is not running: register it with @RegisterExtension as a static field");
    }
    return broker.bootstrapServers();
  }

  /** Every record written to the topic so far (up to its end offsets when called), in partition order. */
  public <V> List<ConsumerRecord<String, V>> readToEnd(String topic, Deserializer<V> values) {
    return TopicReader.readToEnd(bootstrapServers(), topic, values);
  }

  /**
   * Reads a topic from its beginning, every partition, until what was read satisfies {@code until}; fails the test
   * when it does not within {@code timeout}, saying what was read.
   */
  public <V> List<V> read(String topic, Deserializer<V> values, Predicate<List<V>> until, Duration timeout) {
    return TopicReader.read(bootstrapServers(), topic, values, until, timeout);
  }
}
