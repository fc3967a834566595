package com.payouts.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Random session, CSRF and API tokens; their SHA-256 digests; generated passwords. */
public final class Secrets {
  public static final String API_TOKEN_PREFIX = "pat_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final String PASSWORD_ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private Secrets() {}

  /** 32 random bytes, base64url without padding: 43 characters. */
  public static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String apiToken() {
    return API_TOKEN_PREFIX + token();
  }

  public static boolean isToken(String s) {
    return s != null && TOKEN.matcher(s).matches();
  }

  public static boolean isApiToken(String s) {
    return s != null && s.startsWith(API_TOKEN_PREFIX) && isToken(s.substring(API_TOKEN_PREFIX.length()));
  }

  public static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Constant-time comparison; false when either side is missing. */
  public static boolean same(String expected, String given) {
    return expected != null && given != null
        && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /** Letters and digits without look-alikes (0/O, 1/l/I): about 5.8 bits each. */
  public static String password(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) sb.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
    return sb.toString();
  }
}
