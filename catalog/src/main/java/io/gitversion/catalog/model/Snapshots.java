package io.gitversion.catalog.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads and writes the JSON catalog snapshots that {@code snapshot.sql} produces. */
public final class Snapshots {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Snapshots() {}

  public static Relation relation(String json) {
    try {
      return JSON.readValue(json, Relation.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a relation snapshot: " + e.getOriginalMessage(), e);
    }
  }

  /** A relation from a snapshot already parsed as part of a larger document (no second parse). */
  public static Relation relation(com.fasterxml.jackson.databind.JsonNode json) {
    try {
      return JSON.treeToValue(json, Relation.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a relation snapshot: " + e.getOriginalMessage(), e);
    }
  }

  /** An object from its row as objects/KIND.sql renders it (what the capture trigger records), as JSON. */
  public static DbObject object(String json) {
    try {
      com.fasterxml.jackson.databind.JsonNode row = JSON.readTree(json);
      java.util.List<String> deps = new java.util.ArrayList<>();
      row.path("deps").forEach(d -> deps.add(d.asText()));
      com.fasterxml.jackson.databind.JsonNode snapshot = row.get("snapshot");
      return new DbObject(row.path("kind").asText(), text(row, "schema"), text(row, "name"), row.path("identity").asText(),
          text(row, "tbl"), text(row, "ddl"), deps, text(row, "comment"),
          row.hasNonNull("extra") ? row.get("extra") : JSON.createObjectNode(),
          snapshot == null || snapshot.isNull() ? null : snapshot.toString(), row.path("canonical").asText(), text(row, "tail"));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an object row: " + e.getOriginalMessage(), e);
    }
  }

  /** An object's facts (objects/KIND.sql's extra column) from their JSON text; {@code id} names the object if unreadable. */
  static com.fasterxml.jackson.databind.JsonNode facts(String json, String id) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable facts of " + id + ": " + e.getOriginalMessage(), e);
    }
  }

  private static String text(com.fasterxml.jackson.databind.JsonNode row, String field) {
    return row.hasNonNull(field) ? row.get(field).asText() : null;
  }

  public static String json(Relation relation) {
    try {
      return JSON.writeValueAsString(relation);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
