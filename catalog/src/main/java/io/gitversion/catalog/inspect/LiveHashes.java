package io.gitversion.catalog.inspect;

import io.gitversion.catalog.model.DbObject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hashes that a few named objects have in a database now, each read by its id (the catalog's per-kind query for
 * one OID, as the capture trigger reads it), not by inspecting the whole database: what the syncer checks before and
 * after applying a commit. The functions live in the session's {@code pg_temp}, made once per session.
 */
public final class LiveHashes {
  private final Connection connection;

  /** Creates the catalog functions in the session's {@code pg_temp}; the caller commits if it is in a transaction. */
  public LiveHashes(Connection connection) throws SQLException {
    this.connection = connection;
    try (Statement st = connection.createStatement()) {
      st.execute(SnapshotSql.forSchema("pg_temp"));
    }
  }

  /**
   * The hash of each object now, by its id ({@link DbObject#id()}), in the order given; null for an object the
   * database does not have. Runs in the caller's transaction, so it sees what the transaction did so far.
   */
  public Map<String, String> of(List<DbObject> objects) throws SQLException {
    Map<String, String> hashes = new LinkedHashMap<>();
    if (objects.isEmpty()) {
      return hashes;
    }
    List<String> kinds = new ArrayList<>();
    List<String> schemas = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> tables = new ArrayList<>();
    List<String> identities = new ArrayList<>();
    for (DbObject o : objects) {
      kinds.add(o.kind().label());
      schemas.add(o.schema());
      names.add(o.name());
      tables.add(o.table());
      identities.add(o.identity());
    }
    try (PreparedStatement ps = connection.prepareStatement("SELECT n, hash FROM pg_temp.hashes_of(?, ?, ?, ?, ?)")) {
      ps.setArray(1, texts(kinds));
      ps.setArray(2, texts(schemas));
      ps.setArray(3, texts(names));
      ps.setArray(4, texts(tables));
      ps.setArray(5, texts(identities));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          hashes.put(objects.get(rs.getInt(1) - 1).id(), rs.getString(2));
        }
      }
    }
    return hashes;
  }

  /**
   * The hash of each object an id names ({@code kind schema.identity}), null for one the database does not have (nor
   * can be found by its id alone: what lives on a table needs its table's name, which an id does not carry).
   */
  public Map<String, String> ofIds(List<String> ids) throws SQLException {
    List<DbObject> objects = new ArrayList<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    for (String id : ids) {
      hashes.put(id, null);
      int space = id.indexOf(' ');
      int dot = id.indexOf('.', space + 1);
      if (space < 0 || dot < 0) {
        continue;
      }
      String kind = id.substring(0, space);
      String schema = id.substring(space + 1, dot);
      String identity = id.substring(dot + 1);
      int paren = identity.indexOf('(');
      String name = paren > 0 ? identity.substring(0, paren) : identity;
      try {
        objects.add(new DbObject(kind, schema.equals("null") ? null : schema, name, identity, null, null, List.of(), null, null, null, "", null));
      } catch (IllegalArgumentException notTracked) {
        // a kind the model does not track: cannot be read by id
      }
    }
    Map<String, String> found = of(objects);
    found.forEach((id, hash) -> hashes.put(id, hash));
    return hashes;
  }

  /**
   * The hash {@code object} has when this server writes its definition. PostgreSQL releases write some definitions
   * differently (16 stopped qualifying the columns of a view over one relation: {@code SELECT t.id FROM s.t} became
   * {@code SELECT id FROM s.t}), so an object read on a server of another release is compared by what this server makes
   * of its definition: a view's query is read back through a temporary view made of it (in a savepoint, rolled back;
   * in a transaction of its own outside one). Other kinds, and a query this server cannot take, keep their hash.
   */
  public String renderedHash(DbObject object) throws SQLException {
    if (object.kind() != io.gitversion.catalog.model.ObjectKind.VIEW || object.ddl() == null) {
      return object.hash();
    }
    String ddl = object.ddl();
    int as = queryStart(object, ddl);
    boolean noData = ddl.endsWith(" WITH NO DATA;");
    int end = ddl.length() - (noData ? " WITH NO DATA;".length() : 1);
    if (as < 0 || end <= as) {
      return object.hash();
    }
    String rendered = renderView(ddl.substring(as, end));
    if (rendered == null) {
      return object.hash();
    }
    String canonical = ddl.substring(0, as) + rendered + ddl.substring(end) + object.canonical().substring(ddl.length());
    return io.gitversion.catalog.model.Sha256.of(canonical);
  }

  /** Where a view's query starts in its statement (objects/view.sql: CREATE [MATERIALIZED] VIEW name [WITH (...)] AS). */
  private int queryStart(DbObject view, String ddl) throws SQLException {
    String name;
    try (PreparedStatement ps = connection.prepareStatement("SELECT pg_catalog.quote_ident(?) || '.' || pg_catalog.quote_ident(?)")) {
      ps.setString(1, view.schema());
      ps.setString(2, view.name());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        name = rs.getString(1);
      }
    }
    int at = ddl.indexOf(name);
    if (at < 0) {
      return -1;
    }
    at += name.length();
    if (ddl.startsWith(" WITH (", at)) {
      at = ddl.indexOf(')', at) + 1; // reloptions: key=value pairs, no parentheses inside
    }
    return ddl.startsWith(" AS ", at) ? at + 4 : -1;
  }

  /** The query as this server writes it (pg_get_viewdef, search_path pg_catalog as the catalog reads it); null if refused. */
  private String renderView(String query) throws SQLException {
    boolean own = connection.getAutoCommit();
    if (own) {
      connection.setAutoCommit(false);
    }
    java.sql.Savepoint savepoint = own ? null : connection.setSavepoint();
    try (Statement st = connection.createStatement()) {
      st.execute("SET LOCAL search_path = pg_catalog, pg_temp");
      st.execute("CREATE VIEW pg_temp.gitversion_rendered AS " + query);
      try (ResultSet rs = st.executeQuery("SELECT pg_catalog.rtrim(pg_catalog.pg_get_viewdef('pg_temp.gitversion_rendered'::pg_catalog.regclass), ';')")) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException refused) {
      return null; // not a query this server takes (what it names is missing here): the definitions differ
    } finally {
      if (own) {
        connection.rollback();
        connection.setAutoCommit(true);
      } else {
        connection.rollback(savepoint);
        connection.releaseSavepoint(savepoint);
      }
    }
  }

  private Array texts(List<String> values) throws SQLException {
    return connection.createArrayOf("text", values.toArray());
  }
}
