package io.gitversion.catalog.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One column of a table as the catalog defines it.
 *
 * @param num the attribute number: the column's identity inside its table, stable across renames
 * @param type the type as {@code format_type} prints it with {@code search_path = pg_catalog}
 * @param defaultExpr the default expression, or null
 * @param generated the generation expression of a stored generated column, or null
 * @param identity {@code a} (always) or {@code d} (by default) for identity columns, else null
 * @param collation the quoted, qualified collation when it differs from the type's default, else null
 * @param statistics the column's statistics target when set, else null
 * @param identityOptions the identity sequence's options (START WITH ... [NO] CYCLE) of an identity column, else null
 * @param definition the column as CREATE TABLE and ADD COLUMN write it, rendered by snapshot.sql (the one rendering of a
 *     column: the canonical text is made of the same lines); null in snapshots recorded before 0.2
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Column(
    int num,
    String name,
    String type,
    boolean notNull,
    @JsonProperty("default") String defaultExpr,
    String generated,
    String identity,
    String collation,
    Integer statistics,
    String identityOptions,
    String definition) {

  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /** A copy numbered {@code newNum}. */
  public Column renumbered(int newNum) {
    return new Column(newNum, name, type, notNull, defaultExpr, generated, identity, collation, statistics, identityOptions, definition);
  }

  /** A copy named {@code newName} (its rendering names it too). */
  public Column renamed(String newName) {
    String renamedDefinition = definition == null || newName.equals(name) ? definition
        : io.gitversion.catalog.Sql.ident(newName) + definition.substring(io.gitversion.catalog.Sql.ident(name).length());
    return new Column(num, newName, type, notNull, defaultExpr, generated, identity, collation, statistics, identityOptions, renamedDefinition);
  }

  /** A copy without a generation expression (as after DROP EXPRESSION), and so without a rendering. */
  public Column withoutExpression() {
    return new Column(num, name, type, notNull, null, null, identity, collation, statistics, identityOptions, null);
  }

  /** Same definition, whatever the name and position. */
  public boolean sameDefinition(Column other) {
    return type.equals(other.type) && notNull == other.notNull && Objects.equals(defaultExpr, other.defaultExpr)
        && Objects.equals(generated, other.generated) && Objects.equals(identity, other.identity)
        && Objects.equals(collation, other.collation) && Objects.equals(statistics, other.statistics)
        && Objects.equals(identityOptions, other.identityOptions);
  }
}
