package io.gitversion.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The settings every definition is written (and so hashed) under, whatever the session's own. PostgreSQL writes a
 * constant as the session's settings say: a date default under {@code DateStyle = 'SQL, DMY'} as {@code '05/06/2026'},
 * a timestamptz in the session's time zone, an interval in its style. A definition captured in a user's session would
 * then hash differently from the same object inspected by ours, and, applied under another {@code DateStyle}, could
 * mean another day. Under these settings a constant is written in ISO form, in UTC, readable the same way by any
 * session. The one owner of them: the SQL installed in a source takes them as {@code SET} clauses ({@link #into}: the
 * capture triggers, {@code live_objects()}, the SQL interface's functions that render), and every session of ours sets
 * them when it opens ({@link #pin}). Those sessions also run users' scripts ({@code apply --file}, blue-green
 * migrations): there they decide how input is read where it depends on settings (a timestamp without an offset is
 * read in UTC; a date's field order stays the server's; backslashes in strings are standard).
 */
public final class Rendering {
  private static final Map<String, String> SETTINGS = settings();

  private Rendering() {}

  private static Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    // the output format only: the field order (MDY, DMY) stays the server's, as it decides how a script's dates read
    settings.put("DateStyle", "ISO");
    settings.put("IntervalStyle", "postgres");
    settings.put("TimeZone", "UTC");
    settings.put("extra_float_digits", "1");             // any positive value: the shortest text that reads back exactly
    settings.put("bytea_output", "hex");
    settings.put("standard_conforming_strings", "on");
    settings.put("quote_all_identifiers", "off");
    settings.put("lc_monetary", "C");
    return settings;
  }

  /** {@code sql} with each {@code @RENDERING@} made the settings' {@code SET} clauses of a function. */
  public static String into(String sql) {
    return sql.replace("@RENDERING@", sets(" "));
  }

  /** Sets them in {@code connection}'s session (outside a transaction, or in one that commits). */
  public static void pin(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute(sets("; "));
    }
  }

  /** One {@code SET name = 'value'} a setting, joined by {@code separator}: a function's clauses, or statements. */
  private static String sets(String separator) {
    return SETTINGS.entrySet().stream().map(s -> "SET " + s.getKey() + " = " + Sql.literal(s.getValue()))
        .collect(Collectors.joining(separator));
  }
}
