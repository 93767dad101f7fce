package io.gitversion.processor.internals;

/**
 * Where one source database's history stands: the last source commit position taken in and the last commit made.
 * Stored as text in the heads store.
 */
record Head(long commitLsn, String eventId, String commitId) {
  static final Head EMPTY = new Head(-1L, "", null);

  static Head parse(String stored) {
    if (stored == null) {
      return EMPTY;
    }
    String[] parts = stored.split("\n", 3);
    return new Head(Long.parseLong(parts[0]), parts[1], parts[2].isEmpty() ? null : parts[2]);
  }

  String format() {
    return commitLsn + "\n" + eventId + "\n" + (commitId == null ? "" : commitId);
  }

  /** A redelivered event: same id, or a commit position at or before the last one taken in. */
  boolean alreadyHas(String otherEventId, long otherLsn) {
    return otherEventId.equals(eventId) || (otherLsn > 0 && otherLsn <= commitLsn);
  }
}
