package io.gitversion.collector.internals;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.DdlEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a slot made again does not stream: the transactions captured while it was gone. {@code gitversion install}
 * records where a slot it makes begins (gitversion.slots, migration 8): its consistent point, and the snapshot
 * PostgreSQL exported with it, in which exactly the transactions committed before it are visible. Before the collector
 * streams from a slot it has not caught up with, it takes the log's transactions visible in that snapshot, leaves out
 * those already on {@link Topics#DDL_EVENTS} (by transaction ID), and publishes the rest, oldest first. Each gets a
 * commit position just below the slot's start, in their order: after the last one published before the slot was
 * dropped (which committed before them), before every one the slot streams. Then the slot is marked caught up, and
 * later starts skip all this.
 */
public final class SlotCatchUp {
  /** Kafka's clock and the source's may differ: the topic is read from this long before the oldest capture. */
  private static final Duration CLOCK_MARGIN = Duration.ofHours(1);

  /** The transactions to publish first (empty when there are none), and how to say they were. */
  public record Missed(List<DdlEvent> events, Runnable caughtUp) {}

  private SlotCatchUp() {}

  /**
   * The transactions the slot {@code slotName} does not stream and Kafka does not have, as events; none when the
   * slot was caught up with before, or was made before migration 8 (nothing recorded of it). {@code retention}: how
   * long the log keeps published rows (the collector's retention; zero: for good). Only rows captured within it are
   * looked at: older ones were published (or pruned), and tags, which the log keeps for good, would otherwise make
   * every catch-up read the source's whole history back from Kafka.
   */
  public static Missed missed(PgUrl source, String slotName, String database, Map<String, Object> kafka, Duration retention) {
    try (Connection c = Database.connect(source)) {
      if (!recorded(c, slotName)) {
        return new Missed(List.of(), () -> {});
      }
      String startLsn;
      Map<Long, List<LogRow>> byTransaction = new LinkedHashMap<>();
      Instant oldest = null;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT s.start_lsn::text AS slot_start, l.* FROM gitversion.slots s"
              + " LEFT JOIN gitversion.ddl_log l ON pg_catalog.pg_visible_in_snapshot(l.txid::text::xid8, s.before)"
              + " AND (?::float8 <= 0 OR l.captured_at >= s.made_at - pg_catalog.make_interval(secs => ?::float8))"
              + " WHERE s.slot_name = ? ORDER BY l.id")) {
        double seconds = retention.toMillis() / 1000.0;
        ps.setDouble(1, seconds);
        ps.setDouble(2, seconds);
        ps.setString(3, slotName);
        try (ResultSet rs = ps.executeQuery()) {
          startLsn = null;
          ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            startLsn = rs.getString("slot_start");
            if (rs.getObject("id") == null) {
              continue;
            }
            Map<String, Object> columns = new HashMap<>();
            for (int i = 2; i <= meta.getColumnCount(); i++) {
              Object value = rs.getObject(i);
              columns.put(meta.getColumnName(i), value instanceof Timestamp t ? t.toInstant().toString()
                  : value instanceof org.postgresql.util.PGobject json ? json.getValue() : value);
            }
            LogRow row = LogRow.of(columns);
            byTransaction.computeIfAbsent(row.txid(), t -> new ArrayList<>()).add(row);
            Instant at = rs.getTimestamp("captured_at").toInstant();
            oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
          }
        }
      }
      Runnable caughtUp = () -> markCaughtUp(source, slotName);
      if (byTransaction.isEmpty()) {
        return new Missed(List.of(), caughtUp);
      }
      Set<Long> published = publishedTransactions(kafka, database, oldest.minus(CLOCK_MARGIN));
      List<List<LogRow>> missing = byTransaction.entrySet().stream()
          .filter(t -> !published.contains(t.getKey())).map(Map.Entry::getValue).toList();
      long start = org.postgresql.replication.LogSequenceNumber.valueOf(startLsn).asLong();
      List<DdlEvent> events = new ArrayList<>();
      for (int i = 0; i < missing.size(); i++) {
        List<LogRow> rows = missing.get(i);
        long position = start - (missing.size() - i);
        events.add(TransactionAssembler.event(database, rows, rows.get(0).txid() + ":" + position));
      }
      return new Missed(events, caughtUp);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read what " + source + "'s slot " + slotName + " did not stream: "
          + Database.firstLine(e.getMessage()), e);
    }
  }

  /**
   * Whether the slot is one {@code gitversion install} made and nothing has been read from yet: its confirmed
   * position is still where it began. The engine's check that its last recorded position is still on the server is
   * then off, as the position before the slot was made cannot be: what lies between was published from the log. Any
   * other slot keeps the check (one made again by hand fails it, loudly, rather than skip what it does not stream).
   */
  public static boolean unreadSinceMade(PgUrl source, String slotName) {
    try (Connection c = Database.connect(source)) {
      return anyRow(c, "SELECT 1 FROM pg_catalog.pg_replication_slots r JOIN gitversion.slots s ON s.slot_name = r.slot_name"
          + " WHERE r.slot_name = ? AND r.confirmed_flush_lsn = s.start_lsn", slotName);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read " + source + "'s slot " + slotName + ": " + Database.firstLine(e.getMessage()), e);
    }
  }

  /** Whether the slot's beginning is recorded and not yet caught up with. */
  private static boolean recorded(Connection c, String slotName) throws SQLException {
    return anyRow(c, "SELECT 1 FROM gitversion.slots WHERE slot_name = ? AND caught_up_at IS NULL", slotName);
  }

  /** Whether the query of gitversion.slots finds a row for the slot; none in a source installed before migration 8. */
  private static boolean anyRow(Connection c, String sql, String slotName) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, slotName);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) { // no such table: nothing recorded
        return false;
      }
      throw e;
    }
  }

  private static void markCaughtUp(PgUrl source, String slotName) {
    try (Connection c = Database.connect(source);
         PreparedStatement ps = c.prepareStatement("UPDATE gitversion.slots SET caught_up_at = clock_timestamp() WHERE slot_name = ?")) {
      ps.setString(1, slotName);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record in " + source + " that slot " + slotName + " was caught up with: "
          + Database.firstLine(e.getMessage()), e);
    }
  }

  /** The IDs of the source transactions of {@code database} on the topic, published from {@code since} on. */
  private static Set<Long> publishedTransactions(Map<String, Object> kafka, String database, Instant since) {
    Map<String, Object> props = new HashMap<>(kafka);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gitversion-collector-catch-up-" + database);
    Set<Long> ids = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(Topics.DDL_EVENTS.name(), Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(p.topic(), p.partition()));
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      Map<TopicPartition, Long> from = new HashMap<>();
      partitions.forEach(p -> from.put(p, since.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(from, Duration.ofSeconds(30));
      List<TopicPartition> left = new ArrayList<>();
      for (TopicPartition p : partitions) {
        OffsetAndTimestamp at = starts.get(p);
        if (at != null && at.offset() < end.get(p)) {
          consumer.seek(p, at.offset());
          left.add(p);
        }
      }
      var deserializer = Topics.DDL_EVENTS.valueSerde().deserializer();
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (!left.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + Topics.DDL_EVENTS.name() + " back to " + since + " took over 5 minutes");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (database.equals(r.key()) && r.value() != null) {
            try {
              DdlEvent event = deserializer.deserialize(r.topic(), r.value());
              if (database.equals(event.getDatabase())) {
                ids.add(event.getTxId());
              }
            } catch (RuntimeException unreadable) {
              // not an event the processor took either (it sends such records to the dead letters)
            }
          }
        }
        left.removeIf(p -> consumer.position(p) >= end.get(p));
      }
    }
    return ids;
  }

}
