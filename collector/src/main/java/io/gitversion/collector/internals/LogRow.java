package io.gitversion.collector.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitversion.schemas.Author;
import io.gitversion.schemas.DdlRecord;
import org.apache.kafka.connect.data.Struct;

/** One row of {@code gitversion.ddl_log}: as Debezium delivered it, or as read from the table ({@link SlotCatchUp}). */
record LogRow(long id, long txid, Fields row) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The row's columns by name, each null when absent or null (a log older than a migration lacks its columns). */
  interface Fields {
    String getString(String column);

    Long getInt64(String column);

    Integer getInt32(String column);
  }

  static LogRow of(Struct after) {
    Fields fields = new Fields() {
      @Override
      public String getString(String column) {
        return after.schema().field(column) == null ? null : after.getString(column);
      }

      @Override
      public Long getInt64(String column) {
        return after.schema().field(column) == null ? null : after.getInt64(column);
      }

      @Override
      public Integer getInt32(String column) {
        return after.schema().field(column) == null ? null : after.getInt32(column);
      }
    };
    return new LogRow(after.getInt64("id"), after.getInt64("txid"), fields);
  }

  /** A row read from the table: the values by column name, as JDBC returned them (a timestamp as an Instant's text). */
  static LogRow of(java.util.Map<String, Object> columns) {
    Fields fields = new Fields() {
      @Override
      public String getString(String column) {
        Object value = columns.get(column);
        return value == null ? null : value.toString();
      }

      @Override
      public Long getInt64(String column) {
        Object value = columns.get(column);
        return value == null ? null : ((Number) value).longValue();
      }

      @Override
      public Integer getInt32(String column) {
        Object value = columns.get(column);
        return value == null ? null : ((Number) value).intValue();
      }
    };
    return new LogRow(((Number) columns.get("id")).longValue(), ((Number) columns.get("txid")).longValue(), fields);
  }

  Author author() {
    return Author.newBuilder()
        .setRole(row.getString("role_name"))
        .setApplication(row.getString("application"))
        .setClientAddress(row.getString("client_addr"))
        .build();
  }

  /** The record for Kafka: definition, hash and version as the source's capture computed them (snapshot.sql). */
  DdlRecord toRecord() {
    Long oid = row.getInt64("objid");
    JsonNode definition = row.getString("canonical") == null ? definition() : null;
    Integer subId = row.getInt32("objsubid");
    return DdlRecord.newBuilder()
        .setSeq(id)
        .setCommandTag(row.getString("command_tag"))
        .setStatement(row.getString("statement"))
        .setKind(row.getString("kind"))
        .setSchema$(row.getString("schema_name"))
        .setName(row.getString("object_name"))
        .setIdentity(row.getString("object_identity"))
        .setOid(oid == null ? 0L : oid)
        .setSubId(subId == null ? 0 : subId)
        .setAction(row.getString("action"))
        .setSnapshot(column("snapshot", definition))
        .setCanonical(column("canonical", definition))
        .setHash(row.getString("hash"))
        .setError(row.getString("error"))
        .setVersion(row.getInt32("version"))
        .setSemver(row.getString("semver"))
        .setDefinition(row.getString("definition"))
        .setOrigin(row.getString("origin")) // a log older than migration 4 has none
        .build();
  }

  /**
   * The log's column {@code field} (a table's snapshot, the canonical text), else the same field of the row's
   * {@code definition}: capture writes them there only (rows of older captures have both).
   */
  private String column(String field, JsonNode definition) {
    String column = row.getString(field);
    if (column != null || definition == null) {
      return column;
    }
    JsonNode value = definition.get(field);
    return value == null || value.isNull() ? null : value.isTextual() ? value.asText() : value.toString();
  }

  private JsonNode definition() {
    String definition = row.getString("definition");
    try {
      return definition == null ? null : JSON.readTree(definition);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("log row " + id + " has a definition that is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
