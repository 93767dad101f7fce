package io.gitversion.processor.internals;

import io.gitversion.catalog.ddl.Plan;
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
 * version, semantic version and the SQL that moves a database from the old definition to the new one. Pure: the
 * caller supplies the previous state of objects and stores what comes back.
 */
public final class CommitBuilder {
  /** What one transaction produced: the commit, and the new state of every object it changed, in order. */
  public record Result(Commit commit, List<ObjectVersion> versions) {}

  private record Draft(String objectKey, String kind, String action, String statement, ObjectVersion before,
                       ObjectVersion.Builder after, List<String> forwardSql, List<io.gitversion.schemas.Hazard> risks,
                       List<String> problems) {
    Draft withForwardSql(List<String> sql) {
      return new Draft(objectKey, kind, action, statement, before, after, sql, risks, problems);
    }
  }

  /**
   * Tables are planned by attribute number ({@code TablePlanner}); every other kind captured with a definition by
   * the catalog's planner ({@link ObjectPlans}); kinds without a definition are versioned and reported, not migrated.
   */
  static final String TABLE = "table";

  private CommitBuilder() {}

  /** Object key within a source database: kind and OID, which survive renames. */
  public static String objectKey(DdlRecord record) {
    return record.getOid() > 0 ? record.getKind() + ":" + record.getOid() : record.getKind() + ":" + record.getIdentity();
  }

  /**
   * The commit of one source transaction, and the new state of each object it changed.
   *
   * @param previous the stored state of an object by its key, or null
   * @param parent the id of the database's last commit, or null for the first
   * @return empty when the transaction changed nothing that is tracked
   */
  public static Optional<Result> build(DdlEvent event, Function<String, ObjectVersion> previous, String parent) {
    Map<String, ObjectVersion> overlay = new HashMap<>();
    Function<String, ObjectVersion> current = key -> overlay.containsKey(key) ? overlay.get(key) : previous.apply(key);
    List<Draft> drafts = new ArrayList<>();
    Set<String> droppedTables = new java.util.HashSet<>();
    event.getRecords().stream().filter(r -> TABLE.equals(r.getKind()) && "drop".equals(r.getAction()))
        .forEach(r -> droppedTables.add(r.getSchema$() + "." + r.getName()));
    for (DdlRecord record : event.getRecords()) {
      draft(event, record, current, droppedTables).ifPresent(d -> {
        drafts.add(d);
        overlay.put(d.objectKey(), d.after().build());
      });
    }
    if (drafts.isEmpty()) {
      return Optional.empty();
    }
    ownershipAfterOwners(drafts);
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
          .setForwardSql(d.forwardSql())
          .setRisks(d.risks())
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
        .build();
    return Optional.of(new Result(commit, new ArrayList<>(versions.values())));
  }

