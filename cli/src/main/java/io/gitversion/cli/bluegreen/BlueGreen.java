package io.gitversion.cli.bluegreen;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.UserError;
import io.gitversion.cli.support.Registry;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.BlueGreenDeployment;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blue-green deployments of a source's schema (the advanced module): start expands the schema and serves the old and
 * the new shape side by side as version schemas of views; complete contracts it to the new shape; rollback returns to
 * the old. Each step runs in the source as its user's DDL, with capture on: the version schemas, their views and
 * every physical change are the source's history like any other change, and remotes follow. A deployment's state and
 * the SQL of each step (made when it starts) are on the compacted {@code gitversion.bluegreen}, one per schema.
 */
public final class BlueGreen {
  private static final Pattern NUMBERED = Pattern.compile("v(\\d+)");
  private static final String LOCK_TIMEOUT = "5s";

  private final Registry registry;

  public BlueGreen(Registry registry) {
    this.registry = registry;
  }

  /** Every deployment (the last of each schema), by source/schema. */
  public Map<String, BlueGreenDeployment> all() {
    return registry.read(Topics.BLUEGREEN);
  }

  private static String key(PgUrl source, String schema) {
    return source.database() + "/" + schema;
  }

  /**
   * Expands {@code schema} for {@code statements}: in one transaction, the tables get what the new shape adds, the old
   * version schema gets a view per table as it was, the new one a view per table as it is to be; then NOT NULL checks
   * are validated and indexes made concurrently, each on its own. A failure after the transaction rolls the deployment
   * back (nothing is left half made) and is reported.
   */
  public BlueGreenDeployment start(PgUrl source, String schema, List<String> statements, String version, String by) throws SQLException {
    BlueGreenDeployment last = all().get(key(source, schema));
    if (last != null && last.getState().equals("active")) {
      throw new UserError("a blue-green deployment of " + schema + " is active (" + last.getFromVersion() + " and " + last.getToVersion()
          + " served): complete or roll it back first");
    }
    String from = last != null && last.getState().equals("completed") ? last.getToVersion() : "v1";
    String to = version;
    if (to == null) {
      Matcher m = NUMBERED.matcher(from);
      if (!m.matches()) {
        throw new UserError("the shape served now is version " + from + ": name the new one (--new-version)");
      }
      to = "v" + (Integer.parseInt(m.group(1)) + 1);
    }
    if (!to.matches("[a-z0-9_]{1,30}") || to.equals(from)) {
      throw new UserError("a version is named with lower-case letters, digits and '_', and is not the one served now (" + from + "), not " + to);
    }
    BlueGreenDeployment deployment;
    try (Connection c = Database.connect(source)) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
        if (!exists(c, "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = " + io.gitversion.catalog.Sql.literal(schema))) {
          throw new UserError("no schema " + schema + " in " + source);
        }
        Expansion e = Expansion.of(c, schema, from, to, statements);
        if (exists(c, "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = " + io.gitversion.catalog.Sql.literal(e.versionSchema(to)))) {
          throw new UserError("schema " + e.versionSchema(to) + " exists already: name another version (--new-version)");
        }
        List<String> expand = e.expand();
        run(st, e.oldViews());
        run(st, expand);
        run(st, e.newViews(c));
        c.commit();
        List<String> expanded = new ArrayList<>(expand);
        expanded.addAll(e.afterExpand());
        deployment = BlueGreenDeployment.newBuilder().setSource(source.database()).setSchema$(schema).setUrl(source.withPassword(null).toString())
            .setFromVersion(from).setToVersion(to).setState("active").setMigration(statements)
            .setOperations(e.operations().stream().map(Expansion.Operation::describe).toList())
            .setExpand(expanded).setContract(e.contract()).setRevert(e.revert()).setChangedBy(by).setStartedAt(Instant.now()).build();
        publish(deployment);
        c.setAutoCommit(true);
        for (String sql : e.afterExpand()) {
          try {
            st.execute(sql);
          } catch (SQLException failed) {
            String why = Database.firstLine(failed.getMessage());
            BlueGreenDeployment rolledBack = end(source, deployment, deployment.getRevert(), "failed",
                "not started: " + sql + ": " + why + "; rolled back (both shapes' rows kept)", by);
            throw new UserError("blue-green deployment of " + schema + " not started: " + why + " (" + sql + "); "
                + rolledBack.getOutcome().substring(rolledBack.getOutcome().lastIndexOf("; ") + 2));
          }
        }
      } catch (SQLException | RuntimeException failed) {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
        if (failed instanceof SQLException sql) {
          throw new UserError("blue-green deployment of " + schema + " not started: " + Database.firstLine(sql.getMessage()) + " (nothing changed)");
        }
        throw failed;
      }
    }
    return deployment;
  }

  /** Contracts the active deployment of {@code schema}: the old shape removed, the tables given the new one. */
  public BlueGreenDeployment complete(PgUrl source, String schema, String by) throws SQLException {
    BlueGreenDeployment d = active(source, schema);
    return end(source, d, d.getContract(), "completed", "completed: " + d.getToVersion() + " is the only shape; the tables have it", by);
  }

  /** Rolls the active deployment of {@code schema} back: the new shape removed, what start added to the tables removed. */
  public BlueGreenDeployment rollback(PgUrl source, String schema, String by) throws SQLException {
    BlueGreenDeployment d = active(source, schema);
    return end(source, d, d.getRevert(), "rolled back", "rolled back: " + d.getFromVersion() + " is the only shape; rows written "
        + "through either kept (what only the new shape had, its new columns and tables, removed)", by);
  }

  private BlueGreenDeployment active(PgUrl source, String schema) {
    BlueGreenDeployment d = all().get(key(source, schema));
    if (d == null || !d.getState().equals("active")) {
      throw new UserError("no active blue-green deployment of " + schema + " in " + source.database()
          + (d == null ? "" : " (the last one is " + d.getState() + ")") + ": gitversion bluegreen status");
    }
    return d;
  }

  /** Runs a step's SQL in one transaction, and records how the deployment ended. */
  private BlueGreenDeployment end(PgUrl source, BlueGreenDeployment d, List<String> step, String state, String outcome, String by)
      throws SQLException {
    try (Connection c = Database.connect(source)) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
        run(st, step);
        c.commit();
      } catch (SQLException failed) {
        c.rollback();
        throw new UserError("blue-green deployment of " + d.getSchema$() + ": " + state.replace("rolled back", "roll back").replace("completed", "complete")
            + " failed, nothing changed (both shapes still served): " + Database.firstLine(failed.getMessage()));
      }
    }
    BlueGreenDeployment ended = BlueGreenDeployment.newBuilder(d).setState(state).setOutcome(outcome).setChangedBy(by).setEndedAt(Instant.now()).build();
    publish(ended);
    return ended;
  }

  private void publish(BlueGreenDeployment d) {
    registry.write(Topics.BLUEGREEN, d.getSource() + "/" + d.getSchema$(), d);
  }

  private static void run(Statement st, List<String> statements) throws SQLException {
    for (String sql : statements) {
      st.execute(sql);
    }
  }

  private static boolean exists(Connection c, String query) throws SQLException {
    try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(query)) {
      return rs.next();
    }
  }
}
