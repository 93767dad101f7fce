package io.gitversion.collector.internals;

import io.gitversion.schemas.Author;
import io.gitversion.schemas.DdlRecord;
import org.apache.kafka.connect.data.Struct;

/** One row of {@code gitversion.ddl_log} as Debezium delivered it. */
record LogRow(long id, long txid, Struct row) {

  static LogRow of(Struct after) {
    return new LogRow(after.getInt64("id"), after.getInt64("txid"), after);
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
        .setSnapshot(row.getString("snapshot"))
        .setCanonical(row.getString("canonical"))
        .setHash(row.getString("hash"))
        .setError(row.getString("error"))
        .setVersion(row.getInt32("version"))
        .setSemver(row.getString("semver"))
        .setDefinition(row.getString("definition"))
        .setOrigin(row.schema().field("origin") == null ? null : row.getString("origin")) // a log older than migration 4 has none
        .build();
  }
}
