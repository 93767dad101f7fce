package io.gitversion.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gitversion.schemas.Author;
import io.gitversion.schemas.DdlEvent;
import io.gitversion.schemas.DdlRecord;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * Every released wire schema (kept under src/main/resources/io/gitversion/schemas/released/VERSION) must stay readable by the current
 * schema of the same record: a change that would strand data already in a topic fails the build.
 */
class SchemaCompatibilityTest {
  @Test
  void currentSchemasReadEveryReleasedVersion() throws Exception {
    List<Schema> released = Released.schemas();
    assertFalse(released.isEmpty());
    for (Schema writer : released) {
      Class<?> type = Class.forName(writer.getFullName());
      Schema reader = SpecificData.get().getSchema(type);
      var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
      assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, result.getType(),
          writer.getFullName() + " from a released version: " + result.getDescription());
    }
  }

  @Test
  void messagesCarryTheirSchemaFingerprintAndRoundTrip() {
    DdlEvent event = DdlEvent.newBuilder().setEventId("app:1:2").setDatabase("app").setTxId(1).setCommitLsn(2)
        .setCapturedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setAuthor(Author.newBuilder().setRole("alice").build())
        .setRecords(List.of(DdlRecord.newBuilder().setSeq(1).setCommandTag("CREATE TABLE").setKind("table").setName("t")
            .setIdentity("public.t").setOid(5).setAction("create").build()))
        .build();
    byte[] bytes = Topics.DDL_EVENTS.valueSerde().serializer().serialize("t", event);
    assertEquals((byte) 0xC3, bytes[0], "single-object encoding marker");
    assertEquals((byte) 0x01, bytes[1]);
    assertEquals(event, Topics.DDL_EVENTS.valueSerde().deserializer().deserialize("t", bytes));
    assertThrows(SerializationException.class, () -> Topics.COMMITS.valueSerde().deserializer().deserialize("t", bytes),
        "a message of another type is refused, not misread");
  }

  @Test
  void aChangeWrittenBy010ReadsWithItsHazardsAndProblemsTyped() throws Exception {
    Schema old = Released.of("io.gitversion.schemas.Change").get(0);
    org.apache.avro.generic.GenericRecord change = new org.apache.avro.generic.GenericData.Record(old);
    change.put("commitId", "c1");
    change.put("database", "app");
    change.put("position", 0);
    change.put("objectKey", "table:1");
    change.put("kind", "table");
    change.put("action", "drop");
    change.put("forwardSql", List.of("DROP TABLE \"public\".\"t\";"));
    change.put("hazards", List.of("data_loss", "breaks_clients", "unsupported: changes of kind 'operator' are versioned but not yet migrated"));
    byte[] bytes = written(old, change);
    io.gitversion.schemas.Change read = Topics.CHANGES.valueSerde().deserializer().deserialize("t", bytes);
    assertEquals(java.util.Set.of(io.gitversion.schemas.Hazard.DATA_LOSS, io.gitversion.schemas.Hazard.BREAKS_CLIENTS), Changes.risks(read));
    assertEquals(List.of("unsupported: changes of kind 'operator' are versioned but not yet migrated"), Changes.problems(read));
    assertEquals(List.of(), read.getRisks(), "0.1.0 wrote no typed risks");
  }

  @Test
  void anObjectVersionWrittenBy010ReadsItsDdlAsTheCanonicalText() throws Exception {
    Schema old = Released.of("io.gitversion.schemas.ObjectVersion").get(0);
    org.apache.avro.generic.GenericRecord version = new org.apache.avro.generic.GenericData.Record(old);
    version.put("database", "app");
    version.put("objectKey", "table:1");
    version.put("kind", "table");
    version.put("name", "t");
    version.put("version", 1);
    version.put("semver", "1.0.0");
    version.put("ddl", "CREATE TABLE \"public\".\"t\" ();");
    version.put("changedAt", 1_700_000_000_000L);
    version.put("changedBy", "alice");
    version.put("commitId", "c1");
    version.put("dropped", false);
    byte[] bytes = written(old, version);
    assertEquals("CREATE TABLE \"public\".\"t\" ();",
        Topics.OBJECT_VERSIONS.valueSerde().deserializer().deserialize("t", bytes).getCanonical(), "0.1.0's ddl is the canonical text");
  }

  /** A message as a released version wrote it, with its schema. */
  private static byte[] written(Schema schema, org.apache.avro.generic.GenericRecord record) throws Exception {
    java.nio.ByteBuffer buffer = new org.apache.avro.message.BinaryMessageEncoder<org.apache.avro.generic.GenericRecord>(
        org.apache.avro.generic.GenericData.get(), schema).encode(record);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
