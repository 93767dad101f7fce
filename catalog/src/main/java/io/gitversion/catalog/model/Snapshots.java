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

  public static String json(Relation relation) {
    try {
      return JSON.writeValueAsString(relation);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
