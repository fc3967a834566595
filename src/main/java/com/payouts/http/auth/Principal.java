package com.payouts.http.auth;

/** Who is making a request. {@code sessionId} is the sessions row id, or null for an API token. */
public record Principal(long userId, String email, String name, boolean staff, String sessionId) {
  /** The actor written to audit rows. */
  public String actor() {
    return "user:" + userId + ":" + email;
  }
}
