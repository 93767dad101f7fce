package io.gitversion.cli.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitversion.catalog.UserError;
import io.gitversion.catalog.ddl.Plan;
import io.gitversion.catalog.ddl.SchemaPlanner;
import io.gitversion.catalog.ddl.Step;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.catalog.model.Snapshots;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.syncer.Remote;
import io.gitversion.syncer.Subscription;
import io.gitversion.syncer.Verification;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The migrations between a source's captured state and a remote of the registry, under the remote's subscription
 * (its schemas and kinds, mapped schemas by their names there): what {@code gitversion migrate} prints and {@code
 * gitversion apply --plan} applies. Each plan to the remote carries what it expects of the remote by hash before and
 * after ({@link Verification}); what the remote has outside its subscription is its own and left alone.
 */
public final class RemotePlans {
  /** A plan for one database, with its title and, for a plan to the remote, what it expects there. */
  public record RemotePlan(String title, Plan plan, Verification verification, List<String> notes) {}

  private final ApiClient client;
  private final String source;
  private final RemoteSpec entry;
  private final Subscription subscription;
  private final Set<String> schemas;

  /**
   * @param schemas only these schemas of the source (empty: all the subscription takes)
   */
  public RemotePlans(ApiClient client, String source, RemoteSpec entry, Set<String> schemas) {
    this.client = client;
    this.source = source;
    this.entry = entry;
    this.subscription = Subscription.of(entry);
    this.schemas = schemas;
  }

  public Remote remote() {
    return Remote.of(entry);
  }

  /** The source's objects at a point (null: now) that the remote takes, under the remote's names, by id. */
  private Map<String, DbObject> sourceAt(String at) {
    Map<String, DbObject> objects = new LinkedHashMap<>();
    for (JsonNode definition : client.get("api/sources/" + ApiClient.segment(source) + "/definitions"
        + ApiClient.query(Collections.singletonMap("at", at)))) {
      DbObject o = Snapshots.object(definition.toString());
      if (subscription.takes(o) && (schemas.isEmpty() || schemas.contains(o.kind() == io.gitversion.catalog.model.ObjectKind.SCHEMA
          ? o.identity() : o.schema()))) {
        DbObject mapped = subscription.map().object(o);
        objects.put(mapped.id(), mapped);
      }
    }
    return objects;
  }

  /** The remote as it is: what its subscription holds (by id), and the rest, its own. */
  private Map<String, DbObject> remoteHeld(List<DbObject> own) {
    Set<String> mappedSchemas = new java.util.HashSet<>();
    schemas.forEach(s -> mappedSchemas.add(subscription.map().schema(s)));
    SchemaModel model = Inspections.inspectOneOfTwo(remote().url().toUriWithPassword(), Set.of());
    Map<String, DbObject> held = new LinkedHashMap<>();
    for (DbObject o : model.objects().values()) {
      String schema = o.kind() == io.gitversion.catalog.model.ObjectKind.SCHEMA ? o.identity() : o.schema();
      if (subscription.holds(o) && (mappedSchemas.isEmpty() || mappedSchemas.contains(schema))) {
        held.put(o.id(), o);
      } else {
        own.add(o);
      }
    }
    return held;
  }

  /** The plan that brings the remote (its subscribed part) to the source's state at {@code at} (null: now). */
  public RemotePlan toRemote(String at) {
    Map<String, DbObject> target = sourceAt(at);
    List<DbObject> own = new ArrayList<>();
    Map<String, DbObject> held = remoteHeld(own);
    List<DbObject> from = new ArrayList<>(held.values());
    from.addAll(own);
    List<DbObject> to = new ArrayList<>(target.values());
    own.stream().filter(o -> !target.containsKey(o.id())).forEach(to::add);
    Plan plan = SchemaPlanner.plan(SchemaModel.of(from), SchemaModel.of(to));
    return new RemotePlan("remote " + entry.getName() + " to the state of " + source + (at == null ? "" : " at " + at), plan,
        Verification.between(held, target), List.of());
  }

