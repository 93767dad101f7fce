package io.gitversion.catalog.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An inspection that DDL committed meanwhile broke is read again, twice at most; any other failure is not retried. */
class ConcurrentDdlTest {
  /** As PostgreSQL reports it (pg_get_indexdef of an index whose table was dropped after the query's snapshot). */
  private static SQLException cacheLookupFailed() {
    return new SQLException("reading the index rows failed: ERROR: cache lookup failed for attribute 1 of relation 16483", "XX000");
  }

  @Test
  void aConcurrentDdlFailureIsReadAgain() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();
    String result = Inspector.againAfterConcurrentDdl(() -> {
      if (attempts.incrementAndGet() < 3) {
        throw cacheLookupFailed();
      }
      return "model";
    });
    assertEquals("model", result);
    assertEquals(3, attempts.get());
  }

  @Test
  void aRelationDroppedMeanwhileIsConcurrentDdlToo() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();
    assertEquals(2, (int) Inspector.againAfterConcurrentDdl(() -> {
      if (attempts.incrementAndGet() == 1) {
        throw new SQLException("reading the constraint rows failed: ERROR: could not open relation with OID 16501", "XX000");
      }
      return attempts.get();
    }));
  }

  @Test
  void anObjectWhoseDefinitionCameBackNullIsConcurrentDdlToo() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();
    assertEquals(2, (int) Inspector.againAfterConcurrentDdl(() -> {
      if (attempts.incrementAndGet() == 1) {
        throw new SQLException("reading the index rows failed: index public.t_a_idx " + Inspector.DROPPED_MEANWHILE, "XX000");
      }
      return attempts.get();
    }));
  }

  @Test
  void thirdFailureInARowIsThrown() {
    AtomicInteger attempts = new AtomicInteger();
    SQLException last = cacheLookupFailed();
    SQLException thrown = assertThrows(SQLException.class, () -> Inspector.againAfterConcurrentDdl(() -> {
      attempts.incrementAndGet();
      throw last;
    }));
    assertSame(last, thrown);
    assertEquals(3, attempts.get());
  }

  @Test
  void otherFailuresAreNotRetried() {
    for (SQLException other : new SQLException[] {
        new SQLException("ERROR: permission denied for table t", "42501"),
        new SQLException("ERROR: unexpected chunk number 0 (expected 1) for toast value 16501", "XX000")}) {
      AtomicInteger attempts = new AtomicInteger();
      assertSame(other, assertThrows(SQLException.class, () -> Inspector.againAfterConcurrentDdl(() -> {
        attempts.incrementAndGet();
        throw other;
      })));
      assertEquals(1, attempts.get(), other.getMessage());
    }
  }
}
