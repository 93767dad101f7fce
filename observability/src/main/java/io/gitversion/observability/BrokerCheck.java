package io.gitversion.observability;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The readiness check every stage has: the broker answers (a cluster description within two seconds). Asked at most
 * every five seconds, however often the endpoint is: a probe every second does not become a request every second.
 */
public final class BrokerCheck implements Supplier<Observability.Check>, AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REUSE = Duration.ofSeconds(5);

  private final Admin admin;
  private final String servers;
  private Observability.Check last;
  private long lastAt;

  public BrokerCheck(Map<String, Object> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "gitversion-health");
    this.admin = Admin.create(props);
    this.servers = String.valueOf(clientProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
  }

  @Override
  public synchronized Observability.Check get() {
    if (last == null || System.nanoTime() - lastAt > REUSE.toNanos()) {
      try {
        int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis())).nodes()
            .get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS).size();
        last = Observability.Check.up(nodes + " broker(s) at " + servers);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        last = Observability.Check.down("no broker answered at " + servers + " within " + TIMEOUT.toSeconds() + " s");
      }
      lastAt = System.nanoTime();
    }
    return last;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(1));
  }
}