  /**
   * The plan between two points of the source's history, for a remote at the first: the source's migration between
   * them (renames stay renames) when the remote takes everything, else the planner's between the two states of its
   * part. It expects the remote at the first point and leaves it at the second.
   */
  public RemotePlan betweenPoints(String from, String to) {
    Map<String, DbObject> before = sourceAt(from);
    Map<String, DbObject> after = sourceAt(to);
    Plan plan;
    if (subscription.isAll() && schemas.isEmpty()) {
      JsonNode migration = client.get("api/sources/" + ApiClient.segment(source) + "/migration"
          + ApiClient.query(Map.of("from", from, "to", to)));
      List<Step> steps = new ArrayList<>();
      migration.path("sql").forEach(s -> steps.add(Step.of(s.asText())));
      plan = new Plan(steps);
    } else {
      plan = SchemaPlanner.plan(SchemaModel.of(List.copyOf(before.values())), SchemaModel.of(List.copyOf(after.values())));
    }
    return new RemotePlan("remote " + entry.getName() + " from " + source + " at " + from + " to " + source + " at " + to, plan,
        Verification.between(before, after), List.of());
  }

  /** The plan that brings the source's state to the remote's (for the source: nothing to verify on the remote). */
  public RemotePlan fromRemote(String at) {
    refuseMapped("--from-remote");
    Map<String, DbObject> sourceState = sourceAt(at);
    Map<String, DbObject> held = remoteHeld(new ArrayList<>());
    Plan plan = SchemaPlanner.plan(SchemaModel.of(List.copyOf(sourceState.values())), SchemaModel.of(List.copyOf(held.values())));
    return new RemotePlan(source + " to the state of remote " + entry.getName() + (at == null ? "" : " (" + source + " at " + at + ")"), plan,
        null, List.of());
  }

  /**
   * Both ways: each side gets what only the other has; an object both have with different hashes is a conflict,
   * decided by {@code prefer} (source or remote), else left as it is on both and named.
   */
  public List<RemotePlan> bidirectional(String prefer) {
    refuseMapped("--bidirectional");
    Map<String, DbObject> sourceState = sourceAt(null);
    List<DbObject> own = new ArrayList<>();
    Map<String, DbObject> held = remoteHeld(own);
    Map<String, DbObject> remoteTarget = new LinkedHashMap<>(held);
    Map<String, DbObject> sourceTarget = new LinkedHashMap<>(sourceState);
    List<String> conflicts = new ArrayList<>();
    sourceState.forEach((id, o) -> {
      DbObject theirs = held.get(id);
      if (theirs == null) {
        remoteTarget.put(id, o);
      } else if (!theirs.hash().equals(o.hash())) {
        if ("source".equals(prefer)) {
          remoteTarget.put(id, o);
        } else if ("remote".equals(prefer)) {
          sourceTarget.put(id, theirs);
        } else {
          conflicts.add(id);
        }
      }
    });
    held.forEach((id, o) -> sourceTarget.putIfAbsent(id, o));
    List<DbObject> remoteFrom = new ArrayList<>(held.values());
    remoteFrom.addAll(own);
    List<DbObject> remoteTo = new ArrayList<>(remoteTarget.values());
    remoteTo.addAll(own);
    Plan toRemote = SchemaPlanner.plan(SchemaModel.of(remoteFrom), SchemaModel.of(remoteTo));
    Plan toSource = SchemaPlanner.plan(SchemaModel.of(List.copyOf(sourceState.values())), SchemaModel.of(List.copyOf(sourceTarget.values())));
    List<String> notes = conflicts.stream().map(id -> "conflict: " + id + " differs (source " + shortHash(sourceState.get(id)) + ", remote "
        + shortHash(held.get(id)) + "): left as it is on both; --prefer source|remote decides").toList();
    return List.of(
        new RemotePlan("remote " + entry.getName() + ": what only " + source + " has" + ("source".equals(prefer) ? ", and the source's side of each conflict" : ""),
            toRemote, Verification.between(held, remoteTarget), notes),
        new RemotePlan(source + ": what only remote " + entry.getName() + " has" + ("remote".equals(prefer) ? ", and the remote's side of each conflict" : ""),
            toSource, null, List.of()));
  }

  private void refuseMapped(String option) {
    if (!subscription.map().isEmpty()) {
      throw new UserError(option + " is not for a remote with mapped schemas (" + subscription.describe() + "): its objects have other names");
    }
  }

  private static String shortHash(DbObject o) {
    return o.hash().substring(0, 12);
  }
}
