package com.payouts.http.auth;

import com.payouts.auth.Principal;

import com.payouts.http.auth.SessionCookie;
import com.payouts.support.TestStack;
import com.payouts.bus.Addresses;

import com.payouts.auth.AuthService;
import com.payouts.auth.PasswordHasher;
import com.payouts.auth.Secrets;

import static com.payouts.support.Await.await;
import static com.payouts.support.Await.failure;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.db.UserRepository;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sign-in over HTTP against a tiny router: sessions, CSRF, API tokens, throttling, staff only. */
@ExtendWith(VertxExtension.class)
class AuthTest {
  static final String PASSWORD = "a long enough password";
  static final SessionCookie COOKIE = new SessionCookie(false);
  static TestStack stack;
  static TestDatabase db;
  static AuthService auth;
  static WebClient http;
  static Vertx vertx;
  static final PasswordHasher hasher = new PasswordHasher();
  static String staffHash;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    stack = await(TestStack.builder().start(vertx));
    db = stack.db;
    auth = stack.graph.auth;
    staffHash = hasher.hash(PASSWORD);
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create().setBodyLimit(64 * 1024));
    new AuthRoutes(auth, COOKIE).mount(router);
    router.route("/api/*").handler(AuthHandler.staffOnly(auth, COOKIE));
    router.route(HttpMethod.GET, "/api/ping").handler(AuthTest::ping);
    router.route(HttpMethod.POST, "/api/ping").handler(AuthTest::ping);
    int port = await(vertx.createHttpServer().requestHandler(router).listen(0)).actualPort();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  static void ping(RoutingContext ctx) {
    ctx.json(new JsonObject().put("actor", ctx.<String>get("actor")));
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  // --- helpers ---

  static String email(String prefix) {
    return prefix + "-" + UUID.randomUUID() + "@example.com";
  }

  static long user(String email, boolean staff) {
    return await(new UserRepository(db.pool()).create(email, "Sam Staff", staff, null, staffHash)).id();
  }

  static HttpResponse<Buffer> login(String email, String password, String cookie) {
    HttpRequest<Buffer> req = http.post("/api/auth/login").putHeader("Content-Type", "application/json");
    if (cookie != null) req.putHeader("Cookie", cookie);
    return await(req.sendJsonObject(new JsonObject().put("email", email).put("password", password)));
  }

  /** The signed-in browser: its cookie header and CSRF token. */
  record Browser(String cookie, String csrf, String token) {}

  static Browser signIn(String email) {
    HttpResponse<Buffer> r = login(email, PASSWORD, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String setCookie = r.cookies().get(0);
    String token = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    return new Browser(AuthHandler.SESSION_COOKIE + "=" + token, r.bodyAsJsonObject().getString("csrfToken"), token);
  }

  static HttpResponse<Buffer> send(HttpMethod method, String path, String cookie, String csrf, JsonObject body) {
    HttpRequest<Buffer> req = http.request(method, path);
    if (cookie != null) req.putHeader("Cookie", cookie);
    if (csrf != null) req.putHeader(AuthHandler.CSRF_HEADER, csrf);
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }

  static HttpResponse<Buffer> bearer(HttpMethod method, String path, String token) {
    return await(http.request(method, path).putHeader("Authorization", "Bearer " + token).send());
  }

  static long count(String sql, Object... args) {
    return await(db.pool().preparedQuery(sql).execute(Tuple.from(args))).iterator().next().getLong(0);
  }

  static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, r.bodyAsJsonObject().getJsonObject("error").getString("code"), r.bodyAsString());
  }

  // --- tests ---

  @Test
  void bootstrapAdminCreatesOnceAndReturnsOnlyAGeneratedPassword() {
    String generatedFor = email("admin");
    Optional<String> generated = await(auth.bootstrapAdmin(generatedFor, null));
    assertEquals(20, generated.orElseThrow().length());
    assertEquals(Optional.empty(), await(auth.bootstrapAdmin(generatedFor, null)));
    assertEquals(Optional.empty(), await(auth.bootstrapAdmin(generatedFor.toUpperCase(), "another password 1")));
    assertEquals(1, count("SELECT count(*) FROM users u JOIN wallets w ON w.user_id = u.id"
        + " WHERE lower(u.email) = lower($1) AND u.is_staff", generatedFor));
    assertEquals(200, login(generatedFor, generated.get(), null).statusCode());

    String given = email("admin");
    assertEquals(Optional.empty(), await(auth.bootstrapAdmin(given, PASSWORD)));
    assertEquals(1, count("SELECT count(*) FROM users WHERE email = $1 AND password_hash LIKE 'pbkdf2-sha256$600000$%'", given));
    assertEquals(200, login(given, PASSWORD, null).statusCode());
    assertInstanceOf(IllegalArgumentException.class,
        failure(auth.bootstrapAdmin(email("admin"), "short")));
  }

  @Test
  void loginSetsAStrictHttpOnlyCookieAndReturnsTheUserAndCsrfToken() {
    String email = email("staff");
    long id = user(email, true);
    HttpResponse<Buffer> r = login(email.toUpperCase(), PASSWORD, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String setCookie = r.cookies().get(0);
    assertTrue(setCookie.startsWith("payouts_session="), setCookie);
    assertTrue(setCookie.toLowerCase().contains("; httponly"), setCookie); // Netty writes "HTTPOnly"
    assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
    assertTrue(setCookie.contains("Path=/"), setCookie);
    assertTrue(setCookie.contains("Max-Age=43200"), setCookie);
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(new JsonObject().put("id", id).put("email", email).put("name", "Sam Staff").put("staff", true).put("role", "admin"),
        body.getJsonObject("user"));
    String token = setCookie.substring("payouts_session=".length(), setCookie.indexOf(';'));
    Row row = await(db.pool().preparedQuery("SELECT * FROM sessions WHERE id = $1")
        .execute(Tuple.of(Secrets.sha256Hex(token)))).iterator().next();
    assertEquals(id, row.getLong("user_id"));
    assertEquals(body.getString("csrfToken"), row.getString("csrf_token"));
    assertTrue(row.getOffsetDateTime("expires_at").isAfter(row.getOffsetDateTime("created_at").plusHours(11)));
    assertEquals(0, count("SELECT count(*) FROM sessions WHERE id = $1", token), "the raw token is not stored");
  }

  @Test
  void wrongPasswordAndUnknownEmailGetTheSame401() {
    String email = email("staff");
    user(email, true);
    HttpResponse<Buffer> wrong = login(email, "not the password!", null);
    HttpResponse<Buffer> unknown = login(email("nobody"), PASSWORD, null);
    assertError(wrong, 401, "invalid_credentials");
    assertEquals(wrong.bodyAsString(), unknown.bodyAsString());
    assertNull(wrong.getHeader("Set-Cookie"));
    assertError(send(HttpMethod.POST, "/api/auth/login", null, null, new JsonObject().put("email", email)), 400,
        "invalid_request");
    HttpResponse<Buffer> form = await(http.post("/api/auth/login").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer(new JsonObject().put("email", email).put("password", PASSWORD).encode())));
    assertError(form, 415, "unsupported_media_type");
  }

  @Test
  void theSixthFailedAttemptForAnEmailFromOneAddressWaitsEvenWithTheRightPassword() {
    String email = email("target");
    user(email, true);
    for (int i = 0; i < 5; i++) assertError(login(email, "guess " + i, null), 401, "invalid_credentials");
    HttpResponse<Buffer> sixth = login(email, PASSWORD, null);
    assertError(sixth, 429, "too_many_attempts");
    long retryAfter = Long.parseLong(sixth.getHeader("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 10, "Retry-After " + retryAfter);
  }

  @Test
  void noCredentialsOrABadCookieIs401() {
    HttpResponse<Buffer> none = send(HttpMethod.GET, "/api/ping", null, null, null);
    assertError(none, 401, "unauthenticated");
    assertNotNull(none.getHeader("WWW-Authenticate"));
    assertError(send(HttpMethod.GET, "/api/ping", "payouts_session=" + Secrets.token(), null, null), 401,
        "unauthenticated");
    assertError(send(HttpMethod.GET, "/api/ping", "payouts_session=garbage", null, null), 401, "unauthenticated");
    assertError(bearer(HttpMethod.GET, "/api/ping", Secrets.apiToken()), 401, "unauthenticated");
    assertError(await(http.get("/api/ping").putHeader("Authorization", "Basic YTpi").send()), 401, "unauthenticated");
  }

  @Test
  void cookieRequestsThatChangeStateNeedTheirOwnSessionsCsrfToken() {
    String email = email("staff");
    long id = user(email, true);
    Browser mine = signIn(email);
    Browser other = signIn(email);
    HttpResponse<Buffer> get = send(HttpMethod.GET, "/api/ping", "theme=dark; " + mine.cookie(), null, null);
    assertEquals(200, get.statusCode(), get.bodyAsString());
    assertEquals("user:" + id + ":" + email, get.bodyAsJsonObject().getString("actor"));
    assertError(send(HttpMethod.POST, "/api/ping", mine.cookie(), null, new JsonObject()), 403, "csrf_failed");
    assertError(send(HttpMethod.POST, "/api/ping", mine.cookie(), other.csrf(), new JsonObject()), 403, "csrf_failed");
    HttpResponse<Buffer> post = send(HttpMethod.POST, "/api/ping", mine.cookie(), mine.csrf(), new JsonObject());
    assertEquals(200, post.statusCode(), post.bodyAsString());
    assertEquals("user:" + id + ":" + email, post.bodyAsJsonObject().getString("actor"));
    HttpResponse<Buffer> me = send(HttpMethod.GET, "/api/auth/me", mine.cookie(), null, null);
    assertEquals(mine.csrf(), me.bodyAsJsonObject().getString("csrfToken"));
    assertEquals(email, me.bodyAsJsonObject().getJsonObject("user").getString("email"));
  }

  @Test
  void logoutEndsTheSessionServerSideAndTellsTheBridge() throws Exception {
    String email = email("staff");
    user(email, true);
    Browser b = signIn(email);
    String sessionId = Secrets.sha256Hex(b.token());
    CompletableFuture<JsonObject> published = new CompletableFuture<>();
    MessageConsumer<JsonObject> bridge = vertx.eventBus().consumer(Addresses.LOGOUT, m -> {
      if (sessionId.equals(m.body().getString("sessionId"))) published.complete(m.body());
    });
    await(bridge.completion());
    assertError(send(HttpMethod.POST, "/api/auth/logout", b.cookie(), null, null), 403, "csrf_failed");
    HttpResponse<Buffer> out = send(HttpMethod.POST, "/api/auth/logout", b.cookie(), b.csrf(), null);
    assertEquals(204, out.statusCode(), out.bodyAsString());
    assertTrue(out.cookies().get(0).startsWith("payouts_session=;"), out.cookies().toString());
    assertTrue(out.cookies().get(0).contains("Max-Age=0"), out.cookies().toString());
    assertEquals(0, count("SELECT count(*) FROM sessions WHERE id = $1", sessionId));
    assertError(send(HttpMethod.GET, "/api/ping", b.cookie(), null, null), 401, "unauthenticated");
    assertEquals(new JsonObject().put("sessionId", sessionId), published.get(5, TimeUnit.SECONDS));
    await(bridge.unregister());
  }

  @Test
  void apiTokensWorkWithoutCsrfAreListedWithoutTheSecretAndStopWhenRevoked() {
    String email = email("staff");
    long id = user(email, true);
    Browser b = signIn(email);
    assertError(send(HttpMethod.POST, "/api/tokens", b.cookie(), null, new JsonObject().put("name", "ci")), 403,
        "csrf_failed");
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/api/tokens", b.cookie(), b.csrf(),
        new JsonObject().put("name", "ci"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject t = created.bodyAsJsonObject();
    String token = t.getString("token");
    assertTrue(token.startsWith("pat_") && token.length() == 47, token);
    assertEquals("ci", t.getString("name"));
    assertNotNull(t.getString("createdAt"));
    assertEquals(1, count("SELECT count(*) FROM api_tokens WHERE id = $1 AND user_id = $2 AND token_hash = $3",
        t.getLong("id"), id, Secrets.sha256Hex(token)));

    HttpResponse<Buffer> ping = bearer(HttpMethod.POST, "/api/ping", token);
    assertEquals(200, ping.statusCode(), ping.bodyAsString());
    assertEquals("user:" + id + ":" + email, ping.bodyAsJsonObject().getString("actor"));
    HttpResponse<Buffer> list = bearer(HttpMethod.GET, "/api/tokens", token);
    assertEquals(200, list.statusCode(), list.bodyAsString());
    JsonObject listed = list.bodyAsJsonObject().getJsonArray("tokens").getJsonObject(0);
    assertEquals(t.getLong("id"), listed.getLong("id"));
    assertFalse(listed.containsKey("token"));
    assertFalse(list.bodyAsString().contains(token));

    HttpResponse<Buffer> revoked = bearer(HttpMethod.DELETE, "/api/tokens/" + t.getLong("id"), token);
    assertEquals(204, revoked.statusCode(), revoked.bodyAsString());
    assertEquals(1, count("SELECT count(*) FROM api_tokens WHERE id = $1 AND revoked_at IS NOT NULL", t.getLong("id")));
    assertError(bearer(HttpMethod.GET, "/api/ping", token), 401, "unauthenticated");
    assertError(send(HttpMethod.DELETE, "/api/tokens/" + t.getLong("id"), b.cookie(), b.csrf(), null), 404, "not_found");
    assertTrue(send(HttpMethod.GET, "/api/tokens", b.cookie(), null, null).bodyAsJsonObject()
        .getJsonArray("tokens").isEmpty());
  }

  @Test
  void aNonStaffUserSignsInButMayNotUseTheApi() {
    String email = email("payee");
    user(email, false);
    HttpResponse<Buffer> r = login(email, PASSWORD, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertFalse(r.bodyAsJsonObject().getJsonObject("user").getBoolean("staff"));
    Browser b = signIn(email);
    assertError(send(HttpMethod.GET, "/api/ping", b.cookie(), null, null), 403, "forbidden");
    assertError(send(HttpMethod.POST, "/api/tokens", b.cookie(), b.csrf(), new JsonObject().put("name", "x")), 403,
        "forbidden");
    assertEquals(200, send(HttpMethod.GET, "/api/auth/me", b.cookie(), null, null).statusCode());
    assertEquals(204, send(HttpMethod.POST, "/api/auth/logout", b.cookie(), b.csrf(), null).statusCode());
  }

  /** Rotation: every login is a new id. Another device's session lives on; this browser's old one ends. */
  @Test
  void eachLoginIssuesANewSessionAndEndsTheOneThisBrowserHad() {
    String email = email("staff");
    user(email, true);
    Browser first = signIn(email);
    Browser second = signIn(email);
    assertNotEquals(first.token(), second.token());
    assertEquals(200, send(HttpMethod.GET, "/api/ping", first.cookie(), null, null).statusCode());
    assertEquals(200, send(HttpMethod.GET, "/api/ping", second.cookie(), null, null).statusCode());

    HttpResponse<Buffer> again = login(email, PASSWORD, first.cookie());
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertFalse(again.cookies().get(0).contains(first.token()));
    assertError(send(HttpMethod.GET, "/api/ping", first.cookie(), null, null), 401, "unauthenticated");
    assertEquals(200, send(HttpMethod.GET, "/api/ping", second.cookie(), null, null).statusCode());
    assertEquals(0, count("SELECT count(*) FROM sessions WHERE id = $1", Secrets.sha256Hex(first.token())));
  }

  @Test
  void theBridgeCanResolveASessionFromACookieHeader() {
    String email = email("staff");
    long id = user(email, true);
    Browser b = signIn(email);
    Principal p = await(sessionFromCookieHeader("a=1; " + b.cookie() + "; z=2")).orElseThrow();
    assertEquals(id, p.userId());
    assertTrue(p.staff());
    assertEquals(Secrets.sha256Hex(b.token()), p.sessionId());
    assertEquals(Optional.empty(), await(sessionFromCookieHeader(null)));
    assertEquals(Optional.empty(), await(sessionFromCookieHeader("payouts_session=" + Secrets.token())));
  }

  /** What the bridge does with a raw Cookie header: the cookie's token, then its live session. */
  static io.vertx.core.Future<Optional<Principal>> sessionFromCookieHeader(String header) {
    String token = COOKIE.fromHeader(header);
    return token == null ? io.vertx.core.Future.succeededFuture(Optional.empty()) : auth.sessionPrincipal(token);
  }
}
