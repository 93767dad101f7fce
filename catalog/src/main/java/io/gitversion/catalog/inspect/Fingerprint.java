package io.gitversion.catalog.inspect;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.SqlResource;
import io.gitversion.catalog.model.Sha256;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A database's catalog fingerprint: a hash of what its objects' hashes are computed from (every row version of its
 * catalogs, the server's release, the settings that change how definitions are written, role and tablespace names;
 * fingerprint.sql says which and why), and of the inspection's own queries. Equal fingerprints, equal hashes: hashes
 * read once are good for as long as the fingerprint stays (a {@link HashCache}). Reading it costs a scan of the
 * catalogs (about 0.1 s for 10,000 tables), no deparsing.
 *
 * <p>Read it before the inspecting session creates its functions in {@code pg_temp} (they are catalog rows too), and
 * before the hashes, never after: then a change that lands between the two leaves hashes newer than their
 * fingerprint, and the next read, finding another fingerprint, reads them again.
 */
public final class Fingerprint {
  private static final String CATALOGS = SqlResource.load("/io/gitversion/catalog/fingerprint_catalogs.sql");
  private static final String PARTS = SqlResource.load("/io/gitversion/catalog/fingerprint.sql");

  private Fingerprint() {}

  /** The fingerprint of the database {@code connection} is in, for hashes read by {@code queries}. */
  public static String of(Connection connection, String queries) throws SQLException {
    List<String> branches = new ArrayList<>();
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(CATALOGS)) {
      while (rs.next()) {
        String catalog = rs.getString(1);
        // a row version's (ctid, xmin) hashed as a record: half the cost of hashing its text
        branches.add("SELECT " + Sql.literal("catalog " + catalog) + ", count(*)::text || ' ' || coalesce(pg_catalog.bit_xor("
            + "pg_catalog.hash_record_extended(ROW(ctid, xmin), 0)), 0)::text FROM pg_catalog." + Sql.ident(catalog)
            + (rs.getString(2) == null ? "" : " WHERE " + rs.getString(2)));
      }
    }
    // by name: the branches of a UNION ALL may come in any order (the server may scan them in parallel)
    java.util.TreeMap<String, String> parts = new java.util.TreeMap<>();
    try (Statement st = connection.createStatement();
         ResultSet rs = st.executeQuery(PARTS.replace("{catalogs}", String.join("\nUNION ALL\n", branches)))) {
      while (rs.next()) {
        parts.put(rs.getString(1), rs.getString(2));
      }
    }
    StringBuilder text = new StringBuilder(Sha256.of(queries)).append('\n');
    parts.forEach((part, value) -> text.append(part).append('\t').append(value).append('\n'));
    return Sha256.of(text.toString());
  }
}
