package com.payouts.http.auth;

import java.time.Instant;

/** An API token as listed: never the secret itself. */
public record ApiToken(long id, String name, Instant createdAt, Instant lastUsedAt) {}
