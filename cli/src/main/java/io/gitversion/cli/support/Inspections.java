package io.gitversion.cli.support;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.UserError;
import io.gitversion.catalog.inspect.HashCache;
import io.gitversion.catalog.inspect.HashCacheDirectory;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.catalog.model.SchemaHashes;
import io.gitversion.catalog.model.SchemaModel;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Inspects a live database for the commands that compare or print models. */
public final class Inspections {
  private Inspections() {}

  /** One of two databases inspected at the same time: one session each is faster than two (each pays its set-up). */
  public static SchemaModel inspectOneOfTwo(String url, Set<String> schemas) {
    PgUrl pg = PgUrl.parse(url);
    try {
      return Inspector.inspect(pg, schemas, 1);
    } catch (SQLException e) {
      throw new UserError("cannot inspect " + pg + ": " + Database.firstLine(e.getMessage()), e);
    }
  }

  /**
   * {@code target} as compared with {@code source} when the two databases' servers run different PostgreSQL major
   * releases: what differs only by how the releases write it is taken as {@code source} has it
   * ({@link io.gitversion.catalog.inspect.CrossRelease}); unchanged when the releases are the same.
   */
  public static SchemaModel alignReleases(String sourceUrl, String targetUrl, SchemaModel source, SchemaModel target) {
    PgUrl from = PgUrl.parse(sourceUrl);
    PgUrl to = PgUrl.parse(targetUrl);
    try (java.sql.Connection f = Database.connect(from); java.sql.Connection t = Database.connect(to)) {
      if (io.gitversion.catalog.inspect.CrossRelease.major(f) == io.gitversion.catalog.inspect.CrossRelease.major(t)) {
        return target;
      }
      return io.gitversion.catalog.inspect.CrossRelease.align(f, source, target);
    } catch (SQLException e) {
      throw new UserError("cannot compare across releases " + from + " and " + to + ": " + Database.firstLine(e.getMessage()), e);
    }
  }

  /** The hashes of one database's objects (and their canonical texts when {@code withTexts}), over two sessions. */
  public static SchemaHashes hashes(String url, Set<String> schemas, boolean withTexts) {
    return hashes(url, schemas, withTexts, 2);
  }

  /** The same over {@code sessions} sessions (one, when many databases are read at once). */
  public static SchemaHashes hashes(String url, Set<String> schemas, boolean withTexts, int sessions) {
    PgUrl pg = PgUrl.parse(url);
    try {
      return Inspector.hashes(pg, schemas, withTexts, sessions);
    } catch (SQLException e) {
      throw new UserError("cannot inspect " + pg + ": " + Database.firstLine(e.getMessage()), e);
    }
  }

  /**
   * The same hashes, kept in {@code cache} between runs and read again only when the database's catalogs changed
   * ({@link io.gitversion.catalog.inspect.Fingerprint}); {@code cache} null reads them in full.
   */
  public static SchemaHashes hashes(String url, Set<String> schemas, int sessions, HashCache cache) {
    if (cache == null) {
      return hashes(url, schemas, false, sessions);
    }
    PgUrl pg = PgUrl.parse(url);
    try {
      return Inspector.hashes(pg, schemas, sessions, cache);
    } catch (SQLException e) {
      throw new UserError("cannot inspect " + pg + ": " + Database.firstLine(e.getMessage()), e);
    }
  }

  /**
   * Where hash-only reads (compare) keep the hashes they read: {@code GITVERSION_CACHE} (or the system property
   * {@code gitversion.cache}), else
   * {@code $XDG_CACHE_HOME/gitversion}, else {@code ~/.cache/gitversion}; its folder {@code hashes}. {@code off}:
   * none (null), every database read in full. When it cannot be written, the command says so once on stderr and goes
   * on reading in full.
   */
  public static HashCache hashCache() {
    String configured = System.getProperty("gitversion.cache", System.getenv("GITVERSION_CACHE"));
    if ("off".equals(configured)) {
      return null;
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = configured != null && !configured.isBlank() ? Path.of(configured)
        : xdg != null && !xdg.isBlank() ? Path.of(xdg, "gitversion") : Path.of(System.getProperty("user.home"), ".cache", "gitversion");
    HashCache files = new HashCacheDirectory(base.resolve("hashes"));
    java.util.concurrent.atomic.AtomicBoolean warned = new java.util.concurrent.atomic.AtomicBoolean();
    return new HashCache() {
      @Override
      public java.util.List<io.gitversion.catalog.model.ObjectHash> get(String database, String fingerprint) {
        return files.get(database, fingerprint);
      }

      @Override
      public void put(String database, String fingerprint, java.util.List<io.gitversion.catalog.model.ObjectHash> hashes) {
        try {
          files.put(database, fingerprint, hashes);
        } catch (java.io.UncheckedIOException e) {
          if (!warned.getAndSet(true)) {
            System.err.println("gitversion: " + e.getMessage() + " (every run reads the databases in full; GITVERSION_CACHE names another folder)");
          }
        }
      }
    };
  }

  /**
   * A pool for reading many databases at once, one session each: as many at once as there are cores, and two more
   * for the time each waits on the wire (every session pays for its catalog functions and caches, and more at once
   * only share the same cores). Its threads are daemons; shut it down when done.
   */
  public static java.util.concurrent.ExecutorService readers(String name) {
    return java.util.concurrent.Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors() + 2, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** What an asynchronous read gave, its failure (a {@link UserError}, say) rethrown as it was. */
  public static <T> T join(CompletableFuture<T> read) {
    try {
      return read.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
