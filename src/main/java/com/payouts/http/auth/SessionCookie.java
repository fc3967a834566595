package com.payouts.http.auth;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** The browser session cookie: HttpOnly, SameSite=Strict, whole site, 12 hours. */
final class SessionCookie {
  static final String NAME = "payouts_session";

  private SessionCookie() {}

  static Cookie issue(String token, boolean secure) {
    return base(token, secure).setMaxAge(AuthService.SESSION_TTL.toSeconds());
  }

  /** Max-Age=0 tells the browser to drop it. */
  static Cookie cleared(boolean secure) {
    return base("", secure).setMaxAge(0);
  }

  static String from(HttpServerRequest request) {
    return fromHeader(request.getHeader(HttpHeaders.COOKIE));
  }

  /** The first well-formed session token in a Cookie header, or null. */
  static String fromHeader(String cookieHeader) {
    if (cookieHeader == null) return null;
    for (String pair : cookieHeader.split(";")) {
      int eq = pair.indexOf('=');
      if (eq < 0 || !pair.substring(0, eq).trim().equals(NAME)) continue;
      String value = pair.substring(eq + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (Secrets.isToken(value)) return value;
    }
    return null;
  }

  private static Cookie base(String value, boolean secure) {
    return Cookie.cookie(NAME, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(secure);
  }
}
