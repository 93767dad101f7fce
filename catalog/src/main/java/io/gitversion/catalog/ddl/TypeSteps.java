package io.gitversion.catalog.ddl;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.model.Column;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.SchemaModel;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What tables are made of and call: extensions updated, types created or altered (composite attributes, enum values
 * added in place or the enum swapped), functions created or replaced, sequences created, altered and owned.
 */
final class TypeSteps {
  private final ChangeSet changes;
  private final PlanSteps out;
  private final SchemaModel from;

  TypeSteps(ChangeSet changes, PlanSteps out) {
    this.changes = changes;
    this.out = out;
    this.from = changes.from;
  }

  void alterExtension(DbObject o) {
    DbObject old = from.objects().get(o.id());
    if (old != null && !changes.created.contains(o.id()) && !Objects.equals(old.extraText("version"), o.extraText("version"))) {
      out.add("ALTER EXTENSION " + Sql.ident(o.name()) + " UPDATE TO " + Sql.literal(o.extraText("version")) + ";");
    }
  }

  void createOrAlterType(DbObject o) {
    if (changes.created.contains(o.id())) {
      out.add(o.ddl());
      return;
    }
    DbObject old = from.objects().get(o.id());
    if (old == null || changes.sameBody(old, o)) {
      return;
    }
    if (old.isComposite() && o.isComposite()) {
      alterComposite(old, o);
      return;
    }
    if (old.isDomain() && o.isDomain()) {
      alterDomain(old, o);
      return;
    }
    List<String> before = old.labels();
    List<String> after = o.labels();
    if (renamesValues(before, after)) {
      // ALTER TYPE ... RENAME VALUE at the source, or the same change between two databases: renamed in place, so the
      // rows that hold a value keep it under its new label (a swap would fail on them)
      String type = Sql.qualified(o.schema(), o.name());
      for (int i = 0; i < before.size(); i++) {
        if (!before.get(i).equals(after.get(i))) {
          out.add("ALTER TYPE " + type + " RENAME VALUE " + Sql.literal(before.get(i)) + " TO " + Sql.literal(after.get(i)) + ";",
              Hazard.BREAKS_CLIENTS);
        }
      }
      return;
    }
    if (!ChangeDecider.enumOnlyAddsValues(old, o)) {
      swapEnum(o, Hazard.DATA_LOSS);
      return;
    }
    if (newLabelUsed(o, before, after)) {
      // a value ADD VALUE makes cannot be used before the transaction commits; one a type created in it has can be
      swapEnum(o, Hazard.TABLE_REWRITE);
      return;
    }
    String type = Sql.qualified(o.schema(), o.name());
    for (int i = 0; i < after.size(); i++) {
      String label = after.get(i);
      if (before.contains(label)) {
        continue;
      }
      String position = i + 1 < after.size() && before.contains(after.get(i + 1))
          ? " BEFORE " + Sql.literal(after.get(i + 1))
          : i > 0 ? " AFTER " + Sql.literal(after.get(i - 1)) : "";
      out.add("ALTER TYPE " + type + " ADD VALUE " + Sql.literal(label) + position + ";");
      before.add(label);
    }
  }

  /**
   * The enum keeps its number of values and their order, and each value that changed has a label new to the type in
   * place of one that is gone: values renamed in place.
   */
  static boolean renamesValues(List<String> before, List<String> after) {
    if (before.size() != after.size() || before.equals(after)) {
      return false;
    }
    for (int i = 0; i < before.size(); i++) {
      if (!before.get(i).equals(after.get(i)) && (after.contains(before.get(i)) || before.contains(after.get(i)))) {
        return false;
      }
    }
    return true;
  }

  /** A domain over the same base type: its default, NOT NULL and checks altered one by one (ChangeDecider.sameDomainBase). */
  private void alterDomain(DbObject old, DbObject o) {
    String domain = "ALTER DOMAIN " + Sql.qualified(o.schema(), o.name());
    com.fasterxml.jackson.databind.JsonNode was = old.extra().path("domain");
    com.fasterxml.jackson.databind.JsonNode now = o.extra().path("domain");
    Map<String, String> checksBefore = checks(was);
    Map<String, String> checksAfter = checks(now);
    checksBefore.forEach((name, definition) -> {
      if (!definition.equals(checksAfter.get(name))) {
        out.add(domain + " DROP CONSTRAINT " + Sql.ident(name) + ";");
      }
    });
    String defaultNow = now.path("default").isTextual() ? now.path("default").asText() : null;
    String defaultBefore = was.path("default").isTextual() ? was.path("default").asText() : null;
    if (!Objects.equals(defaultBefore, defaultNow)) {
      out.add(domain + (defaultNow == null ? " DROP DEFAULT;" : " SET DEFAULT " + defaultNow + ";"));
    }
    if (was.path("notNull").asBoolean() != now.path("notNull").asBoolean()) {
      if (now.path("notNull").asBoolean()) {
        out.add(domain + " SET NOT NULL;", Hazard.VALIDATION);
      } else {
        out.add(domain + " DROP NOT NULL;");
      }
    }
    checksAfter.forEach((name, definition) -> {
      if (!definition.equals(checksBefore.get(name))) {
        out.add(domain + " ADD CONSTRAINT " + Sql.ident(name) + " " + definition + ";", Hazard.VALIDATION);
      }
    });
  }

