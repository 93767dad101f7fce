package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.embedded.testing.TopicReader;
import io.gitversion.schemas.SyncResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Roles belong to the server, not to a database's model: a GRANT to a role that a remote lacks is a conflict naming it. */
class MissingRoleIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  @Test // issue 16: a GRANT to a role a remote lacks is a clear conflict naming the role
  void aGrantToARoleTheRemoteLacksIsAConflictNamingTheRoleAndNothingOfItsCommitIsApplied() {
    TestDatabase source = TestDatabase.at(pipeline.source().toUriWithPassword());
    source.exec("CREATE ROLE auditor");
    source.inTransaction("CREATE TABLE ledger (id int)", "GRANT SELECT ON ledger TO auditor");

    SyncResult result = TopicReader.read(pipeline.bootstrapServers(), Topics.SYNC_RESULTS.name(),
        Topics.SYNC_RESULTS.valueSerde().deserializer(), read -> read.stream().anyMatch(r -> r.getStatus().equals("conflict")),
        Duration.ofSeconds(30)).stream().filter(r -> r.getStatus().equals("conflict")).findFirst().orElseThrow();
    assertTrue(result.getMessage().contains("role \"auditor\" does not exist on the remote"), result.getMessage());
    assertEquals(List.of(), result.getMismatches());
    assertEquals("0", TestDatabase.at(pipeline.remotes().get("r1").toUriWithPassword())
        .value("SELECT count(*) FROM pg_tables WHERE tablename = 'ledger'"), "the commit's transaction is not applied");
  }
}
