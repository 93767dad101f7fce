package io.gitversion.cli;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.UserError;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.catalog.model.SchemaModel;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Inspects a live database for the commands that compare or print models. */
final class Models {
  private Models() {}

  static SchemaModel inspect(String url, Set<String> schemas) {
    PgUrl pg = PgUrl.parse(url);
    try {
      return Inspector.inspect(pg, schemas);
    } catch (SQLException e) {
      throw new UserError("cannot inspect " + pg + ": " + Database.firstLine(e.getMessage()), e);
    }
  }

  /** The model an asynchronous {@link #inspect} produced, with its failure (a {@link UserError}) rethrown as it was. */
  static SchemaModel await(CompletableFuture<SchemaModel> model) {
    try {
      return model.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
