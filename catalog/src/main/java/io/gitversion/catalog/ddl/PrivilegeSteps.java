package io.gitversion.catalog.ddl;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * GRANT and REVOKE, from the difference of each object's privileges with PostgreSQL's defaults (snapshot.sql's
 * acl_delta): '+role:PRIV' is granted beyond the defaults, '-role:PRIV' revoked from them. A new object starts from
 * the defaults. The owner's own privileges are not compared.
 */
final class PrivilegeSteps {
  private PrivilegeSteps() {}

  static void plan(ChangeSet changes, PlanSteps out) {
    for (DbObject o : changes.unsettledTo) {
      DbObject old = changes.kept(o);
      if (!changes.sameHash(old, o)) { // privileges are part of the canonical text: an unchanged object keeps them
        out.on(o, now -> out.addAll(of(old, now)));
      }
    }
  }

  /** The GRANTs and REVOKEs that turn one object's privileges into another's (before null: a new object). */
  static List<Step> of(DbObject before, DbObject after) {
    String target = after.kind().grantTarget(after);
    List<Step> grants = new ArrayList<>();
    if (target == null) {
      return grants;
    }
    changes(entries(before == null ? null : before.extraText("acl")), entries(after.extraText("acl")), target, null, grants);
    if (grants.isEmpty() && after.extraText("acl") != null && (before == null || before.extraText("acl") == null)) {
      grants.add(Step.of(stated(after, target)));
    }
    if (after.kind() == ObjectKind.TABLE || after.kind() == ObjectKind.VIEW) {
      Map<String, String> was = before == null ? Map.of() : before.textMap("columnAcl");
      Map<String, String> now = after.textMap("columnAcl");
      SortedSet<String> columns = new TreeSet<>(was.keySet());
      columns.addAll(now.keySet());
      for (String column : columns) {
        if (CommentSteps.hasColumn(after, column)) { // a column dropped or renamed took its privileges with it
          changes(entries(was.get(column)), entries(now.get(column)), target, column, grants);
        }
      }
    }
    return grants;
  }

  /**
   * The statement that states an object's default privileges without changing them (a privilege PUBLIC has by default
   * granted to it again, or nothing revoked from it): PostgreSQL then stores the defaults as the object's own.
   */
  private static String stated(DbObject o, String target) {
    return switch (o.kind()) {
      case FUNCTION -> "GRANT EXECUTE ON " + target + " TO PUBLIC;";
      case TYPE -> "GRANT USAGE ON " + target + " TO PUBLIC;";
      default -> "REVOKE ALL ON " + target + " FROM PUBLIC;";
    };
  }

  private static void changes(Set<String> was, Set<String> now, String target, String column, List<Step> into) {
    for (String entry : was) {
      if (!now.contains(entry)) {
        into.add(Step.of(statement(entry, target, column, !entry.startsWith("+"))));
      }
    }
    for (String entry : now) {
      if (!was.contains(entry)) {
        into.add(Step.of(statement(entry, target, column, entry.startsWith("+"))));
      }
    }
  }

  private static Set<String> entries(String acl) {
    return acl == null || acl.isEmpty() ? Set.of() : new TreeSet<>(List.of(acl.split(", ")));
  }

  /** GRANT (or REVOKE) of one entry ('+role:PRIV', '-role:PRIV*'), on the object or one of its columns. */
  private static String statement(String entry, String target, String column, boolean grant) {
    String body = entry.substring(1);
    boolean grantable = body.endsWith("*");
    if (grantable) {
      body = body.substring(0, body.length() - 1);
    }
    int colon = body.lastIndexOf(':');
    String role = body.substring(0, colon);
    String privilege = body.substring(colon + 1) + (column == null ? "" : " (" + Sql.ident(column) + ")");
    if (role.equals(OWNER)) {
      // the owner's own privileges, whoever owns the object on this database: named when the statement runs
      String statement = grant
          ? "GRANT " + privilege + " ON " + target + " TO %I" + (grantable ? " WITH GRANT OPTION" : "")
          : "REVOKE " + privilege + " ON " + target + " FROM %I";
      return "DO $gitversion$ BEGIN EXECUTE pg_catalog.format(" + Sql.literal(statement.replace("%I", "\u0000").replace("%", "%%")
          .replace("\u0000", "%I")) + ", pg_catalog.pg_get_userbyid(" + ownerOf(target) + ")); END $gitversion$;";
    }
    String grantee = role.equals("PUBLIC") ? "PUBLIC" : Sql.ident(role);
    return grant
        ? "GRANT " + privilege + " ON " + target + " TO " + grantee + (grantable ? " WITH GRANT OPTION" : "") + ";"
        : "REVOKE " + privilege + " ON " + target + " FROM " + grantee + ";";
  }

  /** How acl_delta names the object's owner in an entry: a name no role is given by accident. */
  private static final String OWNER = "@owner";

  /** The query of the owner of the object a GRANT target names ({@code TABLE "s"."t"}, {@code FUNCTION "s"."f"(int)}, ...). */
  static String ownerOf(String target) {
    int space = target.indexOf(' ');
    String kind = target.substring(0, space);
    String name = target.substring(space + 1);
    return switch (kind) {
      case "SCHEMA" -> "(SELECT nspowner FROM pg_catalog.pg_namespace WHERE oid = " + Sql.literal(name) + "::pg_catalog.regnamespace)";
      case "FUNCTION", "PROCEDURE", "AGGREGATE" -> "(SELECT proowner FROM pg_catalog.pg_proc WHERE oid = " + Sql.literal(name)
          + "::pg_catalog.regprocedure)";
      case "TYPE", "DOMAIN" -> "(SELECT typowner FROM pg_catalog.pg_type WHERE oid = " + Sql.literal(name) + "::pg_catalog.regtype)";
      default -> "(SELECT relowner FROM pg_catalog.pg_class WHERE oid = " + Sql.literal(name) + "::pg_catalog.regclass)";
    };
  }
}
