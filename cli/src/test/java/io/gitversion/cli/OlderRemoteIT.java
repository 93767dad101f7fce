package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.embedded.testing.TopicReader;
import io.gitversion.schemas.SyncResult;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The version matrix's other half (PostgresVersionsIT): DDL an older remote cannot take is recorded as failed there
 * with PostgreSQL's own message and the remote stopped at it, never reported applied; a remote of the source's release
 * takes it.
 */
class OlderRemoteIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.onPostgres(17, 14, 17);

  @org.junit.jupiter.api.Test
  void failsThereLoudlyAndIsNeverReportedApplied() throws Exception {
    TestDatabase.at(pipeline.source().toUriWithPassword()).exec(
        "CREATE TABLE codes (code text)", "CREATE UNIQUE INDEX codes_once ON codes (code) NULLS NOT DISTINCT");
    java.util.List<SyncResult> results = TopicReader.read(pipeline.bootstrapServers(), Topics.SYNC_RESULTS.name(),
        Topics.SYNC_RESULTS.valueSerde().deserializer(),
        read -> read.stream().anyMatch(r -> r.getRemote().equals("r1") && r.getStatus().equals("failed"))
            && read.stream().anyMatch(r -> r.getRemote().equals("r2") && r.getStatus().equals("applied")
                && r.getStatements().stream().anyMatch(sql -> sql.contains("codes_once"))),
        java.time.Duration.ofSeconds(30));
    SyncResult failed = results.stream().filter(r -> r.getRemote().equals("r1") && r.getStatus().equals("failed"))
        .findFirst().orElseThrow();
    assertTrue(failed.getMessage().contains("syntax error at or near \"NULLS\""), failed.getMessage());
    assertTrue(results.stream().noneMatch(r -> r.getRemote().equals("r1") && r.getStatus().equals("applied")
        && r.getCommitId().equals(failed.getCommitId())), "the index's commit never reported applied on 14");
    assertTrue(results.stream().anyMatch(r -> r.getRemote().equals("r1") && r.getStatus().equals("applied")
        && r.getStatements().stream().anyMatch(sql -> sql.contains("CREATE TABLE"))), "the table's commit arrived on 14");
    TestDatabase older = TestDatabase.at(pipeline.remotes().get("r1").toUriWithPassword());
    assertEquals("0", older.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'codes_once'"));
    TestDatabase same = TestDatabase.at(pipeline.remotes().get("r2").toUriWithPassword());
    assertEquals("1", same.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'codes_once'"));
  }
}
