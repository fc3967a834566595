package com.payouts.auth;

/**
 * Who is making a request. {@code sessionId} is the sessions row id for a browser session, and
 * {@code tokenId} the api_tokens row id for an API token; exactly one of them is set. {@code role}
 * is the staff role (null for a user who is not staff); a token carries its creator's.
 */
public record Principal(long userId, String email, String name, boolean staff, String sessionId, Long tokenId,
    StaffRole role) {
  /** A staff user from before roles, or the command line's: an admin. */
  public Principal(long userId, String email, String name, boolean staff, String sessionId, Long tokenId) {
    this(userId, email, name, staff, sessionId, tokenId, staff ? StaffRole.ADMIN : null);
  }

  public Principal(long userId, String email, String name, boolean staff, String sessionId) {
    this(userId, email, name, staff, sessionId, null);
  }

  /** The actor written to audit rows. */
  public String actor() {
    return "user:" + userId + ":" + email;
  }

  /** Whether this user may list and revoke everyone's API tokens and not only their own: admins. */
  public boolean mayManageEveryToken() {
    return staff && role == StaffRole.ADMIN;
  }

  /** Create payouts and credits, approve, reject, process, retry, set eligibility. */
  public boolean mayMoveMoney() {
    return staff && role != null && role.mayMoveMoney();
  }

  public boolean mayManageStaff() {
    return staff && role != null && role.mayManageStaff();
  }
}
