package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.syncer.Syncer;
import io.gitversion.syncer.SyncerConfig;
import io.gitversion.syncer.internals.RemoteWorker;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recovery without restarts, inside {@code gitversion up}: a remote stopped at a commit is resumed, skipped past or
 * rebased by {@code gitversion remote}, and a remote that joins after 100 commits converges by rebase, not by
 * replaying history.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoveryIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration CONVERGE = Duration.ofSeconds(30);

  static TestDatabase db(PgUrl url) {
    return TestDatabase.at(url.toUriWithPassword());
  }

  static Map<String, String> hashes(PgUrl url) {
    try (var c = db(url).connect()) {
      return new TreeMap<>(new Inspector(c).inspect(Set.of()).hashes());
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void awaitEqual(PgUrl remote) {
    Await.until("the remote has the source's hashes", CONVERGE, () -> hashes(remote).equals(hashes(pipeline.source())));
  }

  static void awaitState(RemoteWorker.State state) {
    Await.until("r1 is " + state, CONVERGE, () -> pipeline.syncer().status().get("r1") == state);
  }

  /** Runs {@code gitversion remote ...} against the pipeline's broker; its exit code and what it printed. */
  static Cli.Result remote(String... args) {
    return Cli.remote(pipeline.bootstrapServers(), args);
  }

  @Test
  @Order(1)
  void aRemoteStoppedOnAFailureResumesOnceTheCauseIsFixed() throws Exception {
    PgUrl r1 = pipeline.remotes().get("r1");
    db(pipeline.source()).exec("CREATE TABLE accounts (id bigint PRIMARY KEY)");
    awaitEqual(r1);
    // on r1 only, a table takes the name the next commit creates: the commit fails there
    db(r1).exec("CREATE TABLE ledger_entries (x int)");
    db(pipeline.source()).exec("CREATE TABLE ledger_entries (id bigint PRIMARY KEY, account bigint REFERENCES accounts)");
    awaitState(RemoteWorker.State.STOPPED_ON_FAILURE);

    Cli.Result refused = remote("skip", "r1", "--commit", "0000000");
    assertEquals(io.gitversion.cli.Main.EXIT_USER_ERROR, refused.code(), refused.out());
    assertTrue(refused.out().contains("refused"), refused.out());

    db(r1).exec("DROP TABLE ledger_entries"); // the cause, fixed
    Cli.Result resumed = remote("resume", "r1");
    assertEquals(0, resumed.code(), resumed.out());
    assertTrue(resumed.out().startsWith("remote r1: resumed"), resumed.out());
    awaitEqual(r1);
    assertEquals(RemoteWorker.State.IN_SYNC, pipeline.syncer().status().get("r1"));
  }

  @Test
  @Order(2)
  void aCommitThatCannotApplyIsSkippedOnRequestAndTheRemoteGoesOn() throws Exception {
    PgUrl r1 = pipeline.remotes().get("r1");
    db(r1).exec("ALTER TABLE accounts ADD COLUMN by_hand int");
    db(pipeline.source()).exec("ALTER TABLE accounts ADD COLUMN email text");
    awaitState(RemoteWorker.State.STOPPED_ON_FAILURE); // a conflict: r1 was changed by hand

    Cli.Result skipped = remote("skip", "r1");
    assertEquals(0, skipped.code(), skipped.out());
    assertTrue(skipped.out().startsWith("remote r1: skipped"), skipped.out());
    db(pipeline.source()).exec("CREATE TABLE after_skip (id int)");
    Await.until("the next commit reaches r1", CONVERGE,
        () -> "1".equals(db(r1).value("SELECT count(*) FROM pg_tables WHERE tablename = 'after_skip'")));
    assertEquals("0", db(r1).value("SELECT count(*) FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'email'"),
        "the skipped commit is not on r1");
  }

  @Test
  @Order(3)
  void aRebaseBringsADifferentRemoteToTheSourceAndItFollowsFromThere() throws Exception {
    PgUrl r1 = pipeline.remotes().get("r1");
    db(r1).exec("INSERT INTO accounts (id, by_hand) VALUES (7, 1)");
    Cli.Result rebased = remote("rebase", "r1");
    assertEquals(0, rebased.code(), rebased.out());
    assertTrue(rebased.out().startsWith("remote r1: rebased"), rebased.out());
    assertEquals(hashes(pipeline.source()), hashes(r1), "r1 is the source's state");
    assertEquals("1", db(r1).value("SELECT count(*) FROM accounts WHERE id = 7"), "the rebase kept the rows");

    db(pipeline.source()).exec("ALTER TABLE accounts ADD COLUMN closed boolean");
    awaitEqual(r1);
  }

  @Test
  @Order(4)
  void aRemoteThatJoinsAfterAHundredCommitsConvergesByRebase() throws Exception {
    for (int i = 0; i < 100; i++) {
      db(pipeline.source()).exec("CREATE TABLE history_" + i + " (id int)");
    }
    PgUrl r1 = pipeline.remotes().get("r1");
    awaitEqual(r1);
    db(r1).exec("CREATE DATABASE late");
    PgUrl late = r1.withDatabase("late");
    db(late).exec("CREATE TABLE only_here (id int)", "INSERT INTO only_here VALUES (1)");
    try (Syncer syncer = new Syncer(new SyncerConfig(Map.of(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
        SyncerConfig.REMOTES_CONFIG, "late=" + late.toUriWithPassword()))).start()) {
      Await.until("late has the source's objects", CONVERGE, () -> {
        Map<String, String> now = hashes(late);
        now.remove("table public.only_here");
        return now.equals(hashes(pipeline.source()));
      });
      assertEquals("1", db(late).value("SELECT count(*) FROM gitversion_sync.applied"), "one rebase, no history replayed");
      assertEquals("1", db(late).value("SELECT count(*) FROM only_here"), "what only the joining remote has is kept");
      db(pipeline.source()).exec("CREATE TABLE after_join (id int)");
      Await.until("late follows", CONVERGE, () -> "1".equals(db(late).value("SELECT count(*) FROM pg_tables WHERE tablename = 'after_join'")));
    }
  }

  @Test
  @Order(5)
  void aRemoteThatRefusesConnectionsOrTimesStatementsOutIsWaitedForNotStopped() throws Exception {
    PgUrl r1 = pipeline.remotes().get("r1");
    String others = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'app' AND pid <> pg_backend_pid()";
    TestDatabase admin = db(r1.withDatabase("postgres"));
    admin.exec("ALTER DATABASE app ALLOW_CONNECTIONS false", others);
    db(pipeline.source()).exec("CREATE TABLE while_refused (id int)");
    awaitState(RemoteWorker.State.WAITING_FOR_REMOTE);
    admin.exec("ALTER DATABASE app ALLOW_CONNECTIONS true");
    awaitEqual(r1);
    awaitState(RemoteWorker.State.IN_SYNC);

    admin.exec("ALTER DATABASE app SET statement_timeout = '1ms'", others);
    db(pipeline.source()).exec("CREATE TABLE while_busy (id int, note text DEFAULT 'x')");
    awaitState(RemoteWorker.State.WAITING_FOR_REMOTE);
    admin.exec("ALTER DATABASE app RESET statement_timeout", others);
    awaitEqual(r1);
    awaitState(RemoteWorker.State.IN_SYNC);
  }
}
