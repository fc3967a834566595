package com.payouts.auth;

import java.util.Locale;

/**
 * What a staff user may do: an admin everything (staff and everyone's tokens included), an operator
 * move money (create payouts and credits, approve, reject, process, retry, set eligibility), a
 * viewer only read. A token acts with its creator's role.
 */
public enum StaffRole {
  ADMIN, OPERATOR, VIEWER;

  /** The name on the wire and in the database, made once (a parse compares it with each value). */
  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  /** "admin", "operator" or "viewer"; anything else is an IllegalArgumentException. */
  public static StaffRole parse(String s) {
    for (StaffRole r : values()) {
      if (r.wire().equals(s)) return r;
    }
    throw new IllegalArgumentException("must be admin, operator or viewer");
  }

  public boolean mayMoveMoney() {
    return this != VIEWER;
  }

  public boolean mayManageStaff() {
    return this == ADMIN;
  }
}
