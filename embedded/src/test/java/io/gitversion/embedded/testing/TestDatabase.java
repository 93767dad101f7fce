package io.gitversion.embedded.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** One database of a test server: its URL, and SQL run on it the way a user's session runs it (autocommit). */
public final class TestDatabase {
  private final String url;

  TestDatabase(String url) {
    this.url = url;
  }

  /** A database that a test did not make (one that {@code gitversion up} started, say), by its URL. */
  public static TestDatabase at(String url) {
    return new TestDatabase(url);
  }

  /** {@code postgresql://user@host:port/database}, as the CLI and the stages take it. */
  public String url() {
    return url;
  }

  /** The name of the database. */
  public String name() {
    return URI.create(url).getPath().substring(1);
  }

  /** A new session; the caller closes it. */
  public Connection connect() throws SQLException {
    URI uri = URI.create(url);
    Properties props = new Properties();
    String userInfo = uri.getUserInfo();
    int colon = userInfo.indexOf(':');
    props.setProperty("user", colon < 0 ? userInfo : userInfo.substring(0, colon));
    if (colon >= 0) {
      props.setProperty("password", userInfo.substring(colon + 1));
    }
    return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), props);
  }

  /** Runs each statement (or script of several) in its own transaction, in one session. */
  public TestDatabase exec(String... statements) {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("on " + name() + ": " + e.getMessage(), e);
    }
    return this;
  }

  /** Runs the statements in one transaction. */
  public TestDatabase inTransaction(String... statements) {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String sql : statements) {
          st.execute(sql);
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("on " + name() + ": " + e.getMessage(), e);
    }
    return this;
  }

  /** The rows of a query, each a list of its columns as text (null for NULL). */
  public List<List<String>> query(String sql) {
    try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      List<List<String>> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>(columns);
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("on " + name() + ": " + e.getMessage(), e);
    }
  }

  /** The first column of each row, as text. */
  public List<String> column(String sql) {
    return query(sql).stream().map(row -> row.get(0)).toList();
  }

  /** The first column of the first row, as text; null when there is no row. */
  public String value(String sql) {
    List<List<String>> rows = query(sql);
    return rows.isEmpty() ? null : rows.get(0).get(0);
  }

  /**
   * Statements that run {@code ddl} in a session whose settings make PostgreSQL write constants otherwise than ours
   * (dates day first, in New York's time, intervals in SQL style, floats rounded, bytea escaped): in a function that
   * sets them, as pgjdbc refuses a session whose DateStyle is not ISO. For {@link #exec}.
   */
  public static String underOddSettings(String ddl) {
    return "CREATE OR REPLACE FUNCTION pg_temp.odd(ddl text) RETURNS void LANGUAGE plpgsql SET DateStyle = 'SQL, DMY'"
        + " SET TimeZone = 'America/New_York' SET IntervalStyle = 'sql_standard' SET extra_float_digits = 0"
        + " SET bytea_output = 'escape' AS $f$ BEGIN EXECUTE ddl; END $f$; SELECT pg_temp.odd($ddl$" + ddl + "$ddl$)";
  }

  /** The server's major release (14, 15, ...): for statements a release lacks (the version matrix). */
  public int serverMajor() {
    return Integer.parseInt(value("SHOW server_version_num")) / 10000;
  }

  @Override
  public String toString() {
    return url;
  }
}
