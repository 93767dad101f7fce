package io.gitversion.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The wire schemas of every released version, kept under {@code io/gitversion/schemas/released/VERSION/}: data that a
 * released version wrote is read with the schema that wrote it (single-object encoding names it by fingerprint), and
 * the build checks that the current schemas can read it.
 */
public final class Released {
  private static final String ROOT = "/io/gitversion/schemas/released/";
  /** Dependencies first, as the build imports them. */
  private static final List<String> RECORDS = List.of("Author", "DdlRecord", "ObjectVersion", "Change", "DdlEvent", "Commit", "SyncResult");
  private static final List<Schema> SCHEMAS = load();

  private Released() {}

  /** Every released writer schema, of every version. */
  public static List<Schema> schemas() {
    return SCHEMAS;
  }

  /** The released writer schemas of one record type. */
  public static List<Schema> of(String fullName) {
    return SCHEMAS.stream().filter(s -> s.getFullName().equals(fullName)).toList();
  }

  private static List<Schema> load() {
    List<Schema> schemas = new ArrayList<>();
    for (String version : text(ROOT + "versions.txt").strip().split("\\s+")) {
      Schema.Parser parser = new Schema.Parser();
      for (String record : RECORDS) {
        String path = ROOT + version + "/" + record + ".avsc";
        if (Released.class.getResource(path) != null) {
          schemas.add(parser.parse(text(path)));
        }
      }
    }
    return List.copyOf(schemas);
  }

  private static String text(String path) {
    try (InputStream in = Released.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