  private static Map<String, String> checks(com.fasterxml.jackson.databind.JsonNode domain) {
    Map<String, String> checks = new java.util.TreeMap<>();
    domain.path("checks").fields().forEachRemaining(e -> checks.put(e.getKey(), e.getValue().asText()));
    return checks;
  }

  private void alterComposite(DbObject old, DbObject o) {
    String type = Sql.qualified(o.schema(), o.name());
    Map<String, String> was = old.attributes();
    Map<String, String> now = o.attributes();
    was.keySet().stream().filter(a -> !now.containsKey(a))
        .forEach(a -> out.add("ALTER TYPE " + type + " DROP ATTRIBUTE " + Sql.ident(a) + ";", Hazard.DATA_LOSS));
    now.forEach((a, t) -> {
      if (!was.containsKey(a)) {
        out.add("ALTER TYPE " + type + " ADD ATTRIBUTE " + Sql.ident(a) + " " + t + ";");
      } else if (!was.get(a).equals(t)) {
        out.add("ALTER TYPE " + type + " ALTER ATTRIBUTE " + Sql.ident(a) + " TYPE " + t + ";", Hazard.DATA_LOSS);
      }
    });
  }

  /**
   * A label the enum gains appears as a constant of the type (PostgreSQL prints them {@code 'label'::schema.type}) in
   * an object the plan creates or changes: a default, a check, a view, an index predicate. PostgreSQL refuses such a
   * use of a value ALTER TYPE ... ADD VALUE added in the same transaction ("unsafe use of new value").
   */
  private boolean newLabelUsed(DbObject type, List<String> before, List<String> after) {
    String cast = "::" + ChangeSet.printedName(type);
    // as ruleutils.c prints a constant (standard_conforming_strings on): quotes doubled, backslashes as they are,
    // never E'' (which Sql.literal writes for a backslash, for statements of ours)
    List<String> constants = after.stream().filter(l -> !before.contains(l))
        .map(l -> "'" + l.replace("'", "''") + "'" + cast).toList();
    return changes.unsettledTo.stream().filter(o -> !o.id().equals(type.id()))
        .anyMatch(o -> constants.stream().anyMatch(o.ddl()::contains));
  }

  /**
   * An enum that loses or reorders values, or whose new values the plan uses, cannot be altered in place: the old type
   * is renamed, the new one created, every column of it converted through text (its default set again), and the old
   * type dropped. The conversion carries {@code conversion}: data loss when values go, a rewrite when none do.
   */
  private void swapEnum(DbObject now, Hazard conversion) {
    String type = Sql.qualified(now.schema(), now.name());
    String oldName = now.name().length() > 50 ? now.name().substring(0, 50) + "_old" : now.name() + "__gitversion_old";
    String printed = ChangeSet.printedName(now);
    out.add("ALTER TYPE " + type + " RENAME TO " + Sql.ident(oldName) + ";");
    out.add(now.ddl());
    for (DbObject table : from.ofKind(ObjectKind.TABLE)) {
      for (Column c : table.relation().columns()) {
        String array = c.type().equals(printed + "[]") ? "[]" : ""; // an array of it converts through text[]
        if (!c.type().equals(printed) && array.isEmpty()) {
          continue;
        }
        String column = "ALTER TABLE " + Sql.qualified(table.schema(), table.name()) + " ALTER COLUMN " + Sql.ident(c.name());
        if (c.defaultExpr() != null) {
          out.add(column + " DROP DEFAULT;");
        }
        out.add(column + " TYPE " + type + array + " USING " + Sql.ident(c.name()) + "::text" + array + "::" + type + array + ";", conversion);
        if (c.defaultExpr() != null) {
          out.add(column + " SET DEFAULT " + c.defaultExpr() + ";");
        }
      }
    }
    out.add("DROP TYPE " + Sql.qualified(now.schema(), oldName) + ";");
  }

  void createOrReplaceFunction(DbObject o) {
    DbObject old = from.objects().get(o.id());
    if (changes.created.contains(o.id()) || (old != null && !changes.sameBody(old, o))) {
      out.add(o.ddl());
    }
  }

