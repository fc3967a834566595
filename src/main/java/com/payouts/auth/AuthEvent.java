package com.payouts.auth;

import java.time.Instant;

/** One row of the sign-in audit: who (or which email was tried), when, from where, what. */
public record AuthEvent(long id, Instant at, String kind, Long userId, String email, String clientAddress,
    Long tokenId, String tokenName, String detail) {
  public static final String LOGIN_SUCCEEDED = "login_succeeded";
  public static final String LOGIN_FAILED = "login_failed";
  /** Where the command line acts from. */
  public static final String LOCAL = "local";
}
