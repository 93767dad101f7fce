package io.gitversion.contract;

import io.gitversion.schemas.Change;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.Hazard;
import io.gitversion.schemas.ObjectVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A commit's migration, whichever version wrote it: since 0.3 the commit carries one planned migration
 * ({@code forwardSql}, {@code risks}); earlier versions planned each change on its own and the commit's migration is
 * their SQL in change order. Since 0.5 it names the object each statement was written for ({@code forwardObjects}).
 */
public final class Commits {
  private Commits() {}

  /** One statement of a commit's migration and the object it was written for (its id; null: the whole migration). */
  public record Statement(String sql, String object) {}

  /** The statements that move a database from the commit's parent state to its state, in order. */
  public static List<String> forwardSql(Commit commit) {
    return steps(commit).stream().map(Statement::sql).toList();
  }

  /**
   * The statements of the commit's migration with the object each was written for. A commit written before 0.5
   * names them through its changes: a statement that is one change's is that change's object's, else null.
   */
  public static List<Statement> steps(Commit commit) {
    List<Statement> steps = new ArrayList<>();
    List<String> sql = commit.getForwardSql();
    List<String> objects = commit.getForwardObjects();
    if (!sql.isEmpty() && objects.size() == sql.size()) {
      for (int i = 0; i < sql.size(); i++) {
        steps.add(new Statement(sql.get(i), objects.get(i)));
      }
      return steps;
    }
    if (!sql.isEmpty()) {
      java.util.Map<String, String> owner = new java.util.HashMap<>();
      for (Change change : commit.getChanges()) {
        change.getForwardSql().forEach(s -> owner.putIfAbsent(s, objectOf(change)));
      }
      sql.forEach(s -> steps.add(new Statement(s, owner.get(s))));
      return steps;
    }
    for (Change change : commit.getChanges()) {
      String object = objectOf(change);
      change.getForwardSql().forEach(s -> steps.add(new Statement(s, object)));
    }
    return steps;
  }

  /**
   * The object a change is about, as it is after the change (or before a drop): {@code kind schema.name}, which is its
   * id ({@code kind schema.identity}) for every kind but functions and what lives on a table; its kind and schema,
   * which say whether a subscription takes it, are always right.
   */
  public static String objectOf(Change change) {
    ObjectVersion state = change.getAfter() != null && !change.getAfter().getDropped() ? change.getAfter() : change.getBefore();
    return state == null ? null : change.getKind() + " " + state.getSchema$() + "." + state.getName();
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