  void createOrAlterSequence(DbObject o) {
    DbObject old = from.objects().get(o.id());
    if (changes.created.contains(o.id())) {
      out.add(o.ddl());
    } else if (old != null && !old.ddl().equals(o.ddl())) {
      boolean unloggedBefore = old.ddl().startsWith("CREATE UNLOGGED");
      boolean unloggedAfter = o.ddl().startsWith("CREATE UNLOGGED");
      String name = Sql.qualified(o.schema(), o.name());
      if (unloggedBefore != unloggedAfter) {
        out.add("ALTER SEQUENCE " + name + (unloggedAfter ? " SET UNLOGGED;" : " SET LOGGED;"));
      }
      String alter = o.ddl().replaceFirst("^CREATE (UNLOGGED )?SEQUENCE", "ALTER SEQUENCE");
      if (startOutsideNewBounds(old, o)) {
        // the counter of a sequence that was never used stands at its start: PostgreSQL refuses new bounds that leave
        // it outside, so it is set to the new start, which resets a used counter too (clients may then meet values
        // they had already had)
        out.add(alter.replaceFirst(" START WITH (-?\\d+)", " START WITH $1 RESTART WITH $1"), Hazard.BREAKS_CLIENTS);
      } else {
        out.add(alter); // START WITH changes what RESTART without a value restarts at; the counter goes on
      }
    }
  }

  private static final java.util.regex.Pattern SEQUENCE_BOUNDS =
      java.util.regex.Pattern.compile(" MINVALUE (-?\\d+) MAXVALUE (-?\\d+) START WITH (-?\\d+)");

  /** The old sequence's start is outside the new one's MINVALUE and MAXVALUE (as objects/sequence.sql writes them). */
  private static boolean startOutsideNewBounds(DbObject old, DbObject now) {
    java.util.regex.Matcher was = SEQUENCE_BOUNDS.matcher(old.ddl());
    java.util.regex.Matcher is = SEQUENCE_BOUNDS.matcher(now.ddl());
    if (!was.find() || !is.find()) {
      return true; // not as written by objects/sequence.sql: restart, as before
    }
    java.math.BigInteger start = new java.math.BigInteger(was.group(3));
    return start.compareTo(new java.math.BigInteger(is.group(1))) < 0 || start.compareTo(new java.math.BigInteger(is.group(2))) > 0;
  }

  /**
   * OWNED BY a column, or NONE. PostgreSQL links a sequence only to a table of the same owner: with {@code align}
   * (the table may belong to another role than the one applying the plan: {@link Ownership#alignsLinkedSequence}),
   * the sequence is first given whoever owns the table there.
   */
  void sequenceOwnership(DbObject o, boolean align) {
    DbObject old = from.objects().get(o.id());
    String owner = o.ownedBy();
    String before = old == null || changes.created.contains(o.id()) || out.released.contains(o.id()) ? null : old.ownedBy();
    if (!Objects.equals(owner, before)) {
      String name = Sql.qualified(o.schema(), o.name());
      if (owner != null && align) {
        out.add("DO $gitversion$ BEGIN EXECUTE pg_catalog.format('ALTER SEQUENCE %s OWNER TO %I', " + Sql.literal(name) + ", "
            + "pg_catalog.pg_get_userbyid(" + PrivilegeSteps.ownerOf("TABLE " + tableOf(owner)) + ")); END $gitversion$;");
      }
      out.add("ALTER SEQUENCE " + name + " OWNED BY " + (owner == null ? "NONE" : owner) + ";");
    }
  }

  /** The table of a column named {@code schema.table.column} (identifiers quoted where they need it). */
  static String tableOf(String column) {
    boolean quoted = false;
    int lastDot = -1;
    for (int i = 0; i < column.length(); i++) {
      char c = column.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '.' && !quoted) {
        lastDot = i;
      }
    }
    return column.substring(0, lastDot);
  }

  /**
   * A text search configuration's mappings (token type to dictionaries, in order): added, altered and dropped to match.
   * A configuration is created from its parser alone, with no mapping.
   */
  void mappings(DbObject configuration) {
    DbObject old = changes.kept(configuration);
    java.util.Map<String, String> was = old == null ? java.util.Map.of() : old.textMap("mappings");
    java.util.Map<String, String> now = configuration.textMap("mappings");
    String name = Sql.qualified(configuration.schema(), configuration.name());
    now.forEach((token, dictionaries) -> {
      if (!was.containsKey(token)) {
        out.add("ALTER TEXT SEARCH CONFIGURATION " + name + " ADD MAPPING FOR " + token + " WITH " + dictionaries + ";");
      } else if (!was.get(token).equals(dictionaries)) {
        out.add("ALTER TEXT SEARCH CONFIGURATION " + name + " ALTER MAPPING FOR " + token + " WITH " + dictionaries + ";");
      }
    });
    was.keySet().stream().filter(token -> !now.containsKey(token))
        .forEach(token -> out.add("ALTER TEXT SEARCH CONFIGURATION " + name + " DROP MAPPING FOR " + token + ";"));
  }
}
