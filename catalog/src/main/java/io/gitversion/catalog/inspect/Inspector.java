package io.gitversion.catalog.inspect;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.Sql;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.Relation;
import io.gitversion.catalog.model.SchemaModel;
import io.gitversion.catalog.model.Snapshots;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Reads the objects of a live database through the same snapshot SQL the capture trigger uses, created in the
 * session's {@code pg_temp} so that nothing is installed in the inspected database.
 */
public final class Inspector {
  private static final String TABLES = """
      SELECT pg_temp.relation_snapshot(c.oid)::text
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p')
         AND pg_temp.is_tracked_schema(n.nspname)
         AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                          WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
       ORDER BY n.nspname, c.relname
      """;

  private static final int FETCH_SIZE = 2_000;
  /**
   * The catalog queries of a large database cost enough for PostgreSQL to compile them with JIT, which takes longer
   * than running them (a second on bench/diff's 10,000 tables): off for the inspecting transactions.
   */
  private static final String NO_JIT = "SET LOCAL jit = off";
  /**
   * The table query sorts every column of the database (by table, and within each table by name): with the default
   * 4 MB it spills to temporary files at 10,000 tables. Only for the inspecting transactions.
   */
  private static final String SORT_MEMORY = "SET LOCAL work_mem = '64MB'";
  private static final Map<String, String> QUERIES = SnapshotSql.inspectionQueries("pg_temp");
  /** The kinds, the costliest query first (measured on bench/diff's 10,000 tables), so two sessions end together. */
  private static final List<String> BY_COST = byCost(List.of("table", "constraint", "index", "sequence", "view", "type"));

  private static List<String> byCost(List<String> costliest) {
    List<String> kinds = new ArrayList<>(costliest);
    QUERIES.keySet().stream().filter(k -> !kinds.contains(k)).forEach(kinds::add);
    return List.copyOf(kinds);
  }

  private final Connection connection;

  public Inspector(Connection connection) throws SQLException {
    this.connection = connection;
    try (Statement st = connection.createStatement()) {
      st.execute(SnapshotSql.forSchema("pg_temp"));
    }
  }

