package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The scaled deployment of {@code docker-compose.yml} end to end, where a Docker engine exists (skipped, and said so,
 * where none does, as on the machines this project is built on): two processor instances and two syncer instances;
 * a change of the source reaches the remote; with one processor stopped, the other answers for the source; with one
 * syncer stopped, the other keeps the remote in step.
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerComposeIT {
  private static final Duration WAIT = Duration.ofMinutes(3);

  @Container
  static final ComposeContainer compose = new ComposeContainer(new File(DockerComposeTest.ROOT.toFile(), "docker-compose.yml"))
      .withBuild(true)
      .withExposedService("source", 5432, Wait.forListeningPort())
      .withExposedService("remote", 5432, Wait.forListeningPort())
      .withExposedService("processor-1", 7070, Wait.forHttp("/health/ready").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(10)))
      .withExposedService("processor-2", 7071, Wait.forHttp("/health/ready").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(10)));

  private static TestDatabase db(String service) {
    return TestDatabase.at("postgresql://postgres:gitversion@" + compose.getServiceHost(service, 5432) + ":" + compose.getServicePort(service, 5432) + "/app");
  }

  private static void stop(String service) {
    compose.getContainerByServiceName(service).ifPresent(c -> DockerClientFactory.instance().client().stopContainerCmd(c.getContainerId()).exec());
  }

  private static boolean has(TestDatabase db, String table) {
    return !"null".equals(String.valueOf(db.value("SELECT to_regclass('public." + table + "')")));
  }

  @Test
  void theScaledDeploymentKeepsTheRemoteInStepWithAnInstanceOfEachStageStopped() throws Exception {
    db("source").exec("CREATE TABLE before_any_stop (id int)");
    Await.until("the remote has the table", WAIT, () -> has(db("remote"), "before_any_stop"));

    stop("processor-1");
    stop("syncer-1");
    db("source").exec("CREATE TABLE after_the_stops (id int)");
    Await.until("the remote has the second table", WAIT, () -> has(db("remote"), "after_the_stops"));
    String dashboard = "http://" + compose.getServiceHost("processor-2", 7071) + ":" + compose.getServicePort("processor-2", 7071) + "/";
    HttpResponse<String> source = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dashboard + "api/sources/app")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, source.statusCode(), source.body());
  }
}
