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

  /**
   * The remote a registry entry names, its password read from where the entry says ({@code env:VARIABLE} or {@code
   * file:PATH}); without one, the connection has none (pgjdbc then reads the syncer's {@code .pgpass}).
   */
  public static Remote of(io.gitversion.schemas.RemoteSpec spec) {
    PgUrl url = PgUrl.parse(spec.getUrl());
    String from = spec.getPasswordFrom();
    if (from == null || from.isBlank()) {
      return new Remote(spec.getName(), url);
    }
    return new Remote(spec.getName(), url.withPassword(password(spec.getName(), from)));
  }

  /** Reads a password from {@code env:VARIABLE} or {@code file:PATH} (its first line). */
  public static String password(String remote, String from) {
    if (from.startsWith("env:")) {
      String value = System.getenv(from.substring(4));
      if (value == null) {
        throw new UserError("remote " + remote + ": the environment has no " + from.substring(4) + " (its password)");
      }
      return value;
    }
    if (from.startsWith("file:")) {
      try {
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of(from.substring(5))).stream().findFirst().orElse("").strip();
      } catch (java.io.IOException e) {
        throw new UserError("remote " + remote + ": cannot read its password from " + from.substring(5) + ": " + e.getMessage());
      }
    }
    throw new UserError("remote " + remote + ": a password is read from env:VARIABLE or file:PATH, not " + from);
  }

  @Override
  public String toString() {
    return name + "=" + url;
  }
}
