package io.gitversion.catalog.inspect;

import io.gitversion.catalog.Database;
import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.Sql;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectHash;
import io.gitversion.catalog.model.Relation;
import io.gitversion.catalog.model.SchemaHashes;
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
import java.util.function.Function;
import java.util.function.Predicate;

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
  private static final Map<String, String> HASH_QUERIES = SnapshotSql.hashQueries("pg_temp", false);
  /** What the hashes are read with: part of every {@link Fingerprint}, so that hashes kept by another release are not used. */
  private static final String HASH_QUERIES_TEXT = SnapshotSql.forSchema("pg_temp") + new java.util.TreeMap<>(HASH_QUERIES);
  private static final Map<String, String> HASH_AND_TEXT_QUERIES = SnapshotSql.hashQueries("pg_temp", true);
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
    T result;
    try {
      result = work.run();
    } catch (SQLException | RuntimeException e) {
      // the work's failure is the one to report (and to retry on): in a transaction it aborted, the restore fails too
      try {
        restoreSearchPath(original);
      } catch (SQLException restoreFailure) {
        e.addSuppressed(restoreFailure);
      }
      throw e;
    }
    restoreSearchPath(original);
    return result;
  }

  private void restoreSearchPath(String original) throws SQLException {
    try (PreparedStatement restore = connection.prepareStatement("SELECT pg_catalog.set_config('search_path', ?, false)")) {
      restore.setString(1, original);
      restore.execute();
    }
  }

  interface SqlWork<T> {
    T run() throws SQLException;
  }

  /**
   * Every tracked object of the database; with schemas given, only the objects in those schemas. On a connection in
   * autocommit mode, in one read-only repeatable-read transaction of its own, so that every kind (and the list of
   * tables the table query takes) is read in one snapshot; in the caller's transaction otherwise.
   */
  public SchemaModel inspect(Set<String> schemas) throws SQLException {
    return againAfterConcurrentDdl(() -> pinned(() -> inOneSnapshot(() -> inspectPinned(schemas))));
  }

  private <T> T inOneSnapshot(SqlWork<T> work) throws SQLException {
    if (!connection.getAutoCommit()) {
      return work.run();
    }
    connection.setAutoCommit(false);
    try {
      try (Statement st = connection.createStatement()) {
        st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      }
      T result = work.run();
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailure) { // a broken connection: the inspection's failure says more
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    } finally {
      if (!connection.isClosed()) {
        connection.setAutoCommit(true);
      }
    }
  }

  /**
   * How often an inspection is run when DDL committed while it ran breaks it. PostgreSQL's deparsing functions read
   * the catalogs as they are now, not as the inspecting snapshot sees them: an object that another transaction dropped
   * meanwhile makes them return null (then {@link #DROPPED_MEANWHILE}) or fail with "cache lookup failed" or "could
   * not open relation with OID" (internal errors, XX000, whose texts are never translated). pg_dump prevents it by
   * locking every table; an inspection takes no lock and reads again instead.
   */
  private static final int ATTEMPTS = 3;
  static final String DROPPED_MEANWHILE = "was dropped while the database was read";
  private static final java.util.regex.Pattern CONCURRENT_DDL =
      java.util.regex.Pattern.compile("cache lookup failed|could not open relation with OID|" + DROPPED_MEANWHILE);

  static <T> T againAfterConcurrentDdl(SqlWork<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run();
      } catch (SQLException e) {
        if (attempt == ATTEMPTS || !"XX000".equals(e.getSQLState()) || !CONCURRENT_DDL.matcher(String.valueOf(e.getMessage())).find()) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  /** A moment before reading again (0.2 s, then 0.4 s), for a migration that is running to get further or finish. */
  private static void pause(int attempt) throws SQLException {
    try {
      Thread.sleep(200L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting to inspect again", e);
    }
  }

  private SchemaModel inspectPinned(Set<String> schemas) throws SQLException {
    return SchemaModel.of(runQueries(new ConcurrentLinkedQueue<>(QUERIES.keySet()), QUERIES, Inspector::object,
        // objects of no schema (casts, event triggers) belong to the whole database, not to the schemas asked for
        schemas.isEmpty() ? o -> true : o -> o.schema() != null && schemas.contains(o.schema())));
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
    return SchemaModel.of(againAfterConcurrentDdl(() -> read(url, sessions, QUERIES, Inspector::object, DbObject::schema, schemas)));
  }

  /**
   * The hashes of every tracked object of the database at {@code url} (with schemas given, of those in them), and
   * their canonical texts when {@code withTexts}: the same hashes {@link #inspect} gives, read over two sessions as it
   * does, without reading and parsing what only a plan needs.
   */
  public static SchemaHashes hashes(PgUrl url, Set<String> schemas, boolean withTexts) throws SQLException {
    return hashes(url, schemas, withTexts, 2);
  }

  /**
   * The same over {@code sessions} sessions: one when many databases are read at once (each session pays for creating
   * the catalog functions and filling its caches, and the other databases' sessions have the cores already).
   */
  public static SchemaHashes hashes(PgUrl url, Set<String> schemas, boolean withTexts, int sessions) throws SQLException {
    return SchemaHashes.of(againAfterConcurrentDdl(() -> read(url, sessions, withTexts ? HASH_AND_TEXT_QUERIES : HASH_QUERIES,
        rs -> ObjectHash.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), presentHash(rs, 5),
            withTexts ? rs.getString(6) : null),
        ObjectHash::schema, schemas)));
  }

  /**
   * The same hashes (of every schema, or of those given) as {@link #hashes(PgUrl, Set, boolean, int)} reads, taken
   * from {@code cache} while the database's {@link Fingerprint} is the one they were kept at, else read and kept. The
   * fingerprint is read first, in a session of its own (before an inspecting session creates its functions).
   */
  public static SchemaHashes hashes(PgUrl url, Set<String> schemas, int sessions, HashCache cache) throws SQLException {
    String database = url.host() + ":" + url.port() + "/" + url.database();
    String fingerprint;
    try (Connection connection = Database.connect(url)) {
      fingerprint = Fingerprint.of(connection, HASH_QUERIES_TEXT);
    }
    List<ObjectHash> every = cache.get(database, fingerprint);
    if (every == null) {
      every = hashes(url, Set.of(), false, sessions).objects();
      cache.put(database, fingerprint, every);
    }
    return SchemaHashes.of(schemas.isEmpty() ? every : every.stream().filter(o -> schemas.contains(o.schema())).toList());
  }

  /** One object of a row of the inspection queries (their columns in SnapshotSql.COLUMNS' order, canonical, tail, hash). */
  private static DbObject object(ResultSet rs) throws SQLException {
    String hash = presentHash(rs, 14);
    return DbObject.withExtraText(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), List.of((String[]) rs.getArray(7).getArray()), rs.getString(8),
        rs.getString(9), rs.getString(11), rs.getString(12), rs.getString(13), hash);
  }

  /**
   * The row's hash. None means the deparsing functions found the object gone (they return null for an OID they no
   * longer find): it was dropped after the inspecting snapshot was taken, and the inspection is read again.
   */
  private static String presentHash(ResultSet rs, int column) throws SQLException {
    String hash = rs.getString(column);
    if (hash == null) {
      throw new SQLException(rs.getString(1) + " " + rs.getString(2) + "." + rs.getString(4) + " " + DROPPED_MEANWHILE, "XX000");
    }
    return hash;
  }

  /** Reads one row of a query into a value. */
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * Runs {@code queries} (by kind) over {@code sessions} sessions in one snapshot, each session taking the next kind
   * from one queue; keeps the rows whose schema is among {@code schemas} (every row when it is empty).
   */
  private static <T> List<T> read(PgUrl url, int sessions, Map<String, String> queries, RowReader<T> reader,
                                  Function<T, String> schemaOf, Set<String> schemas) throws SQLException {
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
      Predicate<T> kept = schemas.isEmpty() ? row -> true : row -> schemas.contains(schemaOf.apply(row));
      List<CompletableFuture<List<T>>> helpers = new ArrayList<>();
      for (Inspector helper : inspectors.subList(1, inspectors.size())) {
        helpers.add(CompletableFuture.supplyAsync(() -> {
          try {
            return helper.pinned(() -> helper.runQueries(queue, queries, reader, kept));
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        }));
      }
      Inspector lead = inspectors.get(0);
      List<T> rows = new ArrayList<>(lead.pinned(() -> lead.runQueries(queue, queries, reader, kept)));
      for (CompletableFuture<List<T>> helped : helpers) {
        try {
          rows.addAll(helped.join());
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
      return rows;
    }
  }

  /** The inspecting sessions, closed together (the first failure to close is thrown, the others suppressed by it). */
  private static final class Sessions implements AutoCloseable {
    final List<Connection> connections = new ArrayList<>();

    @Override
    public void close() throws SQLException {
      SQLException failure = null;
      for (Connection c : connections) {
        dropFunctions(c);
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

    /**
     * Drops the session's functions in {@code pg_temp} before it closes: a server drops them after the client has
     * gone, and until then they are rows of the catalogs, which a {@link Fingerprint} read meanwhile (the next
     * command's) would count as a change. A session that cannot (broken) is closed anyway.
     */
    private static void dropFunctions(Connection c) {
      try (Statement st = c.createStatement()) {
        if (!c.getAutoCommit()) {
          c.rollback();
          c.setAutoCommit(true);
        }
        st.execute("DISCARD TEMP");
      } catch (SQLException e) { // closed or broken: nothing to clean up that the server will not
      }
    }
  }

  /** Runs the kinds' queries taken from {@code queue} until it is empty, keeping the rows {@code kept} accepts. */
  private <T> List<T> runQueries(Queue<String> queue, Map<String, String> queries, RowReader<T> reader, Predicate<T> kept)
      throws SQLException {
    List<T> rows = new ArrayList<>();
    for (String kind = queue.poll(); kind != null; kind = queue.poll()) {
      String sql = queries.get(kind);
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        if (sql.contains(SnapshotSql.TABLES_PARAMETER)) {
          st.setString(1, tableOids());
        }
        // in batches (inside a transaction, pgjdbc then reads through a portal): rows are parsed while the server is
        // still producing the rest, and the raw rows die young instead of being copied by every collection
        st.setFetchSize(FETCH_SIZE);
        ResultSet rs = st.executeQuery();
        while (rs.next()) {
          T row = reader.read(rs);
          if (kept.test(row)) {
            rows.add(row);
          }
        }
      } catch (SQLException e) {
        throw new SQLException("reading the " + kind + " rows failed: " + e.getMessage(), e.getSQLState(), e);
      }
    }
    return rows;
  }

  /** The OIDs of every table in the transaction's snapshot, as an array literal. */
  private String tableOids() throws SQLException {
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(SnapshotSql.TABLE_OIDS)) {
      rs.next();
      String oids = rs.getString(1);
      return oids == null ? "{}" : oids;
    }
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
