package com.payouts.http.auth;

import com.payouts.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * /api/auth (login, logout, me) and /api/tokens. Mount these before the {@code /api/*} AuthHandler:
 * login must stay reachable without credentials, and each route here carries its own guard.
 */
public final class AuthRoutes {
  private final AuthService auth;
  private final boolean secureCookie;

  /** {@code secureCookie}: mark the session cookie Secure (HTTPS only); set it whenever TLS fronts the service. */
  public AuthRoutes(AuthService auth, boolean secureCookie) {
    this.auth = auth;
    this.secureCookie = secureCookie;
  }

  public void mount(Router router) {
    AuthHandler signedIn = AuthHandler.signedIn(auth);
    AuthHandler staff = AuthHandler.staffOnly(auth);
    router.post("/api/auth/login").handler(this::login);
    router.post("/api/auth/logout").handler(signedIn).handler(this::logout);
    router.get("/api/auth/me").handler(signedIn).handler(ctx -> AuthJson.send(ctx, 200, Future.succeededFuture(
        me(AuthHandler.principal(ctx), ctx.get("csrfToken")))));
    router.post("/api/tokens").handler(staff).handler(ctx -> AuthJson.send(ctx, 201, () -> createToken(ctx)));
    router.get("/api/tokens").handler(staff).handler(ctx -> AuthJson.send(ctx, 200,
        auth.listTokens(ctx.get("userId")).map(list -> new JsonObject().put("tokens",
            new JsonArray(list.stream().map(AuthJson::token).toList())))));
    router.delete("/api/tokens/:id").handler(staff).handler(this::revokeToken);
  }

  private void login(RoutingContext ctx) {
    AuthJson.send(ctx, 200, () -> {
      AuthJson.requireJsonContentType(ctx); // a cross-site form cannot send it: no login CSRF
      JsonObject in = AuthJson.object(ctx, "email", "password");
      String ip = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
      String previous = AuthHandler.sessionTokenFrom(ctx.request());
      // The session id rotates on every login; a session this browser already had is ended.
      return auth.login(AuthJson.requiredString(in, "email", 320), AuthJson.requiredString(in, "password", 1024), ip)
          .compose(s -> previous == null ? Future.succeededFuture(s) : endSession(ctx, previous).map(s))
          .map(s -> {
            ctx.response().addCookie(SessionCookie.issue(s.token(), secureCookie));
            return me(s.principal(), s.csrfToken());
          });
    });
  }

  private void logout(RoutingContext ctx) {
    String token = AuthHandler.sessionTokenFrom(ctx.request());
    Future<?> ended = token == null ? Future.succeededFuture() : endSession(ctx, token);
    ended.onSuccess(v -> ctx.response().addCookie(SessionCookie.cleared(secureCookie)).setStatusCode(204).end())
        .onFailure(err -> ApiError.respond(ctx, err));
  }

  /** Deletes the row and tells the SockJS bridge to close that session's sockets. */
  private Future<Boolean> endSession(RoutingContext ctx, String token) {
    return auth.logout(token).onSuccess(deleted -> {
      if (deleted) {
        ctx.vertx().eventBus().publish(AuthAddresses.LOGOUT,
            new JsonObject().put("sessionId", AuthService.sessionId(token)));
      }
    });
  }

  private Future<JsonObject> createToken(RoutingContext ctx) {
    String name = AuthJson.requiredString(AuthJson.object(ctx, "name"), "name", 100);
    return auth.createToken(ctx.get("userId"), name.strip())
        .map(t -> AuthJson.token(t.info()).put("token", t.token()));
  }

  private void revokeToken(RoutingContext ctx) {
    Future<Boolean> revoked;
    long id;
    try {
      id = AuthJson.pathId(ctx, "id");
      revoked = auth.revokeToken(id, ctx.get("userId"));
    } catch (RuntimeException e) {
      ApiError.respond(ctx, e);
      return;
    }
    revoked.onSuccess(done -> {
      if (done) ctx.response().setStatusCode(204).end();
      else ApiError.respond(ctx, new ApiError(404, "not_found", "id", "no such token: " + id));
    }).onFailure(err -> ApiError.respond(ctx, err));
  }

  private static JsonObject me(Principal p, String csrfToken) {
    JsonObject user = new JsonObject().put("id", p.userId()).put("email", p.email()).put("name", p.name())
        .put("staff", p.staff());
    JsonObject out = new JsonObject().put("user", user);
    if (csrfToken != null) out.put("csrfToken", csrfToken);
    return out;
  }
}
