package com.payouts.http.auth;

import com.payouts.auth.AuthService;
import com.payouts.auth.Secrets;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The browser session cookie: HttpOnly, SameSite=Strict, whole site, 12 hours. Behind TLS it is also
 * Secure and named with the {@code __Host-} prefix, which browsers accept only when Secure, with
 * Path=/ and no Domain: a subdomain or a plain-HTTP page cannot plant or overwrite it. Then only that
 * name is read, or the prefix would protect nothing.
 */
public final class SessionCookie {
  static final String NAME = "payouts_session";
  static final String SECURE_NAME = "__Host-" + NAME;

  private final boolean secure;

  public SessionCookie(boolean secure) {
    this.secure = secure;
  }

  public String name() {
    return secure ? SECURE_NAME : NAME;
  }

  Cookie issue(String token) {
    return base(token).setMaxAge(AuthService.SESSION_TTL.toSeconds());
  }

  /** Max-Age=0 tells the browser to drop it. */
  Cookie cleared() {
    return base("").setMaxAge(0);
  }

  String from(HttpServerRequest request) {
    return fromHeader(request.getHeader(HttpHeaders.COOKIE));
  }

  /** The first well-formed session token in a Cookie header, or null. */
  public String fromHeader(String cookieHeader) {
    if (cookieHeader == null) return null;
    String name = name();
    for (String pair : cookieHeader.split(";")) {
      int eq = pair.indexOf('=');
      if (eq < 0 || !pair.substring(0, eq).trim().equals(name)) continue;
      String value = pair.substring(eq + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (Secrets.isToken(value)) return value;
    }
    return null;
  }

  private Cookie base(String value) {
    return Cookie.cookie(name(), value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(secure);
  }
}
