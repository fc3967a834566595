package com.payouts.http.auth;

import com.payouts.auth.AuthService;
import com.payouts.auth.Principal;
import com.payouts.auth.Secrets;
import com.payouts.auth.StaffSession;

import com.payouts.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Admits a request with a live API token ({@code Authorization: Bearer pat_...}) or session cookie.
 * Cookie requests that change state must echo the session's CSRF token in {@value #CSRF_HEADER};
 * bearer requests need not (browsers never attach them on their own). On success the context holds
 * {@code actor}, {@code userId}, {@code staff} and {@code principal}, and {@code csrfToken} for cookies.
 */
public final class AuthHandler implements Handler<RoutingContext> {
  public static final String CSRF_HEADER = "X-CSRF-Token";
  /** The session cookie's name without TLS; behind TLS it is {@code __Host-} and this. */
  public static final String SESSION_COOKIE = SessionCookie.NAME;
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private final AuthService auth;
  private final SessionCookie cookie;
  private final boolean staffOnly;

  private AuthHandler(AuthService auth, SessionCookie cookie, boolean staffOnly) {
    this.auth = auth;
    this.cookie = cookie;
    this.staffOnly = staffOnly;
  }

  /** For the API and the admin pages: staff only. */
  public static AuthHandler staffOnly(AuthService auth, SessionCookie cookie) {
    return new AuthHandler(auth, cookie, true);
  }

  /** Any signed-in user (logout, who-am-I). */
  public static AuthHandler signedIn(AuthService auth, SessionCookie cookie) {
    return new AuthHandler(auth, cookie, false);
  }

  /** The raw session token from the request's cookie (under the name the settings give it), or null. */
  public static String sessionTokenFrom(SessionCookie cookie, HttpServerRequest request) {
    return cookie.from(request);
  }

  /** The principal an earlier AuthHandler admitted, or null. */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get("principal");
  }

  @Override
  public void handle(RoutingContext ctx) {
    Principal admitted = principal(ctx);
    if (admitted != null) {
      admit(ctx, admitted); // already checked earlier in this request's chain
      return;
    }
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    Future<Principal> who = authorization != null ? bearer(authorization) : cookie(ctx);
    who.onSuccess(p -> admit(ctx, p)).onFailure(err -> fail(ctx, err));
  }

  private Future<Principal> bearer(String authorization) {
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return Future.failedFuture(unauthenticated());
    return auth.authenticateToken(authorization.substring(7).trim())
        .map(p -> p.orElseThrow(AuthHandler::unauthenticated));
  }

  private Future<Principal> cookie(RoutingContext ctx) {
    String token = cookie.from(ctx.request());
    if (token == null) return Future.failedFuture(unauthenticated());
    return auth.authenticateSession(token).map(found -> {
      StaffSession session = found.orElseThrow(AuthHandler::unauthenticated);
      if (!SAFE.contains(ctx.request().method())
          && !Secrets.same(session.csrfToken(), ctx.request().getHeader(CSRF_HEADER))) {
        throw new ApiError(403, "csrf_failed", null,
            "send this session's CSRF token in the " + CSRF_HEADER + " header");
      }
      ctx.put("csrfToken", session.csrfToken());
      return session.principal();
    });
  }

  private void admit(RoutingContext ctx, Principal p) {
    if (staffOnly && !p.staff()) {
      fail(ctx, new ApiError(403, "forbidden", null, "only staff may use this"));
      return;
    }
    ctx.put("principal", p).put("actor", p.actor()).put("userId", p.userId()).put("staff", p.staff());
    ctx.next();
  }

  private static void fail(RoutingContext ctx, Throwable err) {
    if (err instanceof ApiError e && e.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"payouts\"");
    }
    ApiError.respond(ctx, err);
  }

  private static ApiError unauthenticated() {
    return new ApiError(401, "unauthenticated", null, "sign in, or send an API token as Authorization: Bearer");
  }
}
