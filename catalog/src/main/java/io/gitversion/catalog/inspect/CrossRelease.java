package io.gitversion.catalog.inspect;

import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.SchemaModel;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Two databases on servers of different PostgreSQL major releases, compared as one release writes both. A definition
 * is the text its server writes, and releases write a few differently (PostgreSQL 16 stopped qualifying the columns of
 * a view over one relation), so the same view hashes differently on 15 and 16. Such an object is equal when the server
 * of one side makes the same of the other side's definition ({@link LiveHashes#renderedHash}).
 */
public final class CrossRelease {
  private CrossRelease() {}

  /** The major release of the server a session is on (14, 15, ...). */
  public static int major(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version_num")) {
      rs.next();
      return Integer.parseInt(rs.getString(1)) / 10000;
    }
  }

  /**
   * {@code to}, with each view whose hash differs from {@code from}'s only by how the releases write it replaced by
   * {@code from}'s: its definition written by {@code from}'s server (the session) hashes as {@code from}'s does. What
   * differs in substance stays as {@code to} has it.
   */
  public static SchemaModel align(Connection fromServer, SchemaModel from, SchemaModel to) throws SQLException {
    List<DbObject> objects = new ArrayList<>(to.objects().size());
    LiveHashes hashes = null;
    for (DbObject o : to.objects().values()) {
      DbObject was = from.objects().get(o.id());
      if (was != null && o.kind() == ObjectKind.VIEW && !was.hash().equals(o.hash())) {
        hashes = hashes != null ? hashes : new LiveHashes(fromServer);
        if (was.hash().equals(hashes.renderedHash(o))) {
          objects.add(was);
          continue;
        }
      }
      objects.add(o);
    }
    return SchemaModel.of(objects);
  }
}
