package io.gitversion.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What one process shows of itself: a Prometheus registry of its stages' meters (names in {@link MetricNames}; the
 * JVM's, and each Kafka client's and Kafka Streams' through Micrometer's binders) and its readiness checks (the broker
 * reachable, the slot active, capture intact, remotes reachable: each stage adds its own). {@code gitversion up} has
 * one for its three stages; a stage run alone has its own. Served by {@link OpsServer}, or on the dashboard.
 */
public final class Observability implements AutoCloseable {
  /** A readiness check's answer: up or not, and a line saying why. */
  public record Check(boolean up, String detail) {
    public static Check up(String detail) {
      return new Check(true, detail);
    }

    public static Check down(String detail) {
      return new Check(false, detail);
    }
  }

  /** The readiness of the process: up when every check is, each check's answer by name. */
  public record Readiness(boolean up, Map<String, Check> checks) {
    /** {@code {"status": "UP"|"DOWN", "checks": {"name": {"status": ..., "detail": ...}}}}. */
    public String json() {
      com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode().put("status", up ? "UP" : "DOWN");
      com.fasterxml.jackson.databind.node.ObjectNode each = body.putObject("checks");
      checks.forEach((name, check) -> each.putObject(name).put("status", check.up() ? "UP" : "DOWN").put("detail", check.detail()));
      return body.toString();
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Supplier<Check>> checks = new ConcurrentHashMap<>();
  private final List<AutoCloseable> binders = new ArrayList<>();

  public Observability() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    binders.add(gc);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The meters in Prometheus' text format. */
  public String scrape() {
    return registry.scrape();
  }

  /** Adds (or replaces) a readiness check; the stage that added it removes it when it stops. */
  public void check(String name, Supplier<Check> check) {
    checks.put(name, check);
  }

  public void removeCheck(String name) {
    checks.remove(name);
  }

  /** Every check, now; a check that throws is down, with its message. */
  public Readiness readiness() {
    Map<String, Check> answers = new TreeMap<>();
    checks.forEach((name, check) -> {
      try {
        answers.put(name, check.get());
      } catch (RuntimeException e) {
        answers.put(name, Check.down(e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    });
    return new Readiness(answers.values().stream().allMatch(Check::up), answers);
  }

  /** The Kafka client's own metrics (a producer, a consumer, an admin client), as Micrometer's binder names them. */
  public void bind(Object kafkaClient) {
    KafkaClientMetrics metrics;
    if (kafkaClient instanceof org.apache.kafka.clients.producer.Producer<?, ?> p) {
      metrics = new KafkaClientMetrics(p);
    } else if (kafkaClient instanceof org.apache.kafka.clients.consumer.Consumer<?, ?> c) {
      metrics = new KafkaClientMetrics(c);
    } else if (kafkaClient instanceof org.apache.kafka.clients.admin.AdminClient a) {
      metrics = new KafkaClientMetrics(a);
    } else {
      throw new IllegalArgumentException("not a Kafka client: " + kafkaClient.getClass());
    }
    metrics.bindTo(registry);
    synchronized (binders) {
      binders.add(metrics);
    }
  }

  /** Kafka Streams' own metrics. */
  public void bindStreams(org.apache.kafka.streams.KafkaStreams streams) {
    io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics metrics = new io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics(streams);
    metrics.bindTo(registry);
    synchronized (binders) {
      binders.add(metrics);
    }
  }

  @Override
  public void close() {
    synchronized (binders) {
      for (AutoCloseable binder : binders) {
        try {
          binder.close();
        } catch (Exception e) {
          // closing: nothing to do
        }
      }
      binders.clear();
    }
    registry.close();
  }
}
