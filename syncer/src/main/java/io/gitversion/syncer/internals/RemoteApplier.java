package io.gitversion.syncer.internals;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.SqlResource;
import io.gitversion.catalog.ddl.SchemaPlanner;
import io.gitversion.catalog.inspect.Inspector;
import io.gitversion.catalog.inspect.LiveHashes;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.syncer.Remote;
import io.gitversion.syncer.Subscription;
import io.gitversion.contract.Changes;
import io.gitversion.contract.Commits;
import io.gitversion.schemas.Change;
import io.gitversion.schemas.Commit;
import io.gitversion.schemas.Mismatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies commits to one remote: each commit in one remote transaction, together with its ledger row, with capture
 * switched off for the session (a remote that is itself a source does not capture what we apply). The transaction
 * checks the hashes of the objects the commit touches before applying and after ({@link Expectations}); a conflict or
 * a divergence rolls it back, and is never applied.
 */
public final class RemoteApplier implements AutoCloseable {
  /** The outcome of one commit on this remote. */
  public enum Outcome {
    /** Applied, and every touched object's hash verified. */
    APPLIED,
    /** The ledger had it already. */
    DUPLICATE,
    /** Before applying, a touched object's hash was not the one the source had before: the remote was changed by hand. */
    CONFLICT,
    /** After applying, a touched object's hash was not the source's: the plan did not do what the source did. */
    DIVERGENCE
  }

  /**
   * What became of a commit: what was applied, what could not be (changes of kinds not migrated yet), and the objects
   * whose hashes were not the expected ones (a conflict or a divergence, rolled back).
   */
  public record Applied(Outcome outcome, List<String> statements, List<String> notMigrated, List<Mismatch> mismatches, String reason) {
    Applied(Outcome outcome, List<String> statements, List<String> notMigrated, List<Mismatch> mismatches) {
      this(outcome, statements, notMigrated, mismatches, null);
    }
  }

