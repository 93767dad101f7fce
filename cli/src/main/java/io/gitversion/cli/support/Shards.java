package io.gitversion.cli.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.UserError;
import io.gitversion.catalog.ddl.Plan;
import io.gitversion.catalog.ddl.SchemaPlanner;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectHash;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.schemas.ShardCheck;
import io.gitversion.schemas.ShardObject;
import io.gitversion.syncer.Remote;
import io.gitversion.syncer.ScriptApplier;
import io.gitversion.syncer.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * A shard group's consistency (the advanced module): every member's hashes read at once, a matrix of object by member,
 * each object judged against a reference (the majority of the members, a named member, or a source's captured state),
 * and per divergent member a repair plan, made by the one planner from what the member has to what the reference has,
 * and applied verified by hash ({@link ScriptApplier} with a {@link Verification}). What {@code gitversion shards} and
 * {@code gitversion.advanced_shard_consistency_check()} share.
 */
public final class Shards {
  /** The reference that takes the hash most members have (more than half). */
  public static final String MAJORITY = "majority";

  /** A member of a group: a remote of the registry, or a database named by its URL (then by its database name). */
  public record Member(String name, Remote remote) {}

  /**
   * One object that is not the same everywhere: its hash in the reference (null: the reference has none), whether it
   * is undecided (no majority), and each member's hash (null: absent there).
   */
  public record Row(String object, String referenceHash, boolean undecided, List<String> hashes) {
    /** Whether the member at {@code index} differs from the reference (an undecided object is nobody's to repair). */
    public boolean differsAt(int index) {
      return !undecided && !Objects.equals(referenceHash, hashes.get(index));
    }

    /** A member's standing: equal, differs, missing (the reference has it, the member not), extra (the reverse), undecided. */
    public String status(int index) {
      String hash = hashes.get(index);
      return undecided ? "undecided" : Objects.equals(referenceHash, hash) ? "equal" : hash == null ? "missing"
          : referenceHash == null ? "extra" : "differs";
    }
  }

  /** A check's outcome: the group, its reference, its members, how many objects they hold, and the divergent ones. */
  public record Check(String group, String reference, List<Member> members, int objects, List<Row> divergent) {
    public boolean consistent() {
      return divergent.isEmpty();
    }

    /** The members that differ from the reference somewhere, each with how many objects. */
    public Map<String, Integer> divergentMembers() {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (int i = 0; i < members.size(); i++) {
        int index = i;
        long n = divergent.stream().filter(r -> r.differsAt(index)).count();
        if (n > 0) {
          counts.put(members.get(i).name(), (int) n);
        }
      }
      return counts;
    }

    public List<String> names() {
      return members.stream().map(Member::name).toList();
    }

    /** The check as published on {@code gitversion.shard-checks}. */
    public ShardCheck record(List<String> repaired, String by) {
      return ShardCheck.newBuilder().setGroup(group).setReference(reference).setShards(names()).setObjects(objects)
          .setDivergent(divergent.stream().map(r -> ShardObject.newBuilder().setObject(r.object()).setReferenceHash(r.referenceHash())
              .setUndecided(r.undecided()).setHashes(r.hashes()).build()).toList())
          .setRepaired(repaired).setCheckedBy(by).setCheckedAt(Instant.now()).build();
    }

    /** The matrix's rows, one per divergent object and member: object, shard, hash, reference_hash, status. */
    public List<Map<String, Object>> rows() {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Row r : divergent) {
        for (int i = 0; i < members.size(); i++) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("object", r.object());
          row.put("shard", members.get(i).name());
          row.put("hash", r.hashes().get(i));
          row.put("reference_hash", r.referenceHash());
          row.put("status", r.status(i));
          rows.add(row);
        }
      }
      return rows;
    }
  }

  /** A member's repair: the plan from what it has to what the reference has, and what it expects there by hash. */
  public record Repair(Member member, Plan plan, Verification verification) {}

  private final Registry registry;
  private final ApiClient api;

  /** {@code api}: the query API, for a source as the reference (null: none). */
  public Shards(Registry registry, ApiClient api) {
    this.registry = registry;
    this.api = api;
  }

  /**
   * The members {@code names} name: one shard group (the remotes of the registry whose group it is), or remotes of the
   * registry and database URLs. At least two, each once.
   */
  public List<Member> members(List<String> names) {
    Map<String, RemoteSpec> entries = registry.read();
    List<Member> members = new ArrayList<>();
    if (names.size() == 1 && !isUrl(names.get(0))) {
      entries.values().stream().filter(e -> names.get(0).equals(e.getGroup()))
          .forEach(e -> members.add(new Member(e.getName(), Remote.of(e))));
      if (members.isEmpty() && !entries.containsKey(names.get(0))) {
        throw new UserError("no shard group " + names.get(0) + ": no remote of the registry has it (gitversion remote add NAME URL --group "
            + names.get(0) + "); or name two or more remotes or database URLs");
      }
    }
    if (members.isEmpty()) {
      Map<String, Integer> seen = new HashMap<>();
      for (String name : names) {
        if (isUrl(name)) {
          PgUrl url = PgUrl.parse(name);
          int n = seen.merge(url.database(), 1, Integer::sum);
          String label = (n == 1 ? url.database() : url.database() + "-" + n).replaceAll("[^A-Za-z0-9_.-]", "_");
          members.add(new Member(label, new Remote(label, url)));
        } else {
          RemoteSpec entry = entries.get(name);
          if (entry == null) {
            throw new UserError(name + " is neither a shard group, nor a remote of the registry, nor a database URL");
          }
          members.add(new Member(name, Remote.of(entry)));
        }
      }
    }
    if (members.size() < 2) {
      throw new UserError("a shard group has two members or more; " + String.join(", ", names) + " has " + members.size());
    }
    if (members.stream().map(Member::name).distinct().count() < members.size()) {
      throw new UserError("a member is named twice: " + String.join(", ", names));
    }
    return members;
  }

  private static boolean isUrl(String text) {
    return text.contains("://") || text.startsWith("jdbc:");
  }

  /** The key a check of {@code names} is published under: the group, or the members' names. */
  public static String key(List<String> names) {
    return String.join(",", names);
  }

  /**
   * Reads every member's hashes at once (one session each) and judges each object against {@code reference}: {@link
   * #MAJORITY}, {@code source} or {@code source:DATABASE} (its captured state now), or a member's name.
   */
  public Check check(String group, List<Member> members, Set<String> schemas, String reference) {
    String source = sourceOf(reference);
    int referenceMember = -1;
    if (source == null && !reference.equals(MAJORITY)) {
      referenceMember = members.stream().map(Member::name).toList().indexOf(reference);
      if (referenceMember < 0) {
        throw new UserError("the reference is majority, source[:DATABASE] or a member (" + String.join(", ", members.stream().map(Member::name).toList())
            + "), not " + reference);
      }
    }
    List<Map<String, String>> hashes = new ArrayList<>();
    Map<String, String> sourceHashes;
    ExecutorService pool = Inspections.readers("gitversion-shards");
    try {
      List<CompletableFuture<Map<String, String>>> reads = members.stream()
          .map(m -> CompletableFuture.supplyAsync(() -> hashesOf(m, schemas), pool)).toList();
      sourceHashes = source == null ? null : sourceHashes(source, schemas);
      reads.forEach(r -> hashes.add(Inspections.join(r)));
    } finally {
      pool.shutdownNow();
    }
    Set<String> ids = new java.util.TreeSet<>();
    hashes.forEach(h -> ids.addAll(h.keySet()));
    List<Row> divergent = new ArrayList<>();
    for (String id : ids) {
      List<String> row = hashes.stream().map(h -> h.get(id)).toList();
      boolean allSame = row.stream().allMatch(h -> Objects.equals(h, row.get(0)));
      String ref;
      boolean undecided = false;
      if (sourceHashes != null) {
        ref = sourceHashes.get(id);
      } else if (referenceMember >= 0) {
        ref = row.get(referenceMember);
      } else {
        ref = majority(row);
        undecided = ref == null && !allSame && !hasMajorityAbsent(row);
      }
      if (!allSame || !Objects.equals(ref, row.get(0))) {
        divergent.add(new Row(id, ref, undecided, row));
      }
    }
    if (sourceHashes != null) {
      // what the source has and no member has is missing everywhere
      sourceHashes.keySet().stream().filter(id -> !ids.contains(id)).sorted().forEach(id -> {
        List<String> none = new ArrayList<>();
        members.forEach(m -> none.add(null));
        divergent.add(new Row(id, sourceHashes.get(id), false, none));
      });
      ids.addAll(sourceHashes.keySet());
    }
    return new Check(group, source != null ? "source:" + source : reference, members, ids.size(), divergent);
  }

  /** The hash more than half the members have (null for absent, too); null when none has. */
  private static String majority(List<String> row) {
    Map<String, Integer> counts = new HashMap<>();
    row.forEach(h -> counts.merge(String.valueOf(h), 1, Integer::sum));
    return counts.entrySet().stream().filter(e -> e.getValue() * 2 > row.size()).map(Map.Entry::getKey)
        .filter(h -> !h.equals("null")).findFirst().orElse(null);
  }

  private static boolean hasMajorityAbsent(List<String> row) {
    return row.stream().filter(Objects::isNull).count() * 2 > row.size();
  }

  private String sourceOf(String reference) {
    if (!reference.equals("source") && !reference.startsWith("source:")) {
      return null;
    }
    if (api == null) {
      throw new UserError("a source as the reference is read from the query API: give --api");
    }
    return api.source(reference.equals("source") ? null : reference.substring("source:".length()));
  }

  private static Map<String, String> hashesOf(Member member, Set<String> schemas) {
    Map<String, String> hashes = new HashMap<>();
    for (ObjectHash o : Inspections.hashes(member.remote().url().toUriWithPassword(), schemas, 1, Inspections.hashCache()).objects()) {
      hashes.put(o.id(), o.hash());
    }
    return hashes;
  }

  private Map<String, String> sourceHashes(String source, Set<String> schemas) {
    Map<String, String> hashes = new HashMap<>();
    sourceObjects(source, schemas).forEach((id, o) -> hashes.put(id, o.hash()));
    return hashes;
  }

  private Map<String, DbObject> sourceObjects(String source, Set<String> schemas) {
    Map<String, DbObject> objects = new HashMap<>();
    for (JsonNode definition : api.get("api/sources/" + ApiClient.segment(source) + "/definitions")) {
      DbObject o = Snapshots.object(definition.toString());
      String schema = o.kind() == io.gitversion.catalog.model.ObjectKind.SCHEMA ? o.identity() : o.schema();
      if (schemas.isEmpty() || schemas.contains(schema)) {
        objects.put(o.id(), o);
      }
    }
    return objects;
  }

  /**
   * Each divergent member's repair towards the reference: the objects it differs on (not the undecided ones) made as
   * the reference has them. Reads the full definitions of the divergent members and of as few others as hold every
   * reference definition needed.
   */
  public List<Repair> repairs(Check check, Set<String> schemas) {
    List<Member> members = check.members();
    Map<Integer, SchemaModel> models = new HashMap<>();
    List<Integer> divergent = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      int index = i;
      if (check.divergent().stream().anyMatch(r -> r.differsAt(index))) {
        divergent.add(i);
      }
    }
    if (divergent.isEmpty()) {
      return List.of();
    }
    Map<String, DbObject> reference = new HashMap<>();
    List<Row> needed = new ArrayList<>(check.divergent().stream().filter(r -> !r.undecided() && r.referenceHash() != null).toList());
    if (check.reference().startsWith("source:")) {
      reference.putAll(sourceObjects(check.reference().substring("source:".length()), schemas));
      needed.clear();
    }
    // donors: the members that hold the reference's definitions, fewest first (usually one)
    List<Integer> toRead = new ArrayList<>(divergent);
    List<Row> uncovered = new ArrayList<>(needed);
    List<Integer> donors = new ArrayList<>();
    while (!uncovered.isEmpty()) {
      int best = -1;
      long bestCount = 0;
      for (int i = 0; i < members.size(); i++) {
        int index = i;
        long n = uncovered.stream().filter(r -> r.referenceHash().equals(r.hashes().get(index))).count();
        if (n > bestCount) {
          best = i;
          bestCount = n;
        }
      }
      int donor = best;
      donors.add(donor);
      uncovered.removeIf(r -> r.referenceHash().equals(r.hashes().get(donor)));
      if (!toRead.contains(donor)) {
        toRead.add(donor);
      }
    }
    ExecutorService pool = Inspections.readers("gitversion-shards");
    try {
      Map<Integer, CompletableFuture<SchemaModel>> reads = new TreeMap<>();
      toRead.forEach(i -> reads.put(i, CompletableFuture.supplyAsync(
          () -> Inspections.inspectOneOfTwo(members.get(i).remote().url().toUriWithPassword(), schemas), pool)));
      reads.forEach((i, read) -> models.put(i, Inspections.join(read)));
    } finally {
      pool.shutdownNow();
    }
    for (Row r : needed) {
      for (int donor : donors) {
        if (r.referenceHash().equals(r.hashes().get(donor))) {
          reference.put(r.object(), models.get(donor).objects().get(r.object()));
          break;
        }
      }
    }
    List<Repair> repairs = new ArrayList<>();
    for (int i : divergent) {
      int index = i;
      Map<String, DbObject> has = models.get(i).objects();
      List<DbObject> target = new ArrayList<>(has.values());
      Map<String, DbObject> from = new LinkedHashMap<>();
      Map<String, DbObject> to = new LinkedHashMap<>();
      for (Row r : check.divergent()) {
        if (!r.differsAt(index)) {
          continue;
        }
        DbObject mine = has.get(r.object());
        DbObject theirs = r.referenceHash() == null ? null : reference.get(r.object());
        if (mine != null) {
          target.remove(mine);
          from.put(r.object(), mine);
        }
        if (theirs != null) {
          target.add(theirs);
          to.put(r.object(), theirs);
        }
      }
      Plan plan = SchemaPlanner.plan(SchemaModel.of(List.copyOf(has.values())), SchemaModel.of(target));
      repairs.add(new Repair(members.get(i), plan, Verification.between(from, to)));
    }
    return repairs;
  }

  /**
   * A whole check as the command and the SQL function make it: the check, each divergent member's repair, with
   * {@code repair} each one applied and the group checked again ({@code after}), what became of each repair, and
   * whether one failed. The check after is published on {@code gitversion.shard-checks} (the dashboard's matrix).
   */
  public record Run(Check before, Check after, List<Repair> repairs, Map<String, String> outcomes, boolean failed) {
    /** Exit 0 when every member is equal, 1 when a repair failed, 3 when a member differs. */
    public int exitCode() {
      return failed ? 1 : after.consistent() ? 0 : 3;
    }

    /**
     * The run as JSON: the check's rows (object, shard, hash, reference_hash, status: what {@code
     * gitversion.advanced_shard_matrix()} returns), each divergent member's plan, what became of each repair, and
     * whether the members are equal now (after the repairs).
     */
    public Map<String, Object> json() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("group", before.group());
      body.put("reference", before.reference());
      body.put("shards", before.names());
      body.put("objects", before.objects());
      body.put("rows", before.rows());
      body.put("consistent", after.consistent());
      Map<String, Object> plans = new TreeMap<>();
      repairs.forEach(r -> plans.put(r.member().name(), r.plan().statements()));
      body.put("plans", plans);
      body.put("repairs", outcomes);
      return body;
    }
  }

  public Run run(List<String> names, Set<String> schemas, String reference, boolean repair, String by)
      throws java.sql.SQLException, InterruptedException {
    List<Member> members = members(names);
    String group = key(names);
    Check check = check(group, members, schemas, reference);
    List<Repair> repairs = repairs(check, schemas);
    List<String> repaired = new ArrayList<>();
    Map<String, String> outcomes = new LinkedHashMap<>();
    boolean failed = false;
    for (Repair r : repair ? repairs : List.<Repair>of()) {
      if (r.plan().isEmpty()) {
        outcomes.put(r.member().name(), "not repaired: the planner has no statement for it");
        continue;
      }
      ScriptApplier.Result result = ScriptApplier.apply(r.member().remote(), r.plan().statements(), r.verification(), false,
          Duration.ofSeconds(5), 3);
      outcomes.put(r.member().name(), switch (result.outcome()) {
        case "applied" -> "repaired: " + r.plan().steps().size() + " statement(s), verified: " + r.verification().after().size()
            + " object(s) have the reference's hashes";
        case "duplicate" -> "had the reference's state already";
        default -> "not repaired: " + result.outcome() + ": " + result.error() + " (rolled back)";
      });
      failed |= !List.of("applied", "duplicate").contains(result.outcome());
      if (result.outcome().equals("applied")) {
        repaired.add(r.member().name());
      }
    }
    Check after = repaired.isEmpty() ? check : check(group, members, schemas, reference);
    registry.write(io.gitversion.contract.Topics.SHARD_CHECKS, group, after.record(repaired, by));
    return new Run(check, after, repairs, outcomes, failed);
  }
}
