package io.gitversion.syncer;

import io.gitversion.contract.KafkaSettings;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Configuration of the syncer stage; every key declared once with its default and documentation. */
public final class SyncerConfig extends AbstractConfig {
  public static final String REMOTES_CONFIG = "syncer.remotes";
  private static final String REMOTES_DOC = "Subscribed remotes: name=postgresql://...[,name=postgresql://...]. Each gets every commit.";

  public static final String STRATEGY_CONFIG = "syncer.strategy";
  private static final String STRATEGY_DOC = "When a commit is not applied on a remote (a conflict, a divergence, a failed statement): "
      + "'fail' stops that remote at the commit (nothing after it is applied) until gitversion remote resume|skip|rebase; 'skip' "
      + "records it and goes on; 'prefer-source' brings the remote to the source's state (a verified rebase) and goes on; "
      + "'prefer-higher-version' keeps the remote's objects where its own capture numbered them higher than the source's, else "
      + "prefers the source; 'manual' "
      + "stops it as 'fail' does, for gitversion conflicts resolve. Each decision is recorded on the sync results.";
  /** The strategies there are. */
  public static final java.util.List<String> STRATEGIES = java.util.List.of("fail", "skip", "prefer-source", "prefer-higher-version", "manual");

  public static final String RETRY_BACKOFF_MS_CONFIG = "syncer.retry.backoff.ms";
  private static final String RETRY_BACKOFF_MS_DOC = "Wait between attempts while a remote is unreachable (it is retried until it answers).";

  public static final String SOURCES_CONFIG = "syncer.sources";
  private static final String SOURCES_DOC = "Source databases (by source name) whose commits the remotes follow; empty for all.";

  public static final String JOIN_CONFIG = "syncer.join";
  private static final String JOIN_DOC = "How a remote with no position yet (new, or its group reset) starts when sources have history: "
      + "'rebase' brings it to each source's current state with one planned migration that keeps what only the remote has, then "
      + "follows from there; 'replay' applies every commit from the first.";

  public static final String GROUP_PREFIX_CONFIG = "syncer.group.prefix";
  private static final String GROUP_PREFIX_DOC = "Consumer group prefix; each remote has its own group, prefix + remote name.";

  public static final ConfigDef CONFIG = io.gitversion.observability.OpsSettings.define(KafkaSettings.define(new ConfigDef()))
      .define(REMOTES_CONFIG, Type.PASSWORD, "", Importance.HIGH, REMOTES_DOC)
      .define(STRATEGY_CONFIG, Type.STRING, "fail", ConfigDef.ValidString.in(STRATEGIES.toArray(new String[0])), Importance.MEDIUM, STRATEGY_DOC)
      .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, 1000L, ConfigDef.Range.atLeast(10), Importance.LOW, RETRY_BACKOFF_MS_DOC)
      .define(SOURCES_CONFIG, Type.LIST, "", Importance.MEDIUM, SOURCES_DOC)
      .define(JOIN_CONFIG, Type.STRING, "rebase", ConfigDef.ValidString.in("rebase", "replay"), Importance.MEDIUM, JOIN_DOC)
      .define(GROUP_PREFIX_CONFIG, Type.STRING, "gitversion-syncer.", Importance.LOW, GROUP_PREFIX_DOC);

  public SyncerConfig(Map<?, ?> originals) {
    super(CONFIG, originals, false);
  }

  public List<Remote> remotes() {
    return Remote.parseList(getPassword(REMOTES_CONFIG).value());
  }

  /** The followed sources; empty means all. */
  public java.util.Set<String> sources() {
    return java.util.Set.copyOf(getList(SOURCES_CONFIG));
  }

  /** Whether a remote without a position joins by rebase (else it replays every commit). */
  public boolean joinByRebase() {
    return "rebase".equals(getString(JOIN_CONFIG));
  }

  public String strategy() {
    return getString(STRATEGY_CONFIG);
  }
}
