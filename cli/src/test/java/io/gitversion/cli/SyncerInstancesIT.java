package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitversion.contract.KafkaSettings;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.syncer.Syncer;
import io.gitversion.syncer.SyncerConfig;
import io.gitversion.syncer.internals.RemoteWorker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scale-out of the syncer (issue 20): a second instance with the same remotes stands by while the first keeps them
 * in step (each remote's lease is held by one instance); with the first gone it takes the remote over, and no commit
 * is applied twice.
 */
class SyncerInstancesIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void aSecondInstanceStandsByThenTakesTheRemoteOverWhenTheFirstIsGone() throws Exception {
    TestDatabase source = TestDatabase.at(pipeline.source().toUriWithPassword());
    TestDatabase remote = TestDatabase.at(pipeline.remotes().get("r1").toUriWithPassword());
    source.exec("CREATE TABLE first_one (id int)");
    Await.until("r1 has the first table", WAIT, () -> !"null".equals(String.valueOf(remote.value("SELECT to_regclass('public.first_one')"))));

    try (Syncer second = new Syncer(new SyncerConfig(Map.of(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
        SyncerConfig.REMOTES_CONFIG, "r1=" + pipeline.remotes().get("r1").toUriWithPassword()))).start()) {
      Await.until("the second instance stands by", WAIT, () -> second.status().get("r1") == RemoteWorker.State.STANDBY);
      source.exec("CREATE TABLE second_one (id int)");
      Await.until("r1 has the second table", WAIT, () -> !"null".equals(String.valueOf(remote.value("SELECT to_regclass('public.second_one')"))));
      assertEquals(RemoteWorker.State.STANDBY, second.status().get("r1"), "the first instance applied it");

      pipeline.syncer().close(); // the first instance is gone: its sessions end, and the lease with them
      Await.until("the second instance takes r1 over", WAIT, () -> second.status().get("r1") == RemoteWorker.State.IN_SYNC);
      source.exec("CREATE TABLE third_one (id int)");
      Await.until("r1 has the third table", WAIT, () -> !"null".equals(String.valueOf(remote.value("SELECT to_regclass('public.third_one')"))));
    }
    assertEquals("0", remote.value("SELECT count(*) FROM (SELECT commit_id FROM gitversion_sync.applied GROUP BY source, commit_id "
        + "HAVING count(*) > 1) twice"), "no commit applied twice");
    assertEquals("3", remote.value("SELECT count(*) FROM pg_tables WHERE tablename IN ('first_one', 'second_one', 'third_one')"));
  }
}