  /** PostgreSQL's message for a role it does not know: roles are cluster objects, outside every database's model. */
  private static final java.util.regex.Pattern MISSING_ROLE = java.util.regex.Pattern.compile("role \"(.*)\" does not exist");

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RemoteApplier.class);

  /** Serialises syncer instances (and on-demand applies) on one remote. */
  public static final long ADVISORY_LOCK = 0x67697476L;

  private final Remote remote;
  private final Subscription subscription;
  /**
   * Who in the remote database this applier applies for: {@code ""} for a remote (the whole database, one at a time);
   * a tenant's name for a tenant schema (several in one database, each with its own ledger rows and lock).
   */
  private final String subscriber;
  /** A session lent by the caller (not closed here), or null. */
  private final Session lent;
  /** Its own session, when none is lent. */
  private Session session;

  public RemoteApplier(Remote remote) {
    this(remote, Subscription.all());
  }

  /** An applier of the part of each commit a subscription takes, under the remote's names. */
  public RemoteApplier(Remote remote, Subscription subscription) {
    this(remote, subscription, "");
  }

  /** The same, for one subscriber of several in the remote's database (a tenant: its name). */
  public RemoteApplier(Remote remote, Subscription subscription, String subscriber) {
    this(remote, subscription, subscriber, null);
  }

  /** The same over a session the caller lends (and closes): tenants of one database share a few. */
  public RemoteApplier(Remote remote, Subscription subscription, String subscriber, Session lent) {
    this.remote = remote;
    this.subscription = subscription;
    this.subscriber = subscriber;
    this.lent = lent;
  }

  /**
   * Serialises the appliers of one subscriber: a remote's (and on-demand applies) on the whole database, a tenant's on
   * its own key, so that the tenants of one database apply at once.
   */
  private String lock() {
    return subscriber.isEmpty() ? "SELECT pg_catalog.pg_advisory_xact_lock(" + ADVISORY_LOCK + ")"
        : "SELECT pg_catalog.pg_advisory_xact_lock(" + (int) ADVISORY_LOCK + ", pg_catalog.hashtext(" + io.gitversion.catalog.Sql.literal(subscriber) + "))";
  }

  /**
   * The schemas of the remote a rebase reads: a subscription that names its schemas holds nothing elsewhere (a
   * database of a thousand tenant schemas is not read whole for each); empty: all.
   */
  private Set<String> heldSchemas() {
    if (subscription.schemas().isEmpty()) {
      return Set.of();
    }
    Set<String> held = new java.util.HashSet<>();
    subscription.schemas().forEach(schema -> held.add(subscription.map().schema(schema)));
    return held;
  }

  /**
   * One connection to a remote database made ready for appliers: capture switched off, the ledger there, the live-hash
   * functions created, and whose source the database is when capture is installed there. An applier opens its own;
   * the tenants of one database share a few ({@link #RemoteApplier(Remote, Subscription, String, Session)}).
   */
  public static final class Session implements AutoCloseable {
    private final Connection connection;
    private final LiveHashes hashes;
    /** The remote's name as a source (its database's), when capture is installed there; else null. */
    private final String ownSource;

    private Session(Connection connection, LiveHashes hashes, String ownSource) {
      this.connection = connection;
      this.hashes = hashes;
      this.ownSource = ownSource;
    }

    /** Connects and makes sure the ledger exists. Connection failures surface as {@link SQLException}. */
    public static Session open(Remote remote) throws SQLException {
      Connection connection;
      try {
        connection = java.sql.DriverManager.getConnection(remote.url().jdbcUrl(), remote.url().jdbcProperties());
        try {
          io.gitversion.catalog.Rendering.pin(connection); // definitions written as the source's capture writes them
        } catch (SQLException e) {
          Database.closeQuietly(connection);
          throw e;
        }
      } catch (SQLException e) {
        // whatever keeps a session from opening (a database not accepting connections, a password refused, a server
        // starting up) is the remote not answering: waited for and retried, never a commit that failed
        throw Database.isConnectionFailure(e) ? e : new SQLException(e.getMessage(), "08001", e);
      }
      try (Statement st = connection.createStatement()) {
        connection.setAutoCommit(false);
        st.execute("SET LOCAL gitversion.capture = 'off'");
        Ledger.ensure(connection);
        LiveHashes hashes = new LiveHashes(connection);
        String ownSource;
        try (ResultSet rs = st.executeQuery(SqlResource.load("/io/gitversion/syncer/sql/captured_here.sql"))) {
          rs.next();
          ownSource = rs.getBoolean(3) ? rs.getString(4) : null;
          if (rs.getBoolean(1)) {
            log.warn("remote {} is a source too (capture is installed) and {} is not a member of role gitversion_syncer: what the syncer "
                + "applies there is captured as that source's own changes; GRANT gitversion_syncer TO {}", remote.name(), rs.getString(2),
                rs.getString(2));
          }
        }
        connection.commit();
        return new Session(connection, hashes, ownSource);
      } catch (SQLException | RuntimeException e) {
        Database.closeQuietly(connection);
        throw e;
      }
    }

    /** Work on the session's connection, in a transaction of its own that is rolled back after (a read). */
    public <T> T read(SqlRead<T> work) throws SQLException {
      try {
        return work.on(connection);
      } finally {
        connection.rollback();
      }
    }

    /** A read on a connection. */
    public interface SqlRead<T> {
      T on(Connection c) throws SQLException;
    }

    /** Whether the connection still answers. */
    public boolean isValid() throws SQLException {
      return connection.isValid(2);
    }

    @Override
    public void close() {
      Database.closeQuietly(connection);
    }
  }

  /** This applier's session: the one lent to it, or its own (opened again after a connection failure). */
  private Session session() throws SQLException {
    if (lent != null) {
      return lent;
    }
    if (session != null && session.isValid()) {
      return session;
    }
    closeQuietly();
    session = Session.open(remote);
    return session;
  }

  private Connection connection() throws SQLException {
    return session().connection;
  }

  /**
   * Applies a commit, or recognises it as already applied.
   *
   * @throws SQLException when the remote refuses a statement (rolled back, nothing applied) or cannot be reached
   */
  public Applied apply(Commit commit) throws SQLException {
    Connection c = connection();
    List<String> statements = new ArrayList<>();
    for (Commits.Statement step : Commits.steps(commit)) {
      if (step.object() == null || subscription.takesId(step.object())) {
        statements.add(subscription.map().statement(step.sql(), step.object()));
      }
    }
    List<String> notMigrated = new ArrayList<>();
    for (Change change : commit.getChanges()) {
      String object = Commits.objectOf(change);
      if (!Changes.problems(change).isEmpty() && (object == null || subscription.takesId(object))) {
        notMigrated.add(change.getKind() + " " + name(change));
      }
    }
    try (Statement st = c.createStatement()) {
      st.execute("SET LOCAL gitversion.capture = 'off'");
      st.execute("SET LOCAL lock_timeout = '30s'");
      st.execute(lock());
      if (alreadyApplied(c, commit)) {
        c.rollback();
        return new Applied(Outcome.DUPLICATE, List.of(), List.of(), List.of());
      }
      String origin = commit.getOrigin() != null ? commit.getOrigin() : commit.getDatabase();
      if (subscriber.isEmpty() && origin.equals(session().ownSource)) {
        // the remote is the source this change came from: it has it (bidirectional sync never takes a change back)
        ledger(c, commit, 0);
        c.commit();
        return new Applied(Outcome.DUPLICATE, List.of(), List.of(), List.of(), "the change came from this remote (source " + origin + ")");
      }
      if (subscriber.isEmpty()) {
        origin(c, origin); // a tenant's schema is no source's history: its changes are not logged where it lives
      }
      Expectations expected = Expectations.of(commit, subscription);
      String boundary = boundary(expected);
      if (boundary != null) {
        c.rollback();
        return new Applied(Outcome.CONFLICT, List.of(), notMigrated, List.of(), boundary);
      }
      List<Mismatch> conflicts = expected.beforeMismatches(session().hashes);
      if (!conflicts.isEmpty()) {
        if (!expected.afterObjects().isEmpty() && expected.afterMismatches(session().hashes).isEmpty()) {
          // the remote has this commit's result already (a rebase took it there): recorded, nothing applied
          ledger(c, commit, 0);
          c.commit();
          return new Applied(Outcome.DUPLICATE, List.of(), notMigrated, List.of(), "the remote had this commit's result already");
        }
        c.rollback();
        return new Applied(Outcome.CONFLICT, List.of(), notMigrated, conflicts);
      }
      for (String sql : statements) {
        try {
          st.execute(sql);
        } catch (SQLException e) {
          java.util.regex.Matcher role = MISSING_ROLE.matcher(String.valueOf(e.getMessage()));
          if (!"42704".equals(e.getSQLState()) || !role.find()) {
            throw e;
          }
          // a GRANT (or an owner, a policy) names a role the remote lacks: the remote differs from the source, a conflict
          c.rollback();
          return new Applied(Outcome.CONFLICT, List.of(), notMigrated, List.of(),
              "role \"" + role.group(1) + "\" does not exist on the remote (roles belong to the server: create it there, then resume)");
        }
      }
      List<Mismatch> divergences = expected.afterMismatches(session().hashes);
      if (!divergences.isEmpty()) {
        c.rollback();
        return new Applied(Outcome.DIVERGENCE, statements, notMigrated, divergences);
      }
      ledger(c, commit, statements.size());
      c.commit();
      return new Applied(Outcome.APPLIED, statements, notMigrated, List.of());
    } catch (SQLException e) {
      try {
        c.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      if (Database.isConnectionFailure(e)) {
        closeQuietly();
      }
      throw e;
    }
  }

  /**
   * Why the commit crosses the subscription's boundary (an object it takes depends on one outside the subscription
   * that the remote does not have), naming both; null when it does not.
   */
  private String boundary(Expectations expected) throws SQLException {
    if (subscription.isAll()) {
      return null;
    }
    Map<String, List<String>> outside = expected.outside(subscription);
    if (outside.isEmpty()) {
      return null;
    }
    List<String> crossings = new ArrayList<>();
    session().hashes.ofIds(List.copyOf(outside.keySet())).forEach((dep, hash) -> {
      if (hash == null) {
        outside.get(dep).forEach(o -> crossings.add(o + " depends on " + dep));
      }
    });
    return crossings.isEmpty() ? null : "the commit crosses the subscription's boundary (" + subscription.describe() + "): "
        + String.join("; ", crossings) + ", which is outside it and not on the remote";
  }

  /**
   * Names the source what this transaction applies comes from: a remote that is a source too records it in its own
   * history, marked with its origin (capture.sql's {@code gitversion.origin()}), and no syncer takes it back there.
   */
  private static void origin(Connection c, String source) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.set_config('gitversion.origin', ?, true)")) {
      ps.setString(1, source);
      ps.execute();
    }
  }

  private void ledger(Connection c, Commit commit, int statements) throws SQLException {
    Ledger.record(c, commit.getDatabase(), commit.getId(), commit.getParent(), statements, subscriber);
  }

  /**
   * Brings the remote to a source's state with one planned migration (the catalog's planner from the remote as it is
   * to the state), in one transaction, and verifies it: afterwards every object of the state has the source's hash on
   * the remote. A join keeps what the remote has beyond the state (nothing is dropped: the plan's drops are left out
   * and named); an explicit rebase makes the remote equal to the state.
   *
   * @param label what the ledger records the rebase as ({@code rebase:<request>})
   * @param keepExtras true for a remote joining: nothing is dropped
   */
  public Applied rebase(String source, SchemaModel sourceState, String label, boolean keepExtras) throws SQLException {
    Connection c = connection();
    try (Statement st = c.createStatement()) {
      st.execute("SET LOCAL gitversion.capture = 'off'");
      st.execute("SET LOCAL lock_timeout = '30s'");
      st.execute(lock());
      if (subscriber.isEmpty()) {
        origin(c, source);
      }
      Inspector inspector = new Inspector(c);
      Set<String> held = heldSchemas();
      SchemaModel remoteModel = inspector.inspect(held);
      List<String> kept = new ArrayList<>();
      List<DbObject> target = new ArrayList<>();
      Set<String> ids = new java.util.HashSet<>();
      for (DbObject o : sourceState.objects().values()) {
        if (subscription.takes(o)) {
          DbObject mapped = subscription.map().object(o);
          target.add(mapped);
          ids.add(mapped.id());
        }
      }
      for (DbObject extra : remoteModel.objects().values()) {
        if (ids.contains(extra.id())) {
          continue;
        }
        if (!subscription.holds(extra)) {
          target.add(extra); // outside the subscription: the remote's own, kept as it is
        } else if (keepExtras) {
          // what only the remote has is kept: planned as if the state had it too
          target.add(extra);
          kept.add(extra.id());
        }
      }
      SchemaModel state = SchemaModel.of(target);
      List<String> statements = SchemaPlanner.plan(remoteModel, state).statements();
      for (String sql : statements) {
        st.execute(sql);
      }
      Map<String, String> now = inspector.inspect(held).hashes();
      List<Mismatch> divergences = new ArrayList<>();
      state.hashes().forEach((id, hash) -> {
        if (!hash.equals(now.get(id))) {
          divergences.add(Mismatch.newBuilder().setObject(id).setExpected(hash).setActual(now.get(id)).build());
        }
      });
      now.keySet().stream().filter(id -> !state.objects().containsKey(id))
          .forEach(id -> divergences.add(Mismatch.newBuilder().setObject(id).setExpected(null).setActual(now.get(id)).build()));
      if (!divergences.isEmpty()) {
        c.rollback();
        return new Applied(Outcome.DIVERGENCE, statements, List.of(), divergences, "the rebase did not make the remote equal to the source's state");
      }
      Ledger.record(c, source, label, null, statements.size(), subscriber);
      c.commit();
      return new Applied(Outcome.APPLIED, statements, List.of(), List.of(),
          kept.isEmpty() ? null : "kept what only the remote has: " + String.join(", ", kept));
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      if (e instanceof SQLException sql && Database.isConnectionFailure(sql)) {
        closeQuietly();
      }
      throw e;
    }
  }

  private boolean alreadyApplied(Connection c, Commit commit) throws SQLException {
    return Ledger.has(c, commit.getDatabase(), commit.getId(), subscriber);
  }

  private static String name(Change change) {
    var state = change.getAfter() != null ? change.getAfter() : change.getBefore();
    return state == null ? change.getObjectKey() : (state.getSchema$() == null ? "" : state.getSchema$() + ".") + state.getName();
  }

  private void closeQuietly() {
    if (session != null) {
      session.close();
      session = null;
    }
  }


  @Override
  public void close() {
    closeQuietly();
  }
}
