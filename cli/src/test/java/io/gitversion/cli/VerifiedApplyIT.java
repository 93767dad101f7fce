package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import io.gitversion.embedded.testing.TopicReader;
import io.gitversion.schemas.Mismatch;
import io.gitversion.schemas.SyncResult;
import io.gitversion.syncer.internals.RemoteWorker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Applied means verified (DESIGN.md, invariant 12): a remote transaction checks the hashes of the objects a commit
 * touches before applying (else a conflict: the remote was changed by hand) and after (else a divergence: the plan
 * did not do what the source did). Neither is ever applied; both are recorded with the objects and both hashes.
 */
class VerifiedApplyIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(2);

  static TestDatabase db(PgUrl url) {
    return TestDatabase.at(url.toUriWithPassword());
  }

  static String hash(PgUrl url, String id) throws Exception {
    try (var c = db(url).connect()) {
      return new Inspector(c).inspect(Set.of()).hashes().get(id);
    }
  }

  /** The first result of {@code remote} that is not applied nor a duplicate. */
  static SyncResult firstUnapplied(String remote) {
    List<SyncResult> results = TopicReader.read(pipeline.bootstrapServers(), Topics.SYNC_RESULTS.name(),
        Topics.SYNC_RESULTS.valueSerde().deserializer(), read -> read.stream().anyMatch(r -> r.getRemote().equals(remote)
            && !List.of("applied", "duplicate").contains(r.getStatus())), Duration.ofSeconds(30));
    return results.stream().filter(r -> r.getRemote().equals(remote) && !List.of("applied", "duplicate").contains(r.getStatus()))
        .findFirst().orElseThrow();
  }

  static void awaitTableOn(PgUrl remote, String table) {
    Await.until(table + " on " + remote, Duration.ofSeconds(30),
        () -> "1".equals(db(remote).value("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '" + table + "'")));
  }

  @Test
  void aRemoteChangedByHandIsAConflictAndTheCommitIsNotApplied() throws Exception {
    PgUrl source = pipeline.source();
    PgUrl r1 = pipeline.remotes().get("r1");
    db(source).exec("CREATE TABLE accounts (id bigint NOT NULL)");
    awaitTableOn(r1, "accounts");
    String sourceBefore = hash(source, "table public.accounts");
    db(r1).exec("ALTER TABLE accounts ADD COLUMN added_by_hand int", "INSERT INTO accounts VALUES (1, 2)");
    String handMade = hash(r1, "table public.accounts");

    db(source).exec("ALTER TABLE accounts ADD COLUMN email text");

    SyncResult result = firstUnapplied("r1");
    assertEquals("conflict", result.getStatus(), result.toString());
    assertEquals(List.of(Mismatch.newBuilder().setObject("table public.accounts").setExpected(sourceBefore).setActual(handMade).build()),
        result.getMismatches());
    Await.until("r1 stops at the conflict", Duration.ofSeconds(30),
        () -> pipeline.syncer().status().get("r1") == RemoteWorker.State.STOPPED_ON_FAILURE);
    assertEquals(List.of("id", "added_by_hand"), db(r1).column(
        "SELECT attname FROM pg_attribute WHERE attrelid = 'public.accounts'::regclass AND attnum > 0 ORDER BY attnum"),
        "nothing of the commit was applied");
    assertEquals("1", db(r1).value("SELECT count(*) FROM accounts"), "the remote's rows are as they were");
  }

  @Test
  void aPlanThatDoesNotDoWhatTheSourceDidIsADivergenceAndIsRolledBack() throws Exception {
    PgUrl source = pipeline.source();
    PgUrl r2 = pipeline.remotes().get("r2");
    // on r2 only, new tables get a privilege the source's do not: the same CREATE TABLE makes another table there
    db(r2).exec("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC");

    db(source).exec("CREATE TABLE invoices (id bigint NOT NULL)");

    SyncResult result = firstUnapplied("r2");
    assertEquals("divergence", result.getStatus(), result.toString());
    assertEquals(1, result.getMismatches().size(), result.toString());
    Mismatch mismatch = result.getMismatches().get(0);
    assertEquals("table public.invoices", mismatch.getObject());
    assertEquals(hash(source, "table public.invoices"), mismatch.getExpected());
    assertNotEquals(mismatch.getExpected(), mismatch.getActual(), "the remote's table has the extra privilege");
    assertEquals("0", db(r2).value("SELECT count(*) FROM pg_tables WHERE tablename = 'invoices'"), "rolled back: never applied");
    assertEquals("0", db(r2).value("SELECT count(*) FROM gitversion_sync.applied WHERE commit_id = '" + result.getCommitId() + "'"),
        "and not in the ledger");
  }
}
