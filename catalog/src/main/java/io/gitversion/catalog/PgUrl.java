package io.gitversion.catalog;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A PostgreSQL connection address, parsed from {@code postgresql://user[:password]@host[:port]/db[?k=v]} or the
 * same behind {@code jdbc:}. {@link #toString()} never shows the password.
 */
public record PgUrl(String user, String password, String host, int port, String database, Map<String, String> params) {
  public PgUrl {
    params = Map.copyOf(params);
  }

  public static PgUrl parse(String text) {
    if (text == null || text.isBlank()) {
      throw new UserError("missing database URL: expected postgresql://user[:password]@host:port/database");
    }
    String s = text.strip();
    if (s.startsWith("jdbc:")) {
      s = s.substring(5);
    }
    if (s.startsWith("postgres://")) {
      s = "postgresql://" + s.substring("postgres://".length());
    }
    if (!s.startsWith("postgresql://")) {
      throw new UserError("not a PostgreSQL URL: " + redact(text) + " (expected postgresql://user[:password]@host:port/database)");
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new UserError("malformed PostgreSQL URL: " + redact(text) + " (" + e.getReason() + ")");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new UserError("PostgreSQL URL has no host: " + redact(text));
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = decode(path.startsWith("/") ? path.substring(1) : path);
    if (database.isEmpty()) {
      throw new UserError("PostgreSQL URL names no database: " + redact(text));
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(info.substring(colon + 1));
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (key.equals("user") && user == null) {
          user = value;
        } else if (key.equals("password") && password == null) {
          password = value;
        } else {
          params.put(key, value);
        }
      }
    }
    return new PgUrl(user == null ? "postgres" : user, password, host, uri.getPort() < 0 ? 5432 : uri.getPort(), database, params);
  }

  /** The JDBC URL without credentials; pass {@link #jdbcProperties()} beside it. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + hostForUri() + ':' + port + '/' + encode(database) + query();
  }

  public Properties jdbcProperties() {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("ApplicationName", "gitversion");
    return props;
  }

  /** The URL with its password, for handing to another process; never log it. */
  public String toUriWithPassword() {
    return render(true);
  }

  /** A copy of this URL with another password (null: none). */
  public PgUrl withPassword(String otherPassword) {
    return new PgUrl(user, otherPassword, host, port, database, params);
  }

  /** A copy of this URL pointing at another database on the same server. */
  public PgUrl withDatabase(String otherDatabase) {
    return new PgUrl(user, password, host, port, otherDatabase, params);
  }

  @Override
  public String toString() {
    return render(false);
  }

  private String render(boolean withPassword) {
    StringBuilder s = new StringBuilder("postgresql://").append(encode(user));
    if (password != null) {
      s.append(':').append(withPassword ? encode(password) : "***");
    }
    s.append('@').append(hostForUri()).append(':').append(port).append('/').append(encode(database)).append(query());
    return s.toString();
  }

  private String query() {
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      query.append(query.length() == 0 ? '?' : '&').append(encode(e.getKey())).append('=').append(encode(e.getValue()));
    }
    return query.toString();
  }

  private String hostForUri() {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Hides the password of a URL-like text that may not even parse, for error messages. */
  public static String redact(String text) {
    return text == null ? "" : text.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
