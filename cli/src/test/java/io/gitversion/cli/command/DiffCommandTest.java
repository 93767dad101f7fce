package io.gitversion.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.SchemaModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code gitversion diff} reports when the plan is empty but the hashes differ (a gap of the planner). */
class DiffCommandTest {
  static DbObject view(String name, String definition) {
    String ddl = "CREATE VIEW \"public\".\"" + name + "\" AS " + definition + ";";
    return new DbObject("view", "public", name, name, null, ddl, List.of("schema public.public"), null,
        JsonNodeFactory.instance.objectNode(), null, ddl, "");
  }

  @Test
  void differingNamesEveryObjectWhoseHashIsNotTheSameInBothInIdOrder() {
    SchemaModel source = SchemaModel.of(List.of(view("same", "SELECT 1"), view("changed", "SELECT 1"), view("gone", "SELECT 1")));
    SchemaModel target = SchemaModel.of(List.of(view("new", "SELECT 2"), view("changed", "SELECT 2"), view("same", "SELECT 1")));
    assertEquals(List.of("view public.changed", "view public.gone", "view public.new"), DiffCommand.differing(source, target));
    assertEquals(List.of(), DiffCommand.differing(source, source));
  }
}
