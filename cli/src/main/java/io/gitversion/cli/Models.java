package io.gitversion.cli;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.UserError;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.catalog.model.SchemaModel;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/** Inspects a live database for the commands that compare or print models. */
final class Models {
  private Models() {}

  static SchemaModel inspect(String url, Set<String> schemas) {
    PgUrl pg = PgUrl.parse(url);
    try (Connection c = Database.connect(pg)) {
      c.setReadOnly(true);
      return new Inspector(c).inspect(schemas);
    } catch (SQLException e) {
      throw new UserError("cannot inspect " + pg + ": " + Database.firstLine(e.getMessage()), e);
    }
  }
}
