package com.payouts.auth;

import java.time.Instant;

/** An API token as listed: never the secret itself. {@code createdByTokenId}: the token it was made with, if any. */
public record ApiToken(long id, long userId, String email, String name, Instant createdAt, Instant lastUsedAt,
    Instant expiresAt, Long createdByTokenId) {}
