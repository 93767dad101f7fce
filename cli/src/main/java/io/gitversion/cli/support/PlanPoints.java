package io.gitversion.cli.support;

import io.gitversion.catalog.UserError;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Which state of the source a plan to a remote goes to: {@code --at}, or {@code --from-tag A --to-tag B}; and its schemas. */
public final class PlanPoints {
  @Option(names = "--at", paramLabel = "TAG|COMMIT|TIME", description = "The source's state at this point (default: now).")
  String at;

  @Option(names = "--from-tag", paramLabel = "A", description = "The point the remote is at (a tag, commit or time), with --to-tag.")
  String fromTag;

  @Option(names = "--to-tag", paramLabel = "B", description = "The point to bring it to, with --from-tag.")
  String toTag;

  @Option(names = "--schema", paramLabel = "SCHEMA", description = "Only these schemas (repeatable). Default: all the remote takes.")
  List<String> schemas = List.of();

  public String at() {
    return at;
  }

  public boolean betweenTags() {
    if ((fromTag == null) != (toTag == null) || fromTag != null && at != null) {
      throw new UserError("give --at, or --from-tag and --to-tag together");
    }
    return fromTag != null;
  }

  public boolean isDefault() {
    return at == null && fromTag == null && toTag == null && schemas.isEmpty();
  }

  public Set<String> schemas() {
    return new HashSet<>(schemas);
  }

  /** The plan to the remote these points name. */
  public RemotePlans.RemotePlan toRemote(RemotePlans plans) {
    return betweenTags() ? plans.betweenPoints(fromTag, toTag) : plans.toRemote(at);
  }
}
