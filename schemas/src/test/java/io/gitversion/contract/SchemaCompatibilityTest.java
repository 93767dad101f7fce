package io.gitversion.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gitversion.schemas.Author;
import io.gitversion.schemas.DdlEvent;
import io.gitversion.schemas.DdlRecord;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * Every released wire schema (kept under src/test/resources/released/VERSION) must stay readable by the current
 * schema of the same record: a change that would strand data already in a topic fails the build.
 */
class SchemaCompatibilityTest {
  static final Path RELEASED = Path.of("src/test/resources/released");

  static List<Schema> released() throws IOException {
    List<Schema> schemas = new ArrayList<>();
    try (DirectoryStream<Path> versions = Files.newDirectoryStream(RELEASED)) {
      for (Path version : versions) {
        Schema.Parser parser = new Schema.Parser();
        // dependencies first, as the build imports them
        for (String name : List.of("Author", "DdlRecord", "ObjectVersion", "Change", "DdlEvent", "Commit", "SyncResult")) {
          Path file = version.resolve(name + ".avsc");
          if (Files.exists(file)) {
            schemas.add(parser.parse(file.toFile()));
          }
        }
      }
    }
    return schemas;
  }

  @Test
  void currentSchemasReadEveryReleasedVersion() throws Exception {
    List<Schema> released = released();
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
}
