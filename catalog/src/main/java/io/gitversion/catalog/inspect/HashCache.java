package io.gitversion.catalog.inspect;

import io.gitversion.catalog.model.ObjectHash;
import java.util.List;

/**
 * The hashes of databases' objects kept from an earlier read, each under the database's {@link Fingerprint} at the
 * time: what {@link Inspector#hashes(io.gitversion.catalog.PgUrl, java.util.Set, int, HashCache)} gives without
 * computing them again while the fingerprint stays.
 */
public interface HashCache {
  /** The hashes kept for {@code database} at {@code fingerprint}; null when none are, or they were of another. */
  List<ObjectHash> get(String database, String fingerprint);

  /** Keeps {@code hashes} (every object of the database) for {@code database} at {@code fingerprint}. */
  void put(String database, String fingerprint, List<ObjectHash> hashes);
}
