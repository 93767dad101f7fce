package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.collector.CollectorConfig;
import io.gitversion.contract.Topics;
import io.gitversion.processor.ProcessorConfig;
import io.gitversion.syncer.SyncerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's reference tables stay true: every config key and every topic the code declares is documented. */
class ReadmeTest {
  static final Path ROOT = Path.of(System.getProperty("gitversion.root", ".."));

  @Test
  void documentsEveryConfigKeyCommandAndTopic() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Stream.of(CollectorConfig.CONFIG, ProcessorConfig.CONFIG, SyncerConfig.CONFIG)
        .flatMap(def -> def.names().stream())
        .forEach(key -> assertTrue(readme.contains("| `" + key + "` |"), "README documents " + key));
    Main.commandLine().getSubcommands().keySet().stream().filter(c -> !c.equals("help"))
        .forEach(command -> assertTrue(readme.contains("`gitversion " + command), "README documents gitversion " + command));
    Topics.names().forEach(topic -> assertTrue(readme.contains("`" + topic + "`"), "README documents " + topic));
  }
}
