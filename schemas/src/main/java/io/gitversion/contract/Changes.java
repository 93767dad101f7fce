package io.gitversion.contract;

import io.gitversion.schemas.Change;
import io.gitversion.schemas.Hazard;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A change's hazards and problems, whichever version wrote it: 0.1.0 wrote both as text in {@code hazards}
 * (problems starting with {@code unsupported}); later versions write {@code risks} and {@code problems}.
 */
public final class Changes {
  private static final String LEGACY_PROBLEM = "unsupported";

  private Changes() {}

  /** The hazards of the change's forward SQL. */
  public static Set<Hazard> risks(Change change) {
    Set<Hazard> risks = new LinkedHashSet<>(change.getRisks());
    for (String legacy : change.getHazards()) {
      if (!legacy.startsWith(LEGACY_PROBLEM)) {
        risks.add(Hazard.valueOf(legacy.toUpperCase(Locale.ROOT)));
      }
    }
    return risks;
  }

  /** Why the forward SQL does not do what the source did; empty when it does. */
  public static List<String> problems(Change change) {
    List<String> problems = new ArrayList<>(change.getProblems());
    change.getHazards().stream().filter(h -> h.startsWith(LEGACY_PROBLEM)).forEach(problems::add);
    return problems;
  }
}
