package io.gitversion.observability;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** Where a stage run on its own serves its metrics and health ({@code gitversion collector}, {@code gitversion syncer}). */
public final class OpsSettings {
  public static final String OPS_HOST_CONFIG = "ops.host";
  private static final String OPS_HOST_DOC = "Address /metrics, /health/live and /health/ready listen on.";
  public static final String OPS_PORT_CONFIG = "ops.port";
  private static final String OPS_PORT_DOC = "Port of /metrics, /health/live and /health/ready; 0 picks a free one (printed at start); -1 turns them off.";

  private OpsSettings() {}

  public static ConfigDef define(ConfigDef def) {
    return def.define(OPS_HOST_CONFIG, ConfigDef.Type.STRING, "127.0.0.1", ConfigDef.Importance.LOW, OPS_HOST_DOC)
        .define(OPS_PORT_CONFIG, ConfigDef.Type.INT, 0, ConfigDef.Range.atLeast(-1), ConfigDef.Importance.MEDIUM, OPS_PORT_DOC);
  }

  /** The endpoints as the configuration says; null when turned off. */
  public static OpsServer serve(Observability observability, AbstractConfig config) {
    int port = config.getInt(OPS_PORT_CONFIG);
    return port < 0 ? null : OpsServer.start(observability, config.getString(OPS_HOST_CONFIG), port);
  }
}
