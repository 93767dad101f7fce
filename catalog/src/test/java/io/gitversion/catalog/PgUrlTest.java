package io.gitversion.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PgUrlTest {
  @Test
  void parsesPostgresqlAndJdbcFormsAlike() {
    PgUrl plain = PgUrl.parse("postgresql://alice:s3cret@db.example:6543/shop?sslmode=require");
    PgUrl jdbc = PgUrl.parse("jdbc:postgresql://alice:s3cret@db.example:6543/shop?sslmode=require");
    assertEquals(plain, jdbc);
    assertEquals("alice", plain.user());
    assertEquals("s3cret", plain.password());
    assertEquals("db.example", plain.host());
    assertEquals(6543, plain.port());
    assertEquals("shop", plain.database());
    assertEquals("jdbc:postgresql://db.example:6543/shop?sslmode=require", plain.jdbcUrl());
  }

  @Test
  void defaultsUserAndPortAndReadsCredentialsFromQuery() {
    PgUrl url = PgUrl.parse("postgresql://localhost/app?user=bob&password=pw");
    assertEquals("bob", url.user());
    assertEquals("pw", url.password());
    assertEquals(5432, url.port());
    assertTrue(url.params().isEmpty());
    PgUrl noUser = PgUrl.parse("postgres://localhost:5433/app");
    assertEquals("postgres", noUser.user());
    assertNull(noUser.password());
  }

  @Test
  void decodesPercentEncodedPartsAndRoundTripsThem() {
    PgUrl url = PgUrl.parse("postgresql://u%40corp:p%3Aw%2Fd@127.0.0.1:5432/my%20db");
    assertEquals("u@corp", url.user());
    assertEquals("p:w/d", url.password());
    assertEquals("my db", url.database());
    assertEquals(url, PgUrl.parse(url.toUriWithPassword()));
  }

  @Test
  void neverShowsThePasswordInText() {
    PgUrl url = PgUrl.parse("postgresql://alice:s3cret@h:1/d");
    assertFalse(url.toString().contains("s3cret"), url.toString());
    assertEquals("postgresql://alice:***@h:1/d", url.toString());
    UserError error = assertThrows(UserError.class, () -> PgUrl.parse("mysql://alice:s3cret@h/d"));
    assertFalse(error.getMessage().contains("s3cret"), error.getMessage());
  }

  @Test
  void rejectsWhatIsNotAPostgresUrlWithOneLine() {
    for (String bad : new String[] {"", "localhost:5432/db", "postgresql://h:5432/", "postgresql:///db", "postgresql://h:notaport/db"}) {
      UserError error = assertThrows(UserError.class, () -> PgUrl.parse(bad), bad);
      assertFalse(error.getMessage().contains("\n"), error.getMessage());
    }
  }
}
