package io.gitversion.cli.support;

import io.gitversion.catalog.UserError;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Turns a stage's {@link ConfigDef} into command-line options, and resolves its values from, lowest first: the
 * defaults, a properties file ({@code --config}), environment variables ({@code GITVERSION_} + the key in upper case
 * with dots as underscores) and the flags ({@code --key=value}). The same key names everywhere.
 */
public final class StageOptions {
  public static final String ENV_PREFIX = "GITVERSION_";
  private static final String CLIENT_PREFIX = "kafka.client.";

  private StageOptions() {}

  /** Adds one {@code --key} option per config key, and {@code --config FILE}. */
  public static void addTo(CommandSpec spec, ConfigDef def) {
    spec.addOption(OptionSpec.builder("--config").paramLabel("FILE").type(Path.class)
        .description("Properties file with any of the keys below (flags and environment win over it).").build());
    for (ConfigDef.ConfigKey key : def.configKeys().values()) {
      String defaultText = key.hasDefault() && key.defaultValue != null && !String.valueOf(key.defaultValue).isEmpty()
          ? " Default: " + (key.type == ConfigDef.Type.PASSWORD ? "(hidden)" : String.valueOf(key.defaultValue)) + "." : "";
      spec.addOption(OptionSpec.builder("--" + key.name).paramLabel(key.type == ConfigDef.Type.PASSWORD ? "VALUE" : key.type.name())
          .type(String.class)
          .description(key.documentation + defaultText + " Env: " + envName(key.name) + ".")
          .build());
    }
  }

  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The resolved values for a stage's config class. */
  public static Map<String, Object> resolve(CommandSpec spec, ConfigDef def, Map<String, String> env) {
    Map<String, Object> values = new HashMap<>();
    OptionSpec configFile = spec.findOption("--config");
    Path file = configFile == null ? null : configFile.getValue();
    if (file != null) {
      values.putAll(readFile(file));
    }
    for (String key : def.names()) {
      String fromEnv = env.get(envName(key));
      if (fromEnv != null) {
        values.put(key, fromEnv);
      }
    }
    env.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX + "KAFKA_CLIENT_")) {
        values.put(CLIENT_PREFIX + name.substring((ENV_PREFIX + "KAFKA_CLIENT_").length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    for (String key : def.names()) {
      OptionSpec option = spec.findOption("--" + key);
      if (option != null && option.getValue() != null) {
        values.put(key, option.getValue());
      }
    }
    for (ConfigDef.ConfigKey key : def.configKeys().values()) {
      if (!key.hasDefault() && !values.containsKey(key.name)) {
        throw new UserError("missing " + key.name + ": pass --" + key.name + "=..., set " + envName(key.name)
            + ", or put it in a --config file");
      }
    }
    return values;
  }

  private static Map<String, String> readFile(Path file) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      props.load(reader);
    } catch (IOException e) {
      throw new UserError("cannot read config file " + file + ": " + e.getMessage());
    }
    Map<String, String> values = new HashMap<>();
    props.stringPropertyNames().forEach(name -> values.put(name, props.getProperty(name).strip()));
    return values;
  }
}