  private static Optional<Draft> draft(DdlEvent event, DdlRecord record, Function<String, ObjectVersion> current,
                                       Set<String> droppedTables) {
    if (record.getError() != null) {
      // a failed capture carries no definition; reconciliation of live hashes repairs the state
      return Optional.of(new Draft("capture-error:" + record.getSeq(), "unknown", "capture-error", record.getStatement(), null,
          base(event, record, "capture-error:" + record.getSeq()).setVersion(0).setSemver("0.0.0"), List.of(),
          List.of(), List.of("capture failed: " + record.getError())));
    }
    String key = objectKey(record);
    ObjectVersion before = current.apply(key);
    List<String> failures = new ArrayList<>();
    boolean existed = before != null && !before.getDropped();
    boolean table = TABLE.equals(record.getKind());
    boolean planned = table || record.getDefinition() != null || (before != null && before.getDefinition() != null);

    if ("drop".equals(record.getAction())) {
      if (!existed) {
        return Optional.empty(); // never tracked (created before capture and not in a baseline): nothing to version
      }
      Plan plan;
      if (table) {
        plan = TablePlanner.plan(relation(before), null);
      } else if (before.getDefinition() == null) {
        planned = false;
        plan = new Plan(List.of());
      } else {
        DbObject was = Snapshots.object(before.getDefinition());
        // what lives on a table dropped in the same transaction went with it
        boolean withItsTable = was.table() != null && droppedTables.contains(was.schema() + "." + was.table());
        plan = withItsTable ? new Plan(List.of()) : objectPlan(was, null, failures);
      }
      ObjectVersion.Builder after = ObjectVersion.newBuilder(before)
          .setVersion(version(record, failures))
          .setSemver(semver(record))
          .setChangedAt(event.getCapturedAt())
          .setChangedBy(event.getAuthor().getRole())
          .setDropped(true);
      return Optional.of(new Draft(key, record.getKind(), "drop", record.getStatement(), before, after,
          plan.statements(), risks(plan), problems(planned, record.getKind(), failures)));
    }

    Relation now = table && record.getSnapshot() != null ? Snapshots.relation(record.getSnapshot()) : null;
    // a baseline states what already exists at the source: it is versioned, and migrates nothing
    boolean baseline = "baseline".equals(record.getAction());
    Plan plan;
    if (baseline || !planned) {
      plan = new Plan(List.of());
    } else if (table) {
      plan = planOrProblem(failures, () -> {
        DbObject was = existed && before.getDefinition() != null ? Snapshots.object(before.getDefinition()) : null;
        if (record.getDefinition() != null && (!existed || was != null)) {
          return ObjectPlans.table(was, Snapshots.object(record.getDefinition()));
        }
        // recorded without a definition, before or now (capture older than 0.2): its columns, by attribute number
        List<io.gitversion.catalog.ddl.Step> steps = new ArrayList<>(TablePlanner.plan(existed ? relation(before) : null, now).steps());
        if (record.getDefinition() != null) {
          steps.addAll(ObjectPlans.tableExtras(null, Snapshots.object(record.getDefinition())));
        }
        return new Plan(steps);
      });
    } else {
      DbObject was = existed && before.getDefinition() != null ? Snapshots.object(before.getDefinition()) : null;
      plan = objectPlan(was, Snapshots.object(record.getDefinition()), failures);
    }
    String hash = record.getHash();
    if (existed && plan.isEmpty() && (planned ? java.util.Objects.equals(hash, before.getHash())
        : "create".equals(record.getAction()))) {
      return Optional.empty(); // the statement did not change what we model (or repeated the same create)
    }
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
        .setVersion(version(record, failures))
        .setSemver(semver(record))
        .setName(now != null ? now.name() : record.getName())
        .setSchema$(now != null ? now.schema() : record.getSchema$())
        .setHash(hash)
        .setCanonical(record.getCanonical())
        .setSnapshot(record.getSnapshot())
        .setDefinition(record.getDefinition());
    return Optional.of(new Draft(key, record.getKind(), action, record.getStatement(), existed ? before : null, after,
        plan.statements(), baseline ? List.of() : risks(plan), baseline ? List.of() : problems(planned, record.getKind(), failures)));
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

  /**
   * A sequence and the table that owns it are created by one statement (serial columns), the sequence reported
   * first: the table's default needs the sequence, and the sequence's ownership needs the table. Ownership moves to
   * just after the owning table's change.
   */
  private static void ownershipAfterOwners(List<Draft> drafts) {
    for (int i = 0; i < drafts.size(); i++) {
      Draft sequence = drafts.get(i);
      if (!sequence.kind().equals("sequence")) {
        continue;
      }
      for (String statement : List.copyOf(sequence.forwardSql())) {
        int by = statement.indexOf(" OWNED BY ");
        if (!statement.startsWith("ALTER SEQUENCE ") || by < 0 || statement.endsWith(" OWNED BY NONE;")) {
          continue;
        }
        String column = statement.substring(by + " OWNED BY ".length(), statement.length() - 1);
        for (int j = i + 1; j < drafts.size(); j++) {
          Draft owner = drafts.get(j);
          ObjectVersion table = owner.after().build();
          if (owner.kind().equals(TABLE) && column.startsWith(
              io.gitversion.catalog.model.SchemaModel.printedName(table.getSchema$(), table.getName()) + ".")) {
            drafts.set(i, sequence = sequence.withForwardSql(without(sequence.forwardSql(), statement)));
            drafts.set(j, owner.withForwardSql(with(owner.forwardSql(), statement)));
            break;
          }
        }
      }
    }
  }

  private static List<String> without(List<String> statements, String statement) {
    List<String> rest = new ArrayList<>(statements);
    rest.remove(statement);
    return rest;
  }

  private static List<String> with(List<String> statements, String statement) {
    List<String> more = new ArrayList<>(statements);
    more.add(statement);
    return more;
  }

  /** The catalog planner's plan; a change it cannot plan is recorded with the reason, never dropped with the commit. */
  private static Plan objectPlan(DbObject was, DbObject now, List<String> failures) {
    return planOrProblem(failures, () -> ObjectPlans.plan(was, now));
  }

  /** The plan, or none and the reason among {@code failures}. */
  private static Plan planOrProblem(List<String> failures, java.util.function.Supplier<Plan> planner) {
    try {
      return planner.get();
    } catch (RuntimeException e) {
      failures.add("cannot plan this change: " + e.getMessage());
      return new Plan(List.of());
    }
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
