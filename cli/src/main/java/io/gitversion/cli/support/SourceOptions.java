package io.gitversion.cli.support;

import io.gitversion.catalog.PgUrl;
import io.gitversion.collector.CollectorConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The source database and its replication slot, as the commands that install and remove capture take them. */
public final class SourceOptions {
  @Parameters(paramLabel = "SOURCE_URL", description = "postgresql://user[:password]@host:port/database")
  String url;

  @Option(names = "--slot", description = "Replication slot name. Default: gitversion_<database>.")
  String slot;

  public PgUrl source() {
    return PgUrl.parse(url);
  }

  public String slotName() {
    return slot == null ? CollectorConfig.defaultSlotName(source().database()) : slot;
  }
}
