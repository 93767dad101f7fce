package io.gitversion.observability;

/**
 * The pipeline's own meters, named once (Micrometer names; Prometheus shows dots as underscores, a counter with
 * {@code _total}, a timer's histogram as {@code _seconds_bucket}, {@code _count}, {@code _sum}). The Grafana dashboard
 * and the alert rules in {@code deploy/} use these names; a test checks them against a live endpoint.
 */
public final class MetricNames {
  /** Collector: WAL the source keeps for the slot (bytes), tag {@code source}. */
  public static final String CAPTURE_LAG_BYTES = "gitversion.capture.lag.bytes";
  /** Collector: seconds from a transaction's commit in the source to its acknowledgement by Kafka, the last one; tag {@code source}. */
  public static final String CAPTURE_LAG_SECONDS = "gitversion.capture.lag.seconds";
  /** Collector: 1 when capture's event triggers are in place and enabled, else 0; tag {@code source}. */
  public static final String CAPTURE_INTACT = "gitversion.capture.intact";
  /** Collector: transactions published to gitversion.ddl-events; tag {@code source}. */
  public static final String TRANSACTIONS_PUBLISHED = "gitversion.transactions.published";
  /** Processor: commits made (one per source transaction); tag {@code source}. */
  public static final String COMMITS_PROCESSED = "gitversion.commits.processed";
  /** Syncer: from a commit in the source to its verified apply on a remote (a histogram); tag {@code remote}. */
  public static final String COMMIT_APPLIED = "gitversion.commit.applied";
  /** Syncer: commits not applied because the remote was changed by hand; tag {@code remote}. */
  public static final String CONFLICTS = "gitversion.conflicts";
  /** Syncer: commits not applied because the remote did not become what the commit made; tag {@code remote}. */
  public static final String DIVERGENCES = "gitversion.divergences";
  /** Syncer: a remote's state: 1 for the state it is in, 0 for the others; tags {@code remote}, {@code state}. */
  public static final String REMOTE_STATE = "gitversion.remote.state";
  /** Any stage: records sent to gitversion.dead-letter; tag {@code stage}. */
  public static final String DEAD_LETTERS = "gitversion.dead.letters";

  private MetricNames() {}
}
