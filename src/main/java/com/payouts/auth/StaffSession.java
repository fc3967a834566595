package com.payouts.auth;

/** A browser session: the cookie's raw token (never stored), its CSRF token and its user. */
public record StaffSession(String token, String csrfToken, Principal principal) {}
