package io.gitversion.catalog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Opens connections with failures a user can read: which server, and why not. */
public final class Database {
  private Database() {}

  public static Connection connect(PgUrl url) {
    try {
      return DriverManager.getConnection(url.jdbcUrl(), url.jdbcProperties());
    } catch (SQLException e) {
      throw new UserError("cannot connect to " + url + ": " + firstLine(e.getMessage()), e);
    }
  }

  /** True when the error means the server or the connection is gone (worth retrying), not that the SQL was wrong. */
  public static boolean isConnectionFailure(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"));
  }

  public static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }
}
