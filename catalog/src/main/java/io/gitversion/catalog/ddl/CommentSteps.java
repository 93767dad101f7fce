package io.gitversion.catalog.ddl;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;
import java.util.Map;
import java.util.Objects;

/** COMMENT ON: objects', a key's index's, and tables' and views' columns'. */
final class CommentSteps {
  private CommentSteps() {}

  static void plan(ChangeSet changes, PlanSteps out) {
    for (DbObject o : changes.unsettledTo) {
      out.on(o, now -> comments(changes, now, out));
    }
  }

  private static void comments(ChangeSet changes, DbObject o, PlanSteps out) {
    DbObject old = changes.kept(o);
    if (changes.sameHash(old, o)) { // so are comments, of columns and of a constraint's index too
      return;
    }
    String before = old == null ? null : old.comment();
    if (!Objects.equals(before, o.comment()) && (o.comment() != null || old != null)) {
      out.add("COMMENT ON " + o.kind().target(o) + " IS " + Sql.literal(o.comment()) + ";");
    }
    if (o.kind() == ObjectKind.CONSTRAINT && o.indexName() != null) {
      String was = old == null ? null : old.extraText("indexComment");
      if (!Objects.equals(was, o.extraText("indexComment")) && (o.extraText("indexComment") != null || old != null)) {
        out.add("COMMENT ON INDEX " + Sql.qualified(o.schema(), o.indexName()) + " IS " + Sql.literal(o.extraText("indexComment")) + ";");
      }
    }
    if (o.kind() == ObjectKind.TABLE || o.kind() == ObjectKind.VIEW) {
      Map<String, String> now = o.columnComments();
      Map<String, String> was = old == null ? Map.of() : old.columnComments();
      String on = Sql.qualified(o.schema(), o.name()) + ".";
      now.forEach((column, comment) -> {
        if (!comment.equals(was.get(column))) {
          out.add("COMMENT ON COLUMN " + on + Sql.ident(column) + " IS " + Sql.literal(comment) + ";");
        }
      });
      was.keySet().stream().filter(c -> !now.containsKey(c) && hasColumn(o, c))
          .forEach(c -> out.add("COMMENT ON COLUMN " + on + Sql.ident(c) + " IS NULL;"));
    }
  }

  /** The object has the column: always, for a view (its columns are not in the model). */
  static boolean hasColumn(DbObject o, String column) {
    return o.kind() != ObjectKind.TABLE || o.relation().columns().stream().anyMatch(c -> c.name().equals(column));
  }
}
