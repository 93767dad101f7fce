package io.gitversion.catalog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Opens connections with failures a user can read: which server, and why not. */
public final class Database {
  private Database() {}

  /** A session, with the settings every definition is written under ({@link Rendering}). */
  public static Connection connect(PgUrl url) {
    try {
      Connection connection = DriverManager.getConnection(url.jdbcUrl(), url.jdbcProperties());
      try {
        Rendering.pin(connection);
      } catch (SQLException e) {
        closeQuietly(connection);
        throw e;
      }
      return connection;
    } catch (SQLException e) {
      throw new UserError("cannot connect to " + url + ": " + firstLine(e.getMessage()), e);
    }
  }

  /** True when the error means the server or the connection is gone (worth retrying), not that the SQL was wrong. */
  /** Closes a connection being replaced or given up (a broken one fails to close: nothing to do about it); null is fine. */
  public static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // it is being replaced because it is broken
      }
    }
  }

  public static boolean isConnectionFailure(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"));
  }

  /**
   * A statement the server gave up on for a reason that passes: a statement or lock timeout (the remote is busy), a
   * deadlock or serialization failure. Worth trying again, unlike an error in the statement itself.
   */
  public static boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.equals("57014") || state.equals("55P03") || state.equals("40001") || state.equals("40P01"));
  }

  public static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }
}