  /**
   * Runs the catalog queries with {@code search_path = pg_catalog, pg_temp} (so every name deparses qualified), and
   * gives the caller's session its own search_path back afterwards.
   */
  private <T> T pinned(SqlWork<T> work) throws SQLException {
    String original;
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_catalog.current_setting('search_path')")) {
      rs.next();
      original = rs.getString(1);
    }
    try (Statement st = connection.createStatement()) {
      st.execute("SET search_path = pg_catalog, pg_temp");
    }
    try {
      return work.run();
    } finally {
      try (PreparedStatement restore = connection.prepareStatement("SELECT pg_catalog.set_config('search_path', ?, false)")) {
        restore.setString(1, original);
        restore.execute();
      }
    }
  }

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** Every tracked object of the database; with schemas given, only the objects in those schemas. */
  public SchemaModel inspect(Set<String> schemas) throws SQLException {
    return pinned(() -> inspectPinned(schemas));
  }

  private SchemaModel inspectPinned(Set<String> schemas) throws SQLException {
    return SchemaModel.of(runQueries(new ConcurrentLinkedQueue<>(QUERIES.keySet()), schemas));
  }

  /**
   * Inspects the database at {@code url} over two sessions that share one exported snapshot (as {@code pg_dump -j}
   * does), so that the result is one consistent state: the kinds' queries are taken from one queue by both, the most
   * expensive first, and their rows parsed in parallel.
   */
  public static SchemaModel inspect(PgUrl url, Set<String> schemas) throws SQLException {
    return inspect(url, schemas, 2);
  }

  /**
   * Inspects the database at {@code url} over {@code sessions} sessions. One is enough when the caller inspects
   * another database at the same time ({@code gitversion diff}): each session pays for its functions and for filling
   * its catalog caches, and the other database's session already has the second core.
   */
  public static SchemaModel inspect(PgUrl url, Set<String> schemas, int sessions) throws SQLException {
    if (sessions < 1) {
      throw new IllegalArgumentException("sessions must be at least 1, got " + sessions);
    }
    try (Sessions open = new Sessions()) {
      List<Connection> connections = open.connections;
      for (int i = 0; i < sessions; i++) {
        connections.add(Database.connect(url));
      }
      List<Inspector> inspectors = new ArrayList<>();
      for (Connection c : connections) {
        inspectors.add(new Inspector(c));
        c.setAutoCommit(false);
      }
      String snapshot = null;
      for (Connection c : connections) {
        try (Statement st = c.createStatement()) {
          st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          if (snapshot == null && sessions > 1) {
            try (ResultSet rs = st.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
              rs.next();
              snapshot = rs.getString(1);
            }
          } else if (snapshot != null) {
            st.execute("SET TRANSACTION SNAPSHOT " + Sql.literal(snapshot));
          }
          st.execute(NO_JIT);
          st.execute(SORT_MEMORY);
        }
      }
      Queue<String> queue = new ConcurrentLinkedQueue<>(BY_COST);
      List<CompletableFuture<List<DbObject>>> helpers = new ArrayList<>();
      for (Inspector helper : inspectors.subList(1, inspectors.size())) {
        helpers.add(CompletableFuture.supplyAsync(() -> {
          try {
            return helper.pinned(() -> helper.runQueries(queue, schemas));
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        }));
      }
      Inspector lead = inspectors.get(0);
      List<DbObject> objects = new ArrayList<>(lead.pinned(() -> lead.runQueries(queue, schemas)));
      for (CompletableFuture<List<DbObject>> helped : helpers) {
        try {
          objects.addAll(helped.join());
        } catch (CompletionException e) {
          if (e.getCause() instanceof SQLException sql) {
            throw sql;
          }
          throw e;
        }
      }
      for (Connection c : connections) {
        c.commit();
      }
      return SchemaModel.of(objects);
    }
  }

  /** The inspecting sessions, closed together (the first failure to close is thrown, the others suppressed by it). */
  private static final class Sessions implements AutoCloseable {
    final List<Connection> connections = new ArrayList<>();

    @Override
    public void close() throws SQLException {
      SQLException failure = null;
      for (Connection c : connections) {
        try {
          c.close();
        } catch (SQLException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  /** Runs the kinds' queries taken from {@code queue} until it is empty. */
  private List<DbObject> runQueries(Queue<String> queue, Set<String> schemas) throws SQLException {
    List<DbObject> objects = new ArrayList<>();
    for (String kind = queue.poll(); kind != null; kind = queue.poll()) {
      try (Statement st = connection.createStatement()) {
        // in batches (inside a transaction, pgjdbc then reads through a portal): rows are parsed while the server is
        // still producing the rest, and the raw rows die young instead of being copied by every collection
        st.setFetchSize(FETCH_SIZE);
        ResultSet rs = st.executeQuery(QUERIES.get(kind));
        while (rs.next()) {
          DbObject object = DbObject.withExtraText(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), List.of((String[]) rs.getArray(7).getArray()), rs.getString(8),
              rs.getString(9), rs.getString(11), rs.getString(12), rs.getString(13));
          if (!schemas.isEmpty() && !schemas.contains(object.schema())) {
            continue;
          }
          objects.add(object);
        }
      } catch (SQLException e) {
        throw new SQLException("inspecting " + kind + "s failed: " + e.getMessage(), e.getSQLState(), e);
      }
    }
    return objects;
  }

  /** Every tracked table, ordered by schema and name. */
  public List<Relation> tables() throws SQLException {
    return pinned(this::tablesPinned);
  }

  private List<Relation> tablesPinned() throws SQLException {
    List<Relation> tables = new ArrayList<>();
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(TABLES)) {
      while (rs.next()) {
        tables.add(Snapshots.relation(rs.getString(1)));
      }
    }
    return tables;
  }
}
