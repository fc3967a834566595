package com.payouts.auth;

/** A sign-in or token request refused, with the kind of refusal so the edge can map it to a status. */
public final class AuthException extends RuntimeException {
  /**
   * INVALID_CREDENTIALS: wrong email or password; UNAUTHENTICATED: the credential behind the request
   * has ended; FORBIDDEN: not allowed to this principal; INVALID: a bad value in {@code field};
   * UNAVAILABLE: what sign-in depends on (the throttle's Redis, the password checks) is busy or down;
   * CONFLICT: taken or not allowed in the current state (a staff email, the last admin); NOT_FOUND: no such staff user.
   */
  public enum Kind { INVALID_CREDENTIALS, UNAUTHENTICATED, FORBIDDEN, INVALID, UNAVAILABLE, CONFLICT, NOT_FOUND }

  private final Kind kind;
  private final String field;

  public AuthException(Kind kind, String field, String message) {
    super(message);
    this.kind = kind;
    this.field = field;
  }

  public Kind kind() {
    return kind;
  }

  public String field() {
    return field;
  }

  static AuthException unavailable() {
    return new AuthException(Kind.UNAVAILABLE, null, "a backing service is busy or down; try again shortly");
  }
}
