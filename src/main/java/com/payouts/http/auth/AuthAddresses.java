package com.payouts.http.auth;

/** Event-bus addresses of sign-in. */
public final class AuthAddresses {
  /** Published locally when a session ends (logout, or replaced at login): {"sessionId": "<sessions.id>"}. */
  public static final String LOGOUT = "auth.logout";

  private AuthAddresses() {}
}
