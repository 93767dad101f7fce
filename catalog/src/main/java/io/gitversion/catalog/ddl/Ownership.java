package io.gitversion.catalog.ddl;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;

/**
 * Which owners a plan states ({@code ALTER ... OWNER TO}). An object's owner is a fact outside its hash: two databases
 * whose objects belong to different roles hold the same schema. A plan between two databases leaves owners alone
 * unless asked ({@link #ALL}: every owner that differs, and every new object's). A commit's plan states what the
 * source did ({@link #changesBy}): an owner that changed, and the owner of a new or re-created object unless it is
 * the role that ran the commit (that role's objects are the remote's connecting role's there, as they would be had
 * the remote run the DDL itself).
 *
 * @param stated whether the plan states owners at all
 * @param creator the role that ran the commit (its new objects are nobody else's), or null: every new object's owner
 *     is stated
 */
public record Ownership(boolean stated, String creator) {
  /** No owner statements (diff's default). */
  public static final Ownership IGNORED = new Ownership(false, null);
  /** Every owner that differs, and every new object's. */
  public static final Ownership ALL = new Ownership(true, null);

  /** A commit's: the owners that {@code creator}'s DDL changed, and new objects that are not {@code creator}'s. */
  public static Ownership changesBy(String creator) {
    return new Ownership(true, creator);
  }

  /** The owner statement that turns {@code before} (null: new or re-created) into {@code after}, or null. */
  String statement(DbObject before, DbObject after) {
    String owner = after.owner();
    if (!stated || owner == null || owner.equals("pg_database_owner") && after.kind() == ObjectKind.SCHEMA) {
      return null; // a schema owned by the database's owner says so itself (CREATE SCHEMA ... AUTHORIZATION)
    }
    if (after.ownedBy() != null) {
      return null; // a sequence owned by a column is its table's owner's (ALTER TABLE ... OWNER TO gives it too)
    }
    boolean differs = before != null && before.owner() != null
        ? !owner.equals(before.owner())
        : creator == null || !creator.equals(owner);
    return differs ? "ALTER " + after.kind().target(after) + " OWNER TO " + Sql.ident(owner) + ";" : null;
  }

  /**
   * Whether a sequence about to be linked to a column ({@code OWNED BY}) must first be given its table's owner: where
   * owners are stated, the table is not new in this plan (a new one is the applying role's, as the sequence is, and
   * its owner statement comes later and takes the sequence along), and it may belong to another role.
   */
  boolean alignsLinkedSequence(DbObject sequence, ChangeSet changes) {
    if (!stated || sequence.ownedBy() == null) {
      return false;
    }
    DbObject table = changes.to.tableByQuotedName(TypeSteps.tableOf(sequence.ownedBy()));
    if (table == null || changes.created.contains(table.id()) || table.owner() == null) {
      return false;
    }
    return creator == null || !creator.equals(table.owner());
  }

  /** The owners the plan states, before its privileges (a GRANT is then the new owner's). */
  void plan(ChangeSet changes, PlanSteps out) {
    if (!stated) {
      return;
    }
    for (DbObject o : changes.unsettledTo) { // an owner that differs unsettles its object (a fact), as a new one is
      String statement = statement(changes.kept(o), o);
      if (statement != null) {
        out.on(o, now -> out.add(statement));
      }
    }
  }
}
