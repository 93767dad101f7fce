package io.gitversion.catalog.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as every hash of this project is taken: of UTF-8 text, written in lower-case hex. */
public final class Sha256 {
  private Sha256() {}

  /** SHA-256 of {@code text}, lower-case hex: what snapshot.sql's text_hash() computes of the same text. */
  public static String of(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
