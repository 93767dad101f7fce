package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.PgUrl;
import io.gitversion.collector.Collector;
import io.gitversion.collector.CollectorConfig;
import io.gitversion.collector.SourceInstaller;
import io.gitversion.contract.KafkaSettings;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two databases that are each a source and a remote of the other: what each makes reaches the other, nothing comes
 * back (no commit of one source holds the other's change), both converge to equal hashes, and a pair of conflicting
 * changes made on both sides while they were paused is decided by the strategies: the peer prefers the origin's
 * version, the origin skips the peer's, so both end with the origin's.
 */
class BidirectionalIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static Collector peerCollector;

  private static TestDatabase db(PgUrl url) {
    return TestDatabase.at(url.toUriWithPassword());
  }

  private static boolean has(PgUrl url, String table) {
    return !"null".equals(String.valueOf(db(url).value("SELECT to_regclass('public." + table + "')")));
  }

  private static String columns(PgUrl url, String table) {
    return String.valueOf(db(url).value("SELECT string_agg(attname, ',' ORDER BY attname) FROM pg_attribute "
        + "WHERE attrelid = to_regclass('public." + table + "') AND attnum > 0 AND NOT attisdropped"));
  }

  @AfterAll
  static void stopPeer() {
    if (peerCollector != null) {
      peerCollector.close();
    }
  }

  @Test
  void twoSourcesFollowEachOtherWithoutALoopAndAConflictingPairIsDecidedByTheStrategies() throws Exception {
    PgUrl origin = pipeline.source();
    PgUrl r1 = pipeline.remotes().get("r1");
    db(r1).exec("CREATE DATABASE peer");
    PgUrl peer = r1.withDatabase("peer");
    CollectorConfig config = new CollectorConfig(Map.of(KafkaSettings.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
        KafkaSettings.TOPIC_PARTITIONS_CONFIG, "1", CollectorConfig.SOURCE_URL_CONFIG, peer.toUriWithPassword()));
    SourceInstaller.install(peer, config.slotName());
    peerCollector = new Collector(config).start(Duration.ofSeconds(60));
    // what the syncer applies is not the receiving source's own change: its role may switch capture off
    db(origin).exec("GRANT gitversion_syncer TO CURRENT_USER");
    db(peer).exec("GRANT gitversion_syncer TO CURRENT_USER");

    Cli cli = new Cli(pipeline.dashboardUrl());
    cli.ok("modules", "enable", "sync");
    assertEquals(0, Cli.remote(pipeline.bootstrapServers(), "add", "peer", peer.toString(), "--sources", origin.database(),
        "--strategy", "prefer-source").code());
    assertEquals(0, Cli.remote(pipeline.bootstrapServers(), "add", "origin", origin.toString(), "--sources", "peer",
        "--strategy", "skip").code());

    db(origin).exec("CREATE TABLE made_on_origin (id int PRIMARY KEY)");
    db(peer).exec("CREATE TABLE made_on_peer (id int PRIMARY KEY, note text)");
    Await.until("each has what the other made", WAIT, () -> has(peer, "made_on_origin") && has(origin, "made_on_peer"));
    Await.until("the peer's recorded state follows what the syncer applied there", WAIT,
        () -> "1".equals(String.valueOf(db(peer).value("SELECT count(*) FROM gitversion.objects WHERE object_name = 'made_on_origin' AND kind = 'table' AND NOT dropped"))));
    db(origin).exec("CREATE INDEX ON made_on_peer (note)");
    Await.until("a change to what came from the peer goes back to it", WAIT,
        () -> "1".equals(String.valueOf(db(peer).value("SELECT count(*) FROM pg_indexes WHERE tablename = 'made_on_peer' AND indexname <> 'made_on_peer_pkey'"))));

    Cli.Result compared = cli.run("compare", origin.toUriWithPassword(), peer.toUriWithPassword());
    assertEquals(0, compared.code(), "both converge:\n" + compared.out() + compared.err());
    String originLog = cli.ok("log", "--source", origin.database()).out();
    String peerLog = cli.ok("log", "--source", "peer").out();
    // each source's history holds the other's changes too, marked with where they came from
    assertTrue(peerLog.matches("(?s).*Synced from: " + origin.database() + " .*create table public\\.made_on_origin.*"), peerLog);
    assertTrue(originLog.matches("(?s).*Synced from: peer .*create table public\\.made_on_peer.*"), originLog);
    // a loop would go on making commits: once everything arrived, no commit is made while nobody changes anything
    String[] logs = {originLog + peerLog};
    Await.until("the histories stop growing", WAIT, () -> {
      try {
        Thread.sleep(3_000);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      String now = cli.ok("log", "--source", origin.database()).out() + cli.ok("log", "--source", "peer").out();
      boolean still = now.equals(logs[0]);
      logs[0] = now;
      return still;
    });

    // a conflicting pair: both change one table while they cannot see each other
    assertEquals(0, Cli.remote(pipeline.bootstrapServers(), "pause", "peer").code());
    assertEquals(0, Cli.remote(pipeline.bootstrapServers(), "pause", "origin").code());
    Await.until("both paused", WAIT, () -> "PAUSED".equals(String.valueOf(pipeline.syncer().status().get("peer")))
        && "PAUSED".equals(String.valueOf(pipeline.syncer().status().get("origin"))));
    db(origin).exec("ALTER TABLE made_on_origin ADD COLUMN origin_side int");
    db(peer).exec("ALTER TABLE made_on_origin ADD COLUMN peer_side int");
    Thread.sleep(2_000);
    assertEquals(0, Cli.remote(pipeline.bootstrapServers(), "resume", "peer").code());
    assertEquals(0, Cli.remote(pipeline.bootstrapServers(), "resume", "origin").code());
    Await.until("decided: both have the origin's version", WAIT,
        () -> columns(peer, "made_on_origin").equals("id,origin_side") && columns(origin, "made_on_origin").equals("id,origin_side"));
    Await.until("and equal hashes", WAIT, () -> cli.run("compare", origin.toUriWithPassword(), peer.toUriWithPassword()).code() == 0);
    String status = cli.ok("status").out();
    assertTrue(status.matches("(?s).*\npeer\tfollowing\t.*") && status.matches("(?s).*\norigin\tfollowing\t.*"), status);
  }
}
