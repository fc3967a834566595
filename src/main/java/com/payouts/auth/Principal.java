package com.payouts.auth;

/**
 * Who is making a request. {@code sessionId} is the sessions row id for a browser session, and
 * {@code tokenId} the api_tokens row id for an API token; exactly one of them is set.
 */
public record Principal(long userId, String email, String name, boolean staff, String sessionId, Long tokenId) {
  public Principal(long userId, String email, String name, boolean staff, String sessionId) {
    this(userId, email, name, staff, sessionId, null);
  }

  /** The actor written to audit rows. */
  public String actor() {
    return "user:" + userId + ":" + email;
  }

  /**
   * Whether this user may list and revoke everyone's API tokens and not only their own. Today every
   * staff user is an admin (there is no narrower role yet); this is the one place to narrow it.
   */
  public boolean mayManageEveryToken() {
    return staff;
  }
}
