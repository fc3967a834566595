package com.payouts.http.auth;

/** A browser session: the cookie's raw token (never stored), its CSRF token and its user. */
public record Session(String token, String csrfToken, Principal principal) {}
