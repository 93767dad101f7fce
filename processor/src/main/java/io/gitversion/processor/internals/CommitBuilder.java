package io.gitversion.processor.internals;

import io.gitversion.catalog.ddl.Ownership;
import io.gitversion.catalog.ddl.Plan;
import io.gitversion.catalog.ddl.Step;
import io.gitversion.catalog.ddl.TablePlanner;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.Relation;
import io.gitversion.catalog.model.Sha256;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.DdlEvent;
import io.gitversion.schemas.DdlRecord;
import io.gitversion.schemas.ObjectVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns one source transaction into one commit: each captured record becomes a change of one object, with its next
 * version and semantic version, and the commit carries one migration that moves a database from the state before the
 * transaction to the state after it ({@link CommitPlanner}). Pure: the caller supplies the previous state of objects
 * (and the objects around them) and stores what comes back.
 */
public final class CommitBuilder {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CommitBuilder.class);
  /** What one transaction produced: the commit, and the new state of every object it changed, in order. */
  public record Result(Commit commit, List<ObjectVersion> versions) {}

  /** One record's change, before the commit's migration is planned. */
  private record Draft(String objectKey, String kind, String action, String statement, ObjectVersion before,
                       ObjectVersion.Builder after, boolean planned, List<String> problems) {}

  static final String TABLE = "table";

  private CommitBuilder() {}

  /** Object key within a source database: kind and OID, which survive renames. */
  public static String objectKey(DdlRecord record) {
    return record.getOid() > 0 ? record.getKind() + ":" + record.getOid() : record.getKind() + ":" + record.getIdentity();
  }

  /**
   * What the processor holds of a source database before a commit: objects by key, the key of the live object with
   * an id, and the objects around a commit's objects.
   */
  interface State {
    ObjectVersion byKey(String key);

    /** The key of the live object with this id ({@code kind schema.identity}), or null. */
    String keyOf(String id);

    /** The objects around the commit's objects, unchanged by it ({@link Neighbourhood#around}). */
    Collection<DbObject> around(Collection<CommitPlanner.Touched> touched);
  }

  /** The commit of one source transaction, planned without the objects around its own (see the other form). */
  public static Optional<Result> build(DdlEvent event, Function<String, ObjectVersion> previous, String parent) {
    return build(event, new State() {
      @Override
      public ObjectVersion byKey(String key) {
        return previous.apply(key);
      }

      @Override
      public String keyOf(String id) {
        return null;
      }

      @Override
      public Collection<DbObject> around(Collection<CommitPlanner.Touched> touched) {
        return List.of();
      }
    }, parent);
  }

  /**
   * The commit of one source transaction, and the new state of each object it changed.
   *
   * @param state what the processor holds of the database
   * @param parent the id of the database's last commit, or null for the first
   * @return empty when the transaction changed nothing that is tracked
   */
  static Optional<Result> build(DdlEvent event, State state, String parent) {
    Map<String, ObjectVersion> overlay = new HashMap<>();
    Function<String, ObjectVersion> previous = state::byKey;
    Function<String, ObjectVersion> current = key -> overlay.containsKey(key) ? overlay.get(key) : previous.apply(key);
    List<Draft> drafts = new ArrayList<>();
    for (DdlRecord record : event.getRecords()) {
      replaced(event, record, current, state).ifPresent(d -> {
        drafts.add(d);
        overlay.put(d.objectKey(), d.after().build());
      });
      draft(event, record, current).ifPresent(d -> {
        drafts.add(d);
        overlay.put(d.objectKey(), d.after().build());
      });
    }
    if (drafts.isEmpty()) {
      return Optional.empty();
    }
    Plan plan = plan(drafts, previous, state::around, Ownership.changesBy(event.getAuthor().getRole()));
    String commitId = commitId(event, parent, drafts);
    List<Change> changes = new ArrayList<>();
    Map<String, ObjectVersion> versions = new LinkedHashMap<>();
    Set<String> statements = new LinkedHashSet<>();
    for (Draft d : drafts) {
      ObjectVersion after = d.after().setCommitId(commitId).build();
      versions.put(d.objectKey(), after);
      if (d.statement() != null) {
        statements.add(d.statement());
      }
      List<Step> own = d.planned() && !"baseline".equals(d.action()) ? stepsOf(plan, d) : List.of();
      changes.add(Change.newBuilder()
          .setCommitId(commitId)
          .setDatabase(event.getDatabase())
          .setPosition(changes.size())
          .setObjectKey(d.objectKey())
          .setKind(d.kind())
          .setAction(d.action())
          .setStatement(d.statement())
          .setBefore(d.before())
          .setAfter(after)
          .setForwardSql(own.stream().map(Step::sql).toList())
          .setRisks(risks(new Plan(own)))
          .setProblems(d.problems())
          .build());
    }
    Commit commit = Commit.newBuilder()
        .setId(commitId)
        .setParent(parent)
        .setDatabase(event.getDatabase())
        .setEventId(event.getEventId())
        .setTxId(event.getTxId())
        .setAuthor(event.getAuthor())
        .setCommittedAt(event.getCapturedAt())
        .setStatements(new ArrayList<>(statements))
        .setChanges(changes)
        .setForwardSql(plan.statements())
        .setForwardObjects(plan.steps().stream().map(Step::object).toList())
        .setOrigin(event.getRecords().stream().map(DdlRecord::getOrigin).filter(java.util.Objects::nonNull).findFirst().orElse(null))
        .setRisks(risks(plan))
        .build();
    return Optional.of(new Result(commit, new ArrayList<>(versions.values())));
  }

  /**
   * The record leaves the object's owner as it was. Owners are outside the hash: capture records an object whose hash
   * stayed only when its owner changed (ALTER ... OWNER TO), and the commit states the new owner; so an owner not
   * known here before (an object versioned before owners were recorded) that the record names is a change too.
   */
  private static boolean sameOwner(ObjectVersion before, DdlRecord record) {
    if (before.getDefinition() == null || record.getDefinition() == null) {
      return true;
    }
    return java.util.Objects.equals(Snapshots.object(before.getDefinition()).owner(), Snapshots.object(record.getDefinition()).owner());
  }

  /**
   * The commit's migration: each object once, from its state before the commit to its last state in it. Objects
   * recorded without a definition (by capture older than 0.2) are outside the catalog's model: a table's columns are
   * planned by attribute number, first; other kinds are not migrated (their changes say so). A commit the planner
   * cannot plan is recorded with the reason on each of its changes, never dropped.
   */
  private static Plan plan(List<Draft> drafts, Function<String, ObjectVersion> previous,
                           Function<Collection<CommitPlanner.Touched>, Collection<DbObject>> neighbours, Ownership owners) {
    Map<String, ObjectVersion> first = new LinkedHashMap<>();
    Map<String, ObjectVersion> last = new LinkedHashMap<>();
    for (Draft d : drafts) {
      if (d.planned() && !"baseline".equals(d.action()) && !"capture-error".equals(d.action())) {
        first.putIfAbsent(d.objectKey(), previous.apply(d.objectKey()));
        last.put(d.objectKey(), d.after().build());
      }
    }
    List<Step> legacy = new ArrayList<>();
    List<CommitPlanner.Touched> touched = new ArrayList<>();
    for (Map.Entry<String, ObjectVersion> e : last.entrySet()) {
      ObjectVersion before = first.get(e.getKey());
      ObjectVersion after = e.getValue();
      boolean existed = before != null && !before.getDropped();
      if ((existed && before.getDefinition() == null) || (!after.getDropped() && after.getDefinition() == null)) {
        if (TABLE.equals(after.getKind())) {
          legacy.addAll(TablePlanner.plan(existed ? relation(before) : null, after.getDropped() ? null : relation(after)).steps()
              .stream().map(s -> s.on(legacyId(after))).toList());
        }
        continue;
      }
      DbObject was = existed ? Snapshots.object(before.getDefinition()) : null;
      DbObject now = after.getDropped() ? null : Snapshots.object(after.getDefinition());
      if (was != null || now != null) {
        touched.add(new CommitPlanner.Touched(was, now));
      }
    }
    try {
      List<Step> steps = new ArrayList<>(legacy);
      if (!touched.isEmpty()) {
        List<String> statements = drafts.stream().map(Draft::statement).filter(java.util.Objects::nonNull).distinct().toList();
        steps.addAll(UsingClauses.apply(CommitPlanner.plan(touched, neighbours, owners).steps(), statements));
      }
      return new Plan(steps);
    } catch (RuntimeException e) {
      log.warn("cannot plan a commit of {} objects", touched.size(), e);
      String problem = "cannot plan this commit: " + e.getMessage();
      for (int i = 0; i < drafts.size(); i++) {
        Draft d = drafts.get(i);
        if (d.planned()) {
          List<String> problems = new ArrayList<>(d.problems());
          problems.add(problem);
          drafts.set(i, new Draft(d.objectKey(), d.kind(), d.action(), d.statement(), d.before(), d.after(), true, problems));
        }
      }
      return new Plan(List.of());
    }
  }

  /** The steps of the commit's migration written for one change's object (by its id before or after). */
  private static List<Step> stepsOf(Plan plan, Draft d) {
    Set<String> ids = new HashSet<>();
    for (ObjectVersion state : new ObjectVersion[] {d.before(), d.after().build()}) {
      if (state != null && state.getDefinition() != null) {
        ids.add(Snapshots.object(state.getDefinition()).id());
      } else if (state != null) {
        ids.add(legacyId(state));
      }
    }
    return plan.steps().stream().filter(s -> s.object() != null && ids.contains(s.object())).toList();
  }

  /** The id of an object recorded without a definition (by capture older than 0.2). */
  private static String legacyId(ObjectVersion state) {
    return io.gitversion.catalog.model.ObjectId.key(state.getKind(), state.getSchema$(), state.getName());
  }

  /**
   * The end of the object a record's new object takes the place of: PostgreSQL re-creates some objects under a new
   * OID with the same name (ALTER COLUMN TYPE rebuilds the indexes and keys on the column) without reporting the old
   * ones dropped. The old object's key ends in this commit (dropped, with no SQL of its own: the planner compares the
   * two definitions under their common id), before the new one's change.
   */
  private static Optional<Draft> replaced(DdlEvent event, DdlRecord record, Function<String, ObjectVersion> current, State state) {
    if (record.getError() != null || record.getDefinition() == null || "drop".equals(record.getAction())) {
      return Optional.empty();
    }
    String key = objectKey(record);
    ObjectVersion known = current.apply(key);
    if (known != null && !known.getDropped()) {
      return Optional.empty();
    }
    String id = Snapshots.object(record.getDefinition()).id();
    String other = state.keyOf(id);
    ObjectVersion was = other == null || other.equals(key) ? null : current.apply(other);
    // the object that had the id before the commit still has it (it was not renamed away earlier in the commit)
    if (was == null || was.getDropped() || was.getDefinition() == null || !Snapshots.object(was.getDefinition()).id().equals(id)) {
      return Optional.empty();
    }
    ObjectVersion.Builder after = ObjectVersion.newBuilder(was)
        .setChangedAt(event.getCapturedAt())
        .setChangedBy(event.getAuthor().getRole())
        .setDropped(true);
    return Optional.of(new Draft(other, was.getKind(), "drop", record.getStatement(), was, after, true, List.of()));
  }

  private static Optional<Draft> draft(DdlEvent event, DdlRecord record, Function<String, ObjectVersion> current) {
    if (record.getError() != null) {
      // a failed capture carries no definition; reconciliation of live hashes repairs the state
      return Optional.of(new Draft("capture-error:" + record.getSeq(), "unknown", "capture-error", record.getStatement(), null,
          base(event, record, "capture-error:" + record.getSeq()).setVersion(0).setSemver("0.0.0"), false,
          List.of("capture failed: " + record.getError())));
    }
    String key = objectKey(record);
    ObjectVersion before = current.apply(key);
    List<String> problems = new ArrayList<>();
    boolean existed = before != null && !before.getDropped();
    boolean table = TABLE.equals(record.getKind());
    boolean planned = table || record.getDefinition() != null || (before != null && before.getDefinition() != null);

    if ("drop".equals(record.getAction())) {
      if (!existed) {
        return Optional.empty(); // never tracked (created before capture and not in a baseline): nothing to version
      }
      planned = planned && (table || before.getDefinition() != null);
      ObjectVersion.Builder after = ObjectVersion.newBuilder(before)
          .setVersion(version(record, problems))
          .setSemver(semver(record))
          .setChangedAt(event.getCapturedAt())
          .setChangedBy(event.getAuthor().getRole())
          .setDropped(true);
      return Optional.of(new Draft(key, record.getKind(), "drop", record.getStatement(), before, after, planned,
          problems(planned, record.getKind(), problems)));
    }

    Relation now = table && record.getSnapshot() != null ? Snapshots.relation(record.getSnapshot()) : null;
    String hash = record.getHash();
    if (existed && (planned ? java.util.Objects.equals(hash, before.getHash()) && sameOwner(before, record) : "create".equals(record.getAction()))) {
      return Optional.empty(); // the statement did not change what we model (or repeated the same create)
    }
    // a baseline states what already exists at the source: it is versioned, and migrates nothing
    boolean baseline = "baseline".equals(record.getAction());
    String action;
    if (baseline || "drift".equals(record.getAction())) {
      action = record.getAction();
    } else if (!existed) {
      action = "create";
    } else if (!record.getName().equals(before.getName()) || !java.util.Objects.equals(record.getSchema$(), before.getSchema$())) {
      action = "rename";
    } else {
      action = "alter";
    }
    ObjectVersion.Builder after = base(event, record, key)
        .setVersion(version(record, problems))
        .setSemver(semver(record))
        .setName(now != null ? now.name() : record.getName())
        .setSchema$(now != null ? now.schema() : record.getSchema$())
        .setHash(hash)
        .setCanonical(record.getCanonical())
        .setSnapshot(record.getSnapshot())
        .setDefinition(record.getDefinition());
    return Optional.of(new Draft(key, record.getKind(), action, record.getStatement(), existed ? before : null, after, planned,
        baseline ? List.of() : problems(planned, record.getKind(), problems)));
  }

  /**
   * The version the source numbered (versioning.sql: the one owner of the version rules). A record without one was
   * written by capture older than 0.2 (kinds without a definition): version 0, and a problem that says so.
   */
  private static int version(DdlRecord record, List<String> problems) {
    if (record.getVersion() == null) {
      problems.add("recorded without a version by capture older than 0.2: run gitversion install on the source to upgrade it");
      return 0;
    }
    return record.getVersion();
  }

  private static String semver(DdlRecord record) {
    return record.getSemver() == null ? "0.0.0" : record.getSemver();
  }

  private static ObjectVersion.Builder base(DdlEvent event, DdlRecord record, String key) {
    return ObjectVersion.newBuilder()
        .setDatabase(event.getDatabase())
        .setObjectKey(key)
        .setKind(record.getKind())
        .setSchema$(record.getSchema$())
        .setName(record.getName())
        .setChangedAt(event.getCapturedAt())
        .setChangedBy(event.getAuthor().getRole())
        .setCommitId("")
        .setDropped(false);
  }

  private static Relation relation(ObjectVersion version) {
    return version.getSnapshot() == null ? null : Snapshots.relation(version.getSnapshot());
  }

  /** The plan's hazards, as the wire names them (the same symbols as the catalog's). */
  private static List<io.gitversion.schemas.Hazard> risks(Plan plan) {
    return plan.hazards().stream().map(h -> io.gitversion.schemas.Hazard.valueOf(h.name())).sorted().toList();
  }

  /** Why the plan does not do what the source did: it failed, or the kind has no definition to plan from. */
  private static List<String> problems(boolean planned, String kind, List<String> failures) {
    List<String> problems = new ArrayList<>(failures);
    if (!planned) {
      problems.add("changes of kind '" + kind + "' are versioned but not yet migrated");
    }
    return problems;
  }

  /** Like git: a hash over the commit's content and its parent. */
  private static String commitId(DdlEvent event, String parent, List<Draft> drafts) {
    StringBuilder content = new StringBuilder("parent ").append(parent == null ? "" : parent).append('\n')
        .append("database ").append(event.getDatabase()).append('\n')
        .append("event ").append(event.getEventId()).append('\n')
        .append("author ").append(event.getAuthor().getRole()).append('\n')
        .append("time ").append(event.getCapturedAt().toEpochMilli()).append('\n');
    for (Draft d : drafts) {
      ObjectVersion after = d.after().build();
      content.append(d.action()).append(' ').append(d.objectKey()).append(' ').append(after.getVersion()).append(' ')
          .append(after.getHash() == null ? "-" : after.getHash()).append('\n');
    }
    return Sha256.of(content.toString());
  }
}
