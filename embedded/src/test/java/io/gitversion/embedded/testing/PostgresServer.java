package io.gitversion.embedded.testing;

import io.gitversion.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for the tests of one class: started before the first test, stopped after the last.
 * Register it as a static field: {@code @RegisterExtension static final PostgresServer pg = PostgresServer.named("source");}
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {
  private final String name;
  private EmbeddedPostgres server;

  private PostgresServer(String name) {
    this.name = name;
  }

  /** A server whose name tells its data folder and log lines apart from the other servers of a test. */
  public static PostgresServer named(String name) {
    return new PostgresServer(name);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = EmbeddedPostgres.start(name);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Creates a database on this server. */
  public TestDatabase database(String database) {
    return new TestDatabase(server().createDatabase(database));
  }

  public EmbeddedPostgres server() {
    if (server == null) {
      throw new IllegalStateException("the server " + name + " is not running: register it with @RegisterExtension as a static field");
    }
    return server;
  }
}
