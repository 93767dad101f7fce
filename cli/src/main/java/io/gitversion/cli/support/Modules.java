package io.gitversion.cli.support;

import io.gitversion.catalog.UserError;

/** The commands of an optional module run only while it is enabled. */
public final class Modules {
  private Modules() {}

  /** Refuses, in one line (exit 2), a command of a module that is not enabled. */
  public static void require(ApiClient client, String module, String command) {
    for (com.fasterxml.jackson.databind.JsonNode m : client.get("api/modules")) {
      if (m.path("name").asText().equals(module) && m.path("enabled").asBoolean()) {
        return;
      }
    }
    throw new UserError("'" + command + "' is part of the " + module + " module, which is not enabled: gitversion modules enable " + module);
  }
}
