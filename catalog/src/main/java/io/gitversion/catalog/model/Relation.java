package io.gitversion.catalog.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table as the catalog defines it: name, persistence and columns (in attribute-number order).
 *
 * @param persistence {@code p} permanent, {@code u} unlogged
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Relation(String kind, String schema, String name, String persistence, List<Column> columns) {
  public Relation {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(name, "name");
    kind = kind == null ? "table" : kind;
    persistence = persistence == null ? "p" : persistence;
    columns = columns == null ? List.of() : columns.stream().sorted(Comparator.comparingInt(Column::num)).toList();
  }

  public Optional<Column> column(int num) {
    return columns.stream().filter(c -> c.num() == num).findFirst();
  }

  public boolean unlogged() {
    return "u".equals(persistence);
  }
}
