package io.gitversion.catalog.inspect;

import io.gitversion.catalog.model.ObjectHash;
import io.gitversion.catalog.model.Sha256;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link HashCache} in a directory: a file a database (named by a hash of its address), written whole to a
 * temporary file and moved in place, so that commands running at once never read half a file. A file that cannot be
 * read (of another format, cut short) counts as none. The directory is made readable by its owner only: the files
 * hold the names of the databases' objects.
 */
public final class HashCacheDirectory implements HashCache {
  private static final String FORMAT = "gitversion hashes 1";
  private final Path directory;

  public HashCacheDirectory(Path directory) {
    this.directory = directory;
  }

  @Override
  public List<ObjectHash> get(String database, String fingerprint) {
    Path file = fileOf(database);
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (!FORMAT.equals(read(in)) || !database.equals(read(in)) || !fingerprint.equals(read(in))) {
        return null;
      }
      int count = in.readInt();
      List<ObjectHash> hashes = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        hashes.add(ObjectHash.of(read(in), read(in), read(in), read(in), read(in), null));
      }
      return hashes;
    } catch (IOException | RuntimeException e) { // none kept, cut short, or not ours: read the database again, and keep it anew
      return null;
    }
  }

  @Override
  public void put(String database, String fingerprint, List<ObjectHash> hashes) {
    try {
      if (!Files.isDirectory(directory)) {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
      }
      Path temporary = Files.createTempFile(directory, "hashes", ".tmp");
      try {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16))) {
          write(out, FORMAT);
          write(out, database);
          write(out, fingerprint);
          out.writeInt(hashes.size());
          for (ObjectHash o : hashes) {
            write(out, o.kind().label());
            write(out, o.schema());
            write(out, o.name());
            write(out, o.identity());
            write(out, o.hash());
          }
        }
        try {
          Files.move(temporary, fileOf(database), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temporary, fileOf(database), StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep hashes in " + directory + ": " + e.getMessage(), e);
    }
  }

  private Path fileOf(String database) {
    return directory.resolve(Sha256.of(database).substring(0, 32) + ".hashes");
  }

  /** A string or null: its length in bytes (-1 for null), then its UTF-8 bytes (no length limit, unlike writeUTF). */
  private static void write(DataOutputStream out, String value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String read(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < -1) {
      throw new IOException("not a hashes file");
    }
    if (length == -1) {
      return null;
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new IOException("a hashes file cut short");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
