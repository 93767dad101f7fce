package io.gitversion.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * A SQL script split into its statements, as psql would send them: on semicolons outside quotes ('...', "..."),
 * dollar quotes ($tag$...$tag$) and comments (-- and /* *&#47;, nested). Comments are kept with the statement they
 * precede; empty statements are dropped.
 */
public final class SqlScript {
  private SqlScript() {}

  public static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (c == '\'' || c == '"') {
        int end = i + 1;
        while (end < n && !(script.charAt(end) == c && (end + 1 >= n || script.charAt(end + 1) != c))) {
          end += script.charAt(end) == c ? 2 : 1; // a doubled quote stays inside
        }
        current.append(script, i, Math.min(n, end + 1));
        i = end + 1;
      } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        end = end < 0 ? n : end;
        current.append(script, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int depth = 0;
        int end = i;
        do {
          if (script.startsWith("/*", end)) {
            depth++;
            end += 2;
          } else if (script.startsWith("*/", end)) {
            depth--;
            end += 2;
          } else {
            end++;
          }
        } while (depth > 0 && end < n);
        current.append(script, i, Math.min(n, end));
        i = end;
      } else if (c == '$' && dollarTag(script, i) != null) {
        String tag = dollarTag(script, i);
        int close = script.indexOf(tag, i + tag.length());
        int end = close < 0 ? n : close + tag.length();
        current.append(script, i, end);
        i = end;
      } else if (c == ';') {
        add(statements, current);
        current.setLength(0);
        i++;
      } else {
        current.append(c);
        i++;
      }
    }
    add(statements, current);
    return statements;
  }

  /** {@code $tag$} starting at {@code at}, or null (a positional parameter such as $1 is not a tag). */
  private static String dollarTag(String script, int at) {
    int end = at + 1;
    while (end < script.length() && (Character.isLetterOrDigit(script.charAt(end)) || script.charAt(end) == '_')) {
      end++;
    }
    if (end >= script.length() || script.charAt(end) != '$') {
      return null;
    }
    String tag = script.substring(at, end + 1);
    return tag.length() > 2 && Character.isDigit(tag.charAt(1)) ? null : tag;
  }

  private static void add(List<String> statements, StringBuilder current) {
    String statement = current.toString().strip();
    if (!statement.isEmpty() && !statement.lines().allMatch(l -> l.strip().isEmpty() || l.strip().startsWith("--"))) {
      statements.add(statement + ";");
    }
  }
}
