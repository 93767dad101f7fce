package io.gitversion.catalog.inspect;

import io.gitversion.catalog.model.Relation;
import io.gitversion.catalog.model.Snapshots;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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

  private final Connection connection;

  public Inspector(Connection connection) throws SQLException {
    this.connection = connection;
    try (Statement st = connection.createStatement()) {
      st.execute(SnapshotSql.forSchema("pg_temp"));
    }
  }

  /** Every tracked table, ordered by schema and name. */
  public List<Relation> tables() throws SQLException {
    List<Relation> tables = new ArrayList<>();
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(TABLES)) {
      while (rs.next()) {
        tables.add(Snapshots.relation(rs.getString(1)));
      }
    }
    return tables;
  }
}
