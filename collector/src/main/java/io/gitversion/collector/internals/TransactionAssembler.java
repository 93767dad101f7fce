package io.gitversion.collector.internals;

import io.gitversion.schemas.DdlEvent;
import io.gitversion.schemas.DdlRecord;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Collects the log rows of one source transaction, between Debezium's BEGIN and END markers, into one
 * {@link DdlEvent}. Transactions arrive whole and one after another (pgoutput sends a transaction at its commit), so at
 * most one is open; a batch may end in the middle of it, and it then continues in the next batch.
 *
 * @param <E> the engine's record type, kept so that a transaction's records are acknowledged only after it was sent
 */
public final class TransactionAssembler<E> {
  /** A transaction ready to send, and the engine records to acknowledge once Kafka has it. */
  public record Completed<E>(Optional<DdlEvent> event, List<E> records) {}

  private final String database;
  private final List<E> records = new ArrayList<>();
  private final List<LogRow> rows = new ArrayList<>();

  public TransactionAssembler(String database) {
    this.database = database;
  }

  /** A record that is neither a boundary nor a new log row (an update or delete of the log): acknowledged with its transaction. */
  public void other(E record) {
    records.add(record);
  }

  public void begin(E record) {
    records.add(record);
  }

  /** A new row of {@code gitversion.ddl_log}. */
  public void row(E record, org.apache.kafka.connect.data.Struct after) {
    records.add(record);
    rows.add(LogRow.of(after));
  }

  /**
   * Closes the open transaction.
   *
   * @param transactionId Debezium's transaction id, {@code txId:commitLsn}
   */
  public Completed<E> end(E record, String transactionId) {
    records.add(record);
    Optional<DdlEvent> event = rows.isEmpty() ? Optional.empty() : Optional.of(event(database, rows, transactionId));
    Completed<E> completed = new Completed<>(event, List.copyOf(records));
    records.clear();
    rows.clear();
    return completed;
  }

  public boolean hasOpenTransaction() {
    return !records.isEmpty();
  }

  /**
   * One source transaction's event, of its log rows (in any order).
   *
   * @param transactionId {@code txId:commitLsn}
   */
  static DdlEvent event(String database, List<LogRow> transaction, String transactionId) {
    List<LogRow> rows = new ArrayList<>(transaction);
    rows.sort(Comparator.comparingLong(LogRow::id));
    LogRow first = rows.get(0);
    List<DdlRecord> ddl = rows.stream().map(LogRow::toRecord).toList();
    return DdlEvent.newBuilder()
        .setEventId(database + ":" + transactionId)
        .setDatabase(database)
        .setTxId(first.txid())
        .setCommitLsn(commitLsn(transactionId))
        .setCapturedAt(capturedAt(first))
        .setAuthor(first.author())
        .setRecords(ddl)
        .build();
  }

  private static long commitLsn(String transactionId) {
    int colon = transactionId.indexOf(':');
    try {
      return colon < 0 ? 0L : Long.parseLong(transactionId.substring(colon + 1));
    } catch (NumberFormatException e) {
      return 0L;
    }
  }

  private static Instant capturedAt(LogRow row) {
    String text = row.row().getString("captured_at");
    if (text != null) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        return Instant.now();
      }
    }
    return Instant.now();
  }
}
