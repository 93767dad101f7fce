package io.gitversion.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads SQL that we install in databases; it lives in {@code .sql} resources, never in Java strings. */
public final class SqlResource {
  private SqlResource() {}

  /** The text of a classpath resource, e.g. {@code /io/gitversion/collector/sql/V1__capture.sql}. */
  public static String load(String path) {
    try (InputStream in = SqlResource.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing SQL resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
