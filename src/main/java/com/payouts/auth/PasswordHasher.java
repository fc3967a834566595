package com.payouts.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 password hashes stored as {@code pbkdf2-sha256$<iterations>$<b64salt>$<b64hash>}.
 * CPU-heavy by design (hundreds of milliseconds): call it from a worker, never an event loop.
 */
public class PasswordHasher {
  /** OWASP's current guidance for PBKDF2-HMAC-SHA256. */
  public static final int ITERATIONS = 600_000;
  private static final String SCHEME = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final int MAX_ITERATIONS = 10_000_000;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final SecureRandom random = new SecureRandom();

  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, ITERATIONS);
    return SCHEME + "$" + ITERATIONS + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /**
   * False for a wrong password and for a missing or malformed stored hash. Always spends one
   * derivation, so an unknown account takes as long as a wrong password (no timing oracle).
   */
  public boolean verify(String password, String stored) {
    String[] parts = stored == null ? new String[0] : stored.split("\\$", -1);
    try {
      if (parts.length == 4 && SCHEME.equals(parts[0])) {
        int iterations = Integer.parseInt(parts[1]);
        byte[] salt = B64D.decode(parts[2]);
        byte[] expected = B64D.decode(parts[3]);
        if (iterations > 0 && iterations <= MAX_ITERATIONS && salt.length > 0 && expected.length > 0) {
          return MessageDigest.isEqual(expected, derive(password, salt, iterations, expected.length * 8));
        }
      }
    } catch (IllegalArgumentException malformed) {
      // falls through to the decoy derivation below
    }
    derive(password, new byte[SALT_BYTES], ITERATIONS);
    return false;
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    return derive(password, salt, iterations, HASH_BITS);
  }

  private static byte[] derive(String password, byte[] salt, int iterations, int bits) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bits);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    } finally {
      spec.clearPassword();
    }
  }
}
