package com.payouts.auth;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher();

  @Test
  void aHashVerifiesItsPasswordAndNoOther() {
    String stored = hasher.hash("correct horse battery");
    assertTrue(stored.matches("pbkdf2-sha256\\$600000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), stored);
    assertTrue(hasher.verify("correct horse battery", stored));
    assertFalse(hasher.verify("correct horse batterY", stored));
    assertFalse(hasher.verify("", stored));
  }

  @Test
  void equalPasswordsGetDifferentSalts() {
    String a = hasher.hash("same password here");
    String b = hasher.hash("same password here");
    assertNotEquals(a.split("\\$")[2], b.split("\\$")[2]);
    assertNotEquals(a, b);
    assertTrue(hasher.verify("same password here", a) && hasher.verify("same password here", b));
  }

  @Test
  void missingOrMalformedHashesNeverVerify() {
    assertFalse(hasher.verify("x", null));
    assertFalse(hasher.verify("x", ""));
    assertFalse(hasher.verify("x", "pbkdf2-sha256$0$AAAA$AAAA"));
    assertFalse(hasher.verify("x", "pbkdf2-sha256$600000$!!!$AAAA"));
    assertFalse(hasher.verify("x", "bcrypt$10$abc$def"));
  }
}
