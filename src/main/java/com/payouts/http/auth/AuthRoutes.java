package com.payouts.http.auth;

import com.payouts.bus.Addresses;

import com.payouts.auth.AuthService;
import com.payouts.auth.Principal;

import com.payouts.http.ApiError;
import com.payouts.http.TrustedProxies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * /api/auth (login, logout, me), /api/tokens and the sign-in audit /api/audit/auth. Mount these
 * before the {@code /api/*} AuthHandler: login must stay reachable without credentials, and each
 * route here carries its own guard.
 */
public final class AuthRoutes {
  static final int MAX_AUDIT_PAGE = 200;

  private final AuthService auth;
  private final SessionCookie cookie;

  public AuthRoutes(AuthService auth, SessionCookie cookie) {
    this.cookie = cookie;
    this.auth = auth;
  }

  public void mount(Router router) {
    AuthHandler signedIn = AuthHandler.signedIn(auth, cookie);
    AuthHandler staff = AuthHandler.staffOnly(auth, cookie);
    router.post("/api/auth/login").handler(this::login);
    router.post("/api/auth/logout").handler(signedIn).handler(this::logout);
    router.get("/api/auth/me").handler(signedIn).handler(ctx -> AuthJson.send(ctx, 200, Future.succeededFuture(
        me(AuthHandler.principal(ctx), ctx.get("csrfToken")))));
    router.post("/api/tokens").handler(staff).handler(ctx -> AuthJson.send(ctx, 201, () -> createToken(ctx)));
    router.get("/api/tokens").handler(staff).handler(ctx -> AuthJson.send(ctx, 200, () -> listTokens(ctx)));
    router.delete("/api/tokens/:id").handler(staff).handler(this::revokeToken);
    router.get("/api/audit/auth").handler(staff).handler(ctx -> AuthJson.send(ctx, 200, () -> authEvents(ctx)));
  }

  private void login(RoutingContext ctx) {
    AuthJson.send(ctx, 200, () -> {
      AuthJson.requireJsonContentType(ctx); // a cross-site form cannot send it: no login CSRF
      JsonObject in = AuthJson.object(ctx, "email", "password");
      String address = TrustedProxies.clientAddress(ctx);
      String previous = AuthHandler.sessionTokenFrom(cookie, ctx.request());
      // The session id rotates on every login; a session this browser already had is ended.
      return auth.login(AuthJson.requiredString(in, "email", 320), AuthJson.requiredString(in, "password", 1024), address)
          .compose(s -> previous == null ? Future.succeededFuture(s)
              : endSession(ctx, previous, "replaced by a new sign-in").map(s))
          .map(s -> {
            ctx.response().addCookie(cookie.issue(s.token()));
            return me(s.principal(), s.csrfToken());
          });
    });
  }

  private void logout(RoutingContext ctx) {
    String token = AuthHandler.sessionTokenFrom(cookie, ctx.request());
    Future<?> ended = token == null ? Future.succeededFuture() : endSession(ctx, token, null);
    ended.onSuccess(v -> ctx.response().addCookie(cookie.cleared()).setStatusCode(204).end())
        .onFailure(err -> ApiError.respond(ctx, err));
  }

  /** Deletes the row (and the tokens made in it) and tells the SockJS bridge to close that session's sockets. */
  private Future<Boolean> endSession(RoutingContext ctx, String token, String detail) {
    return auth.endSession(token, TrustedProxies.clientAddress(ctx), detail).onSuccess(deleted -> {
      if (deleted) {
        ctx.vertx().eventBus().publish(Addresses.LOGOUT,
            new JsonObject().put("sessionId", AuthService.sessionId(token)));
      }
    });
  }

  private Future<JsonObject> createToken(RoutingContext ctx) {
    JsonObject in = AuthJson.object(ctx, "name", "expiresInDays");
    String name = AuthJson.requiredString(in, "name", 100);
    Integer days = AuthJson.optionalDays(in, "expiresInDays", AuthService.MAX_TOKEN_DAYS);
    return auth.createToken(AuthHandler.principal(ctx), name.strip(), days, TrustedProxies.clientAddress(ctx))
        .map(t -> AuthJson.token(t.info()).put("token", t.token()));
  }

  private Future<JsonObject> listTokens(RoutingContext ctx) {
    String all = ctx.request().getParam("all");
    if (all != null && !all.equals("true") && !all.equals("false")) {
      throw ApiError.badRequest("all", "must be true or false");
    }
    return auth.listTokens(AuthHandler.principal(ctx), "true".equals(all))
        .map(list -> new JsonObject().put("tokens", new JsonArray(list.stream().map(AuthJson::token).toList())));
  }

  private void revokeToken(RoutingContext ctx) {
    Future<Boolean> revoked;
    long id;
    try {
      id = AuthJson.pathId(ctx, "id");
      revoked = auth.revokeToken(id, AuthHandler.principal(ctx), TrustedProxies.clientAddress(ctx));
    } catch (RuntimeException e) {
      ApiError.respond(ctx, e);
      return;
    }
    revoked.onSuccess(done -> {
      if (done) ctx.response().setStatusCode(204).end();
      else ApiError.respond(ctx, new ApiError(404, "not_found", "id", "no such token: " + id));
    }).onFailure(err -> ApiError.respond(ctx, err));
  }

  private Future<JsonObject> authEvents(RoutingContext ctx) {
    Long before = AuthJson.optionalId(ctx, "before");
    int limit = AuthJson.limit(ctx, 50, MAX_AUDIT_PAGE);
    return auth.authEvents(before, limit).map(events -> {
      JsonObject out = new JsonObject().put("items", new JsonArray(events.stream().map(AuthJson::event).toList()));
      out.put("nextBefore", events.size() == limit ? events.get(events.size() - 1).id() : null);
      return out;
    });
  }

  private static JsonObject me(Principal p, String csrfToken) {
    JsonObject user = new JsonObject().put("id", p.userId()).put("email", p.email()).put("name", p.name())
        .put("staff", p.staff()).put("role", p.role() == null ? null : p.role().wire());
    JsonObject out = new JsonObject().put("user", user);
    if (csrfToken != null) out.put("csrfToken", csrfToken);
    return out;
  }
}
