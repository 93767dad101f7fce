package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gitversion.catalog.PgUrl;
import io.gitversion.cli.support.StageOptions;
import io.gitversion.collector.CollectorConfig;
import io.gitversion.processor.ProcessorConfig;
import io.gitversion.syncer.SyncerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/** Docker is not available here, so the compose file is checked against the real command line instead. */
class DockerComposeTest {
  static final Path ROOT = Path.of(System.getProperty("gitversion.root", ".."));
  static final Map<String, ConfigDef> STAGES = Map.of(
      "collector", CollectorConfig.CONFIG, "processor", ProcessorConfig.CONFIG, "syncer", SyncerConfig.CONFIG);

  @Test
  void everyGitversionServiceRunsARealCommandWithValidSettings() throws Exception {
    JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
    JsonNode services = compose.get("services");
    Set<String> commandsUsed = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> service = it.next();
      for (JsonNode dependency : iterable(service.getValue().path("depends_on").fieldNames())) {
        assertTrue(services.has(dependency.asText()), service.getKey() + " depends on a service that exists: " + dependency);
      }
      if (!service.getValue().has("build")) {
        continue;
      }
      assertTrue(Files.isRegularFile(ROOT.resolve(service.getValue().get("build").asText()).resolve("Dockerfile")));
      List<String> args = new ArrayList<>();
      service.getValue().get("command").forEach(a -> args.add(a.asText()));
      Map<String, String> env = new HashMap<>();
      service.getValue().path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));

      CommandLine cli = Main.commandLine();
      ParseResult parsed = assertDoesNotThrow(() -> cli.parseArgs(args.toArray(String[]::new)), service.getKey() + ": " + args);
      assertTrue(parsed.hasSubcommand(), service.getKey() + " names a gitversion command");
      String command = parsed.subcommand().commandSpec().name();
      commandsUsed.add(command);
      if (STAGES.containsKey(command)) {
        ConfigDef def = STAGES.get(command);
        Map<String, Object> values = StageOptions.resolve(parsed.subcommand().commandSpec(), def, env);
        switch (command) {
          case "collector" -> assertEquals("app", new CollectorConfig(values).sourceUrl().database());
          case "processor" -> {
            ProcessorConfig processor = new ProcessorConfig(values);
            assertEquals(service.getKey(), processor.getString(ProcessorConfig.DASHBOARD_ADVERTISED_HOST_CONFIG),
                "other instances reach it by its service name");
            assertTrue(service.getValue().path("ports").get(0).asText().endsWith(":" + processor.getInt(ProcessorConfig.DASHBOARD_PORT_CONFIG)));
          }
          case "syncer" -> assertEquals(1, new SyncerConfig(values).remotes().size());
          default -> throw new AssertionError(command);
        }
      }
      if (command.equals("install")) {
        assertEquals("source", PgUrl.parse(parsed.subcommand().matchedPositionals().get(0).getValue()).host());
      }
    }
    assertEquals(Set.of("install", "collector", "processor", "syncer"), commandsUsed, "every stage is deployed");
  }

  private static Iterable<JsonNode> iterable(Iterator<String> names) {
    List<JsonNode> nodes = new ArrayList<>();
    names.forEachRemaining(n -> nodes.add(new com.fasterxml.jackson.databind.node.TextNode(n)));
    return nodes;
  }
}
