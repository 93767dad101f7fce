package io.gitversion.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

  @Test
  void portsAreNeverHandedOutTwiceInOneJvm() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      for (int port : Ports.free(2)) {
        assertTrue(seen.add(port), "port " + port + " handed out twice");
      }
    }
  }

  /** The race CI met: another server bound the broker's port between its choice and the broker's bind. */
  @Test
  void aBrokerWhosePortWasTakenFailsAsALostRaceAndReleasesItsLogForTheNextStart() throws Exception {
    Path dir = Files.createTempDirectory("gitversion-kafka-it-");
    int[] ports = Ports.free(2);
    try (ServerSocket taken = new ServerSocket(ports[0], 50, java.net.InetAddress.getLoopbackAddress())) {
      RuntimeException failure = assertThrows(RuntimeException.class,
          () -> EmbeddedKafka.start(dir, true, ports[0], ports[1]));
      assertTrue(Ports.lostRace(failure), "not seen as a lost race: " + failure);
    }
    // the failed start's controller let go of the log directory and its port: the same directory starts on free ports
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, true);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
    }
  }
}
