package io.gitversion.contract;

import io.gitversion.schemas.Change;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.Hazard;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A commit's migration, whichever version wrote it: since 0.3 the commit carries one planned migration
 * ({@code forwardSql}, {@code risks}); earlier versions planned each change on its own and the commit's migration is
 * their SQL in change order.
 */
public final class Commits {
  private Commits() {}

  /** The statements that move a database from the commit's parent state to its state, in order. */
  public static List<String> forwardSql(Commit commit) {
    if (!commit.getForwardSql().isEmpty()) {
      return commit.getForwardSql();
    }
    List<String> statements = new ArrayList<>();
    commit.getChanges().forEach(change -> statements.addAll(change.getForwardSql()));
    return statements;
  }

  /** The hazards of the commit's forward SQL. */
  public static Set<Hazard> risks(Commit commit) {
    Set<Hazard> risks = new LinkedHashSet<>(commit.getRisks());
    for (Change change : commit.getChanges()) {
      risks.addAll(Changes.risks(change));
    }
    return risks;
  }
}
