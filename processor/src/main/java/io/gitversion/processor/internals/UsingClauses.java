package io.gitversion.processor.internals;

import io.gitversion.catalog.ddl.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code USING} expressions of the source's {@code ALTER COLUMN ... TYPE ... USING ...}: the catalog keeps the
 * column's new type, not how the rows were converted, so the planner writes a plain cast. The source's statements
 * say how: read from their text (a small scanner that respects quotes and parentheses), they replace the planner's
 * cast for the same table and column, so that a remote's rows are converted as the source's were.
 */
final class UsingClauses {
  private static final Pattern PLANNED = Pattern.compile(
      "(?s)(ALTER TABLE (?:(\"(?:[^\"]|\"\")+\")\\.)?(\"(?:[^\"]|\"\")+\") ALTER COLUMN (\"(?:[^\"]|\"\")+\") TYPE .* USING )(.*);");

  private UsingClauses() {}

  /** The plan's steps, with the source's conversions in place of the planner's casts. */
  static List<Step> apply(List<Step> steps, List<String> statements) {
    Map<String, String> using = new HashMap<>();
    statements.forEach(statement -> using.putAll(of(statement)));
    if (using.isEmpty()) {
      return steps;
    }
    List<Step> out = new ArrayList<>(steps.size());
    for (Step step : steps) {
      Matcher m = PLANNED.matcher(step.sql());
      String expression = m.matches() ? using.get(unquote(m.group(3)) + "." + unquote(m.group(4))) : null;
      if (expression == null) {
        out.add(step);
        continue;
      }
      // the source's expression names what its session's search_path found: the table's schema, then public, here
      String schema = m.group(2) == null ? "" : m.group(2) + ", ";
      out.add(new Step("SET LOCAL search_path = " + schema + "public;\n" + m.group(1) + expression + ";\nSET LOCAL search_path TO DEFAULT;",
          step.hazards(), step.object()));
    }
    return out;
  }

  /** Table (unqualified) and column, as PostgreSQL names them, to the USING expression, for one source text. */
  static Map<String, String> of(String sql) {
    Map<String, String> found = new HashMap<>();
    for (List<Token> statement : statements(tokens(sql))) {
      if (statement.size() < 3 || !word(statement, 0, "ALTER") || !word(statement, 1, "TABLE")) {
        continue;
      }
      int i = 2;
      while (i < statement.size() && (word(statement, i, "IF") || word(statement, i, "EXISTS") || word(statement, i, "ONLY"))) {
        i++;
      }
      String table = null;
      while (i < statement.size() && statement.get(i).name() != null) { // schema . table
        table = statement.get(i).name();
        i++;
        if (i < statement.size() && statement.get(i).text().equals(".")) {
          i++;
        } else {
          break;
        }
      }
      if (table == null) {
        continue;
      }
      for (int j = i; j < statement.size(); j++) {
        if (!word(statement, j, "ALTER") || statement.get(j).depth() != 0) {
          continue;
        }
        int k = j + 1;
        if (word(statement, k, "COLUMN")) {
          k++;
        }
        if (k >= statement.size() || statement.get(k).name() == null) {
          continue;
        }
        String column = statement.get(k).name();
        int end = k + 1;
        int usingAt = -1;
        while (end < statement.size() && !(statement.get(end).depth() == 0 && statement.get(end).text().equals(","))) {
          if (usingAt < 0 && statement.get(end).depth() == 0 && word(statement, end, "USING")) {
            usingAt = end;
          }
          end++;
        }
        boolean retypes = false;
        for (int t = k + 1; t < (usingAt < 0 ? end : usingAt); t++) {
          retypes = retypes || word(statement, t, "TYPE");
        }
        if (retypes && usingAt > 0 && usingAt + 1 < end) {
          found.put(table + "." + column, sql.substring(statement.get(usingAt + 1).start(), statement.get(end - 1).end()).strip());
        }
        j = end;
      }
    }
    return found;
  }

  /** A token of SQL text: its text, where it is, how deep in parentheses, and the name it is if an identifier. */
  private record Token(String text, int start, int end, int depth, String name) {}

  private static boolean word(List<Token> tokens, int i, String keyword) {
    return i < tokens.size() && tokens.get(i).name() != null && !tokens.get(i).text().startsWith("\"")
        && tokens.get(i).text().equalsIgnoreCase(keyword);
  }

  private static List<List<Token>> statements(List<Token> tokens) {
    List<List<Token>> statements = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    for (Token t : tokens) {
      if (t.depth() == 0 && t.text().equals(";")) {
        statements.add(current);
        current = new ArrayList<>();
      } else {
        current.add(t);
      }
    }
    statements.add(current);
    return statements;
  }

  /** Identifiers (folded to lower case unless quoted), strings, numbers and punctuation; comments left out. */
  private static List<Token> tokens(String sql) {
    List<Token> tokens = new ArrayList<>();
    int depth = 0;
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && sql.startsWith("--", i)) {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? sql.length() : nl;
      } else if (c == '/' && sql.startsWith("/*", i)) {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? sql.length() : close + 2;
      } else if (c == '\'' || c == '"') {
        i++;
        while (i < sql.length()) {
          if (sql.charAt(i) == c && i + 1 < sql.length() && sql.charAt(i + 1) == c) {
            i += 2;
          } else if (sql.charAt(i) == c) {
            i++;
            break;
          } else {
            i++;
          }
        }
        String text = sql.substring(start, i);
        tokens.add(new Token(text, start, i, depth, c == '"' ? unquote(text) : null));
      } else if (c == '$') {
        Matcher tag = Pattern.compile("\\$[A-Za-z_]*\\$").matcher(sql).region(i, sql.length());
        if (tag.lookingAt()) {
          int close = sql.indexOf(tag.group(), tag.end());
          i = close < 0 ? sql.length() : close + tag.group().length();
        } else {
          i++;
        }
        tokens.add(new Token(sql.substring(start, i), start, i, depth, null));
      } else if (Character.isLetter(c) || c == '_') {
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
          i++;
        }
        String text = sql.substring(start, i);
        tokens.add(new Token(text, start, i, depth, text.toLowerCase(Locale.ROOT)));
      } else {
        i++;
        if (c == ')') {
          depth--;
        }
        tokens.add(new Token(String.valueOf(c), start, i, c == ')' ? depth : depth, null));
        if (c == '(') {
          depth++;
        }
      }
    }
    return tokens;
  }

  /** A quoted identifier's name; a plain one as is. */
  private static String unquote(String identifier) {
    return identifier.startsWith("\"") ? identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"") : identifier;
  }
}
