package com.payouts.app;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a process runs: any non-empty subset; a single process runs them all. */
public enum Role {
  /** The HTTP API, the dashboard and its event-bus bridge. */
  HTTP,
  /** Claims jobs and pays payouts through the gateway. */
  PROCESSOR,
  /** The retry sweep and the recovery sweep. */
  RETRY,
  /** The dashboard's figures: live counters and their reconciliation with Postgres. */
  STATS;

  /** The name on the wire and in the database, made once (a parse compares it with each value). */
  private final String wire = name().toLowerCase(Locale.ROOT);

  public static final Set<Role> ALL = EnumSet.allOf(Role.class);

  /** "http,processor" and the like; IllegalArgumentException for an unknown or empty list. */
  public static Set<Role> parse(String list) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : list.split(",")) {
      String name = part.strip();
      if (name.isEmpty()) continue;
      try {
        roles.add(valueOf(name.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown role " + name + " (http, processor, retry, stats)");
      }
    }
    if (roles.isEmpty()) throw new IllegalArgumentException("name at least one role (http, processor, retry, stats)");
    return roles;
  }

  public String wire() {
    return wire;
  }
}
