package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.embedded.testing.PostgresServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code gitversion} launcher as the README runs it: a one-shot command's first successful run leaves a
 * class-data archive that later runs start from, a stale archive is made again, a failed run leaves none, and stdout
 * carries only what the command prints in every case.
 */
class LauncherIT {
  @RegisterExtension static final PostgresServer pg = PostgresServer.named("launcher");
  static final Path JAR = Path.of(System.getProperty("gitversion.jar", "target/gitversion.jar")).toAbsolutePath();
  static final Path ROOT = GitversionProcess.launcher().getParent();
  static final Path ARCHIVES = JAR.getParent().resolve("cds");

  static void deleteArchives() throws Exception {
    if (Files.isDirectory(ARCHIVES)) {
      try (Stream<Path> files = Files.list(ARCHIVES)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
    }
  }

  @Test
  void oneShotCommandsStartFromAnArchiveOfTheirClasses() throws Exception {
    // the launcher builds first when a source is newer than the jar. This build made the jar from the sources as they
    // are, but Maven leaves a jar whose classes did not change as it was (older than a resource edited since): mark it
    // built now, as the launcher does after its own build, so that the launcher runs it rather than building again
    assertTrue(JAR.toFile().setLastModified(System.currentTimeMillis()), "the jar can be touched");
    String url = pg.database("launched").exec("CREATE TABLE t (id int PRIMARY KEY, name text)").url();
    deleteArchives();
    Path archive = ARCHIVES.resolve("hash.jsa");

    GitversionProcess.Result first = GitversionProcess.launch("hash", url);
    assertEquals(0, first.exitCode(), first.stderrLines().toString());
    assertTrue(first.stdout().strip().matches("[0-9a-f]{64}"), "the state hash: " + first.stdout());
    assertTrue(Files.size(archive) > 1_000_000, "the first run made the archive");

    GitversionProcess.Result second = GitversionProcess.launch("hash", url);
    assertEquals(0, second.exitCode(), second.stderrLines().toString());
    assertEquals(first.stdout(), second.stdout(), "the same output from the archive");
    assertEquals(List.of(), second.stderrLines(), "no JVM warnings, no build messages");

    // a jar newer than the archive (a rebuild): the archive is made again, the output stays the same
    FileTime stale = FileTime.fromMillis(JAR.toFile().lastModified() - 3_600_000);
    Files.setLastModifiedTime(archive, stale);
    GitversionProcess.Result rebuilt = GitversionProcess.launch("hash", url);
    assertEquals(first.stdout(), rebuilt.stdout());
    assertNotEquals(stale, Files.getLastModifiedTime(archive), "the stale archive was made again");

    // a failed first run leaves no archive and no temporary file, and its error is the command's own
    GitversionProcess.Result failed = GitversionProcess.launch("inspect", "postgresql://gitversion@127.0.0.1:1/nowhere");
    assertNotEquals(0, failed.exitCode());
    assertEquals("", failed.stdout());
    assertTrue(failed.stderrLines().size() == 1 && failed.stderrLines().get(0).startsWith("gitversion: cannot connect"),
        failed.stderrLines().toString());
    File[] left = ARCHIVES.toFile().listFiles((dir, name) -> name.startsWith("inspect"));
    assertFalse(left == null || left.length > 0, "no archive of a failed run");
  }
}
