package io.gitversion.syncer;

import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A subscribed remote database: its name (used in results and consumer groups) and its address. */
public record Remote(String name, PgUrl url) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  public Remote {
    if (!NAME.matcher(name).matches()) {
      throw new UserError("bad remote name '" + name + "': use letters, digits, '_', '.', '-'");
    }
  }

  /** Parses {@code name=url[,name=url...]}. */
  public static List<Remote> parseList(String spec) {
    List<Remote> remotes = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return remotes;
    }
    for (String item : spec.split(",")) {
      String entry = item.strip();
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new UserError("bad remote '" + PgUrl.redact(entry) + "': expected name=postgresql://...");
      }
      remotes.add(new Remote(entry.substring(0, eq).strip(), PgUrl.parse(entry.substring(eq + 1).strip())));
    }
    return remotes;
  }

  @Override
  public String toString() {
    return name + "=" + url;
  }
}
