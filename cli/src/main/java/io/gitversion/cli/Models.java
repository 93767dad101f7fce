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

  /** One database, over two sessions (a second core reads it too). */
  static SchemaModel inspect(String url, Set<String> schemas) {
    return inspect(url, schemas, 2);
  }

  /** One of two databases inspected at the same time: one session each is faster than two (each pays its set-up). */
  static SchemaModel inspectOneOfTwo(String url, Set<String> schemas) {
    return inspect(url, schemas, 1);
  }

  private static SchemaModel inspect(String url, Set<String> schemas, int sessions) {
    PgUrl pg = PgUrl.parse(url);
    try {
      return Inspector.inspect(pg, schemas, sessions);
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
