package com.payouts.auth;

import java.time.Instant;

/** A staff user as staff management shows it; {@code disabledAt} null while they may sign in. */
public record StaffMember(long id, String email, String name, StaffRole role, Instant disabledAt, Instant createdAt) {}
