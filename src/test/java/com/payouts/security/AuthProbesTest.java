package com.payouts.security;

import com.payouts.app.ConfigKeys;

import static com.payouts.support.Await.await;
import static com.payouts.support.Await.failure;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.bus.Addresses;
import com.payouts.db.UserRepository;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.http.ApiVerticle;
import com.payouts.http.HttpEdge;
import com.payouts.http.TrustedProxies;
import com.payouts.auth.AuthRepository;
import com.payouts.auth.AuthService;
import com.payouts.auth.LoginThrottle;
import com.payouts.auth.PasswordHasher;
import com.payouts.http.auth.SessionCookie;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stranger against sign-in and authorization: throttling that must not lock the admin out and must
 * hold across nodes, spoofed forwarding headers, cookies behind TLS, token lifetimes and their
 * creators, the audit; and every staff path refused (and nothing changed) for a non-staff session,
 * a forged, expired or revoked credential, or a cookie write without its CSRF token.
 */
@ExtendWith(VertxExtension.class)
class AuthProbesTest {
  static final HttpEdge EDGE = HttpEdge.DEFAULTS;
  static final String PASSWORD = Stack.PASSWORD;
  static Stack stack;
  static ApiVerticle api;
  static int port;
  static WebClient web;
  static String hash;
  static long userId;

  @BeforeAll
  static void start(Vertx vertx) {
    stack = Stack.create(vertx);
    api = stack.deploy(EDGE);
    port = api.actualPort();
    web = stack.client(port, "127.0.0.1");
    hash = new PasswordHasher().hash(PASSWORD);
    userId = await(stack.f.userWith("300.00")).id();
  }

  @AfterAll
  static void stop() {
    stack.stop();
  }

  static String email(String who) {
    return who + "-" + UUID.randomUUID() + "@example.com";
  }

  static long user(String email, boolean staff) {
    return await(new UserRepository(stack.db.pool()).create(email, "Pat", staff, null, hash)).id();
  }

  static WebClient from(String address) {
    return stack.client(port, address);
  }

  record Browser(String cookie, String csrf, String token) {}

  static Browser signIn(WebClient http, String email) {
    HttpResponse<Buffer> r = Stack.login(http, email, PASSWORD);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String c = r.cookies().get(0).split(";", 2)[0];
    return new Browser(c, r.bodyAsJsonObject().getString("csrfToken"), c.substring(c.indexOf('=') + 1));
  }

  static HttpResponse<Buffer> call(WebClient http, HttpMethod method, String path, Map<String, String> headers,
      JsonObject body) {
    HttpRequest<Buffer> req = http.request(method, path);
    headers.forEach(req::putHeader);
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }

  static HttpResponse<Buffer> bearer(HttpMethod method, String path, String token, JsonObject body) {
    return call(web, method, path, Map.of("Authorization", "Bearer " + token), body);
  }

  static HttpResponse<Buffer> withCookie(Browser b, HttpMethod method, String path, JsonObject body) {
    return call(web, method, path, Map.of("Cookie", b.cookie(), "X-CSRF-Token", b.csrf()), body);
  }

  static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, r.bodyAsJsonObject().getJsonObject("error").getString("code"), r.bodyAsString());
  }

  static List<JsonObject> auditOf(String address) {
    List<JsonObject> out = new ArrayList<>();
    for (Row r : await(stack.db.pool().preparedQuery(
        "SELECT kind, user_id, email, token_id, token_name, detail FROM auth_events WHERE client_address = $1 ORDER BY id")
        .execute(Tuple.of(address)))) {
      out.add(r.toJson());
    }
    return out;
  }

  // ------------------------------------------------------------------ throttling

  @Test
  void aStrangerGuessingTheAdminsPasswordCannotLockTheAdminOut() {
    String admin = email("admin");
    user(admin, true);
    WebClient stranger = from("127.0.0.31");
    for (int i = 0; i < 5; i++) assertError(Stack.login(stranger, admin, "guess " + i), 401, "invalid_credentials");
    HttpResponse<Buffer> sixth = Stack.login(stranger, admin, PASSWORD);
    assertError(sixth, 429, "too_many_attempts");
    assertTrue(Long.parseLong(sixth.getHeader("Retry-After")) >= 1, sixth.headers().toString());
    assertEquals(200, Stack.login(from("127.0.0.32"), admin, PASSWORD).statusCode(), "the admin, from elsewhere");
    assertError(Stack.login(stranger, admin, PASSWORD), 429, "too_many_attempts");
  }

  @Test
  void oneAddressSprayingManyEmailsIsSlowedDownAcrossThemAll() {
    String admin = email("admin");
    user(admin, true);
    WebClient sprayer = from("127.0.0.33");
    for (int i = 0; i < LoginThrottle.Limits.DEFAULT.freePerAddress(); i++) {
      assertError(Stack.login(sprayer, email("victim" + i), "Winter2026!"), 401, "invalid_credentials");
    }
    assertError(Stack.login(sprayer, admin, PASSWORD), 429, "too_many_attempts");
    assertEquals(200, Stack.login(from("127.0.0.34"), admin, PASSWORD).statusCode());
  }

  @Test
  void twoNodesSeeTheSameCounters(Vertx vertx) {
    // Two nodes: two graphs, two sign-in services, one Redis.
    int nodeA = stack.api(EDGE);
    int nodeB = stack.api(EDGE);
    WebClient toA = stack.client(nodeA, "127.0.0.35");
    WebClient toB = stack.client(nodeB, "127.0.0.35");
    String admin = email("admin");
    user(admin, true);
    for (int i = 0; i < 3; i++) assertError(Stack.login(toA, admin, "guess " + i), 401, "invalid_credentials");
    for (int i = 3; i < 5; i++) assertError(Stack.login(toB, admin, "guess " + i), 401, "invalid_credentials");
    assertError(Stack.login(toA, admin, PASSWORD), 429, "too_many_attempts");
    assertError(Stack.login(toB, admin, PASSWORD), 429, "too_many_attempts");
  }

  @Test
  void withRedisDownSignInAnswers503InsteadOfGoingUnthrottled(Vertx vertx) {
    int node = stack.api(EDGE, b -> b.set(ConfigKeys.REDIS_URL, "redis://127.0.0.1:1"));
    String admin = email("admin");
    user(admin, true);
    long sessions = stack.count("SELECT count(*) FROM sessions");
    HttpResponse<Buffer> r = Stack.login(stack.client(node, "127.0.0.1"), admin, PASSWORD);
    assertError(r, 503, "unavailable");
    assertEquals("1", r.getHeader("Retry-After"));
    assertEquals(sessions, stack.count("SELECT count(*) FROM sessions"), "no session was started");
    // What needs no throttle still works there: API tokens live in Postgres.
    assertEquals(200, await(stack.client(node, "127.0.0.1").get("/api/stats")
        .bearerTokenAuthentication(stack.staffToken).send()).statusCode());
  }

  /** A flood of sign-ins with distinct emails cannot queue unbounded password checks on the workers. */
  @Test
  void passwordChecksInFlightAreBoundedAndTheRestAnswer503(Vertx vertx) throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger entered = new java.util.concurrent.atomic.AtomicInteger();
    PasswordHasher stuck = new PasswordHasher() {
      @Override
      public boolean verify(String password, String stored) {
        entered.incrementAndGet();
        try {
          release.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return false;
      }
    };
    int node = stack.api(EDGE, b -> b.passwordHasher(stuck));
    WebClient flood = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(node).setLocalAddress("127.0.0.38"),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(AuthService.MAX_PASSWORD_CHECKS + 2));
    List<io.vertx.core.Future<HttpResponse<Buffer>>> held = new ArrayList<>();
    for (int i = 0; i < AuthService.MAX_PASSWORD_CHECKS; i++) {
      held.add(flood.post("/api/auth/login").putHeader("Content-Type", "application/json")
          .sendJsonObject(new JsonObject().put("email", email("flood" + i)).put("password", "guess")));
    }
    com.payouts.support.Await.eventually(Duration.ofSeconds(10),
        () -> entered.get() == AuthService.MAX_PASSWORD_CHECKS, "every check under way");
    HttpResponse<Buffer> over = Stack.login(flood, email("flood-over"), "guess");
    assertError(over, 503, "unavailable");
    assertEquals(AuthService.MAX_PASSWORD_CHECKS, entered.get(), "the one over the bound tested no password");
    release.countDown();
    for (var f : held) assertError(await(f), 401, "invalid_credentials");
    // The bound is of checks in flight, not a count: a place given back is given again.
    assertError(Stack.login(flood, email("flood-after"), "guess"), 401, "invalid_credentials");
  }

  // ------------------------------------------------------------------ the client address

  @Test
  void aSpoofedForwardedForFromAnUntrustedPeerChangesNothing() {
    String admin = email("admin");
    user(admin, true);
    WebClient stranger = from("127.0.0.36");
    for (int i = 0; i < 5; i++) {
      assertError(Stack.login(stranger, admin, "guess " + i, "X-Forwarded-For", "198.51.100." + (10 + i)), 401,
          "invalid_credentials");
    }
    assertError(Stack.login(stranger, admin, PASSWORD, "X-Forwarded-For", "198.51.100.99"), 429, "too_many_attempts");
    List<JsonObject> audit = auditOf("127.0.0.36");
    assertEquals(5, audit.size(), audit.toString());
    assertTrue(audit.stream().allMatch(e -> "login_failed".equals(e.getString("kind"))), audit.toString());
    assertEquals(0, stack.count("SELECT count(*) FROM auth_events WHERE client_address LIKE '198.51.100.%'"));
  }

  @Test
  void behindATrustedProxyTheRightmostUntrustedForwardedAddressIsTheClient(Vertx vertx) {
    int node = stack.api(EDGE, b -> b.set(ConfigKeys.TRUSTED_PROXIES, "10.0.0.0/8, 127.0.0.40"));
    WebClient proxy = stack.client(node, "127.0.0.40");
    String admin = email("admin");
    user(admin, true);
    // The left part is whatever the client wrote; our proxy appended the address it saw, after its own hop.
    for (int i = 0; i < 5; i++) {
      assertError(Stack.login(proxy, admin, "guess " + i, "X-Forwarded-For", "6.6.6." + i + ", 203.0.113.77, 10.1.2.3"),
          401, "invalid_credentials");
    }
    assertError(Stack.login(proxy, admin, PASSWORD, "X-Forwarded-For", "203.0.113.77"), 429, "too_many_attempts");
    assertEquals(200, Stack.login(proxy, admin, PASSWORD, "X-Forwarded-For", "203.0.113.78").statusCode(),
        "another client behind the same proxy is not throttled");
    assertEquals(5, auditOf("203.0.113.77").size());
    assertEquals(List.of("login_succeeded"), auditOf("203.0.113.78").stream().map(e -> e.getString("kind")).toList());
    assertEquals(0, stack.count("SELECT count(*) FROM auth_events WHERE client_address LIKE '6.6.6.%'"
        + " OR client_address IN ('127.0.0.40', '10.1.2.3')"));
  }

  // ------------------------------------------------------------------ cookies behind TLS

  @Test
  void behindTlsTheCookieIsSecureHostPrefixedAndTheOnlyOneRead(Vertx vertx) {
    int node = stack.api(EDGE, b -> b.set(ConfigKeys.SECURE_COOKIES, true));
    WebClient tls = stack.client(node, "127.0.0.1");
    String admin = email("admin");
    user(admin, true);
    HttpResponse<Buffer> r = Stack.login(tls, admin, PASSWORD);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String set = r.cookies().get(0);
    assertTrue(set.startsWith("__Host-payouts_session="), set);
    assertTrue(set.contains("; Secure"), set);
    assertTrue(set.contains("Path=/"), set);
    assertFalse(set.toLowerCase().contains("domain="), set);
    String cookie = set.split(";", 2)[0];
    String token = cookie.substring(cookie.indexOf('=') + 1);
    String csrf = r.bodyAsJsonObject().getString("csrfToken");
    assertEquals(200, call(tls, HttpMethod.GET, "/api/stats", Map.of("Cookie", cookie), null).statusCode());
    assertError(call(tls, HttpMethod.GET, "/api/stats", Map.of("Cookie", "payouts_session=" + token), null), 401,
        "unauthenticated");
    assertError(call(tls, HttpMethod.POST, "/api/tokens", Map.of("Cookie", cookie), new JsonObject().put("name", "x")),
        403, "csrf_failed");
    assertEquals(201, call(tls, HttpMethod.POST, "/api/tokens", Map.of("Cookie", cookie, "X-CSRF-Token", csrf),
        new JsonObject().put("name", "x")).statusCode());
    // The bridge reads the renamed cookie too, and only it.
    assertTrue(bridgeAdmits(node, cookie), "the __Host- cookie opens the bridge");
    assertFalse(bridgeAdmits(node, "payouts_session=" + token), "the plain name does not");
    HttpResponse<Buffer> out = call(tls, HttpMethod.POST, "/api/auth/logout", Map.of("Cookie", cookie, "X-CSRF-Token", csrf), null);
    assertEquals(204, out.statusCode());
    assertTrue(out.cookies().get(0).startsWith("__Host-payouts_session=;") && out.cookies().get(0).contains("Secure"),
        out.cookies().toString());
  }

  /** Opens a SockJS WebSocket with this cookie, registers, and says whether a push arrives. */
  static boolean bridgeAdmits(int node, String cookie) {
    WebSocketClient client = stack.vertx.createWebSocketClient();
    List<String> frames = new CopyOnWriteArrayList<>();
    WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node)
        .setURI("/eventbus/4/" + UUID.randomUUID().toString().replace("-", "") + "/websocket").addHeader("Cookie", cookie))
        .map(s -> s.textMessageHandler(frames::add)));
    ws.writeTextMessage(new JsonArray().add(new JsonObject().put("type", "register")
        .put("address", Addresses.DASHBOARD_STATS).encode()).encode());
    long until = System.currentTimeMillis() + 3_000;
    boolean got = false;
    while (!got && System.currentTimeMillis() < until && frames.stream().noneMatch(f -> f.startsWith("c["))) {
      stack.vertx.eventBus().publish(Addresses.DASHBOARD_STATS, new JsonObject().put("probe", true));
      got = frames.stream().anyMatch(f -> f.contains("probe"));
      pause(100);
    }
    ws.close();
    client.close();
    return got;
  }

  // ------------------------------------------------------------------ token lifetimes

  @Test
  void aTokenExpiresByDefaultAndAtMostAYear() {
    String owner = email("staff");
    long id = user(owner, true);
    String parent = await(stack.auth.createToken(id, owner, "parent", null)).token();
    JsonObject defaulted = bearer(HttpMethod.POST, "/api/tokens", parent, new JsonObject().put("name", "d")).bodyAsJsonObject();
    Instant parentExpiry = Instant.parse(bearer(HttpMethod.GET, "/api/tokens", parent, null).bodyAsJsonObject()
        .getJsonArray("tokens").stream().map(JsonObject.class::cast).filter(t -> "parent".equals(t.getString("name")))
        .findFirst().orElseThrow().getString("expiresAt"));
    assertTrue(Duration.between(Instant.now(), parentExpiry).toDays() >= 89, "the default is 90 days: " + parentExpiry);
    assertFalse(Instant.parse(defaulted.getString("expiresAt")).isAfter(parentExpiry), defaulted.toString());
    JsonObject ten = bearer(HttpMethod.POST, "/api/tokens", parent, new JsonObject().put("name", "t").put("expiresInDays", 10))
        .bodyAsJsonObject();
    Duration life = Duration.between(Instant.now(), Instant.parse(ten.getString("expiresAt")));
    assertTrue(life.toHours() >= 239 && life.toHours() <= 240, ten.toString());
    for (Object bad : List.of(0, 366, -1, "10", 1.5)) {
      assertError(bearer(HttpMethod.POST, "/api/tokens", parent, new JsonObject().put("name", "b").put("expiresInDays", bad)),
          400, "invalid_request");
    }
    JsonObject year = bearer(HttpMethod.POST, "/api/tokens", parent, new JsonObject().put("name", "y").put("expiresInDays", 365))
        .bodyAsJsonObject();
    assertEquals(parentExpiry, Instant.parse(year.getString("expiresAt")), "capped at its creator's expiry");
  }

  @Test
  void revokingATokenRevokesEveryTokenMadeWithIt() {
    String owner = email("staff");
    long id = user(owner, true);
    String parent = await(stack.auth.createToken(id, owner, "parent", 5)).token();
    JsonObject child = bearer(HttpMethod.POST, "/api/tokens", parent, new JsonObject().put("name", "child")
        .put("expiresInDays", 30)).bodyAsJsonObject();
    JsonObject grandchild = bearer(HttpMethod.POST, "/api/tokens", child.getString("token"),
        new JsonObject().put("name", "grandchild")).bodyAsJsonObject();
    assertEquals(child.getLong("id"), grandchild.getLong("createdByTokenId"));
    assertTrue(Duration.between(Instant.now(), Instant.parse(child.getString("expiresAt"))).toDays() < 5,
        "a child lives no longer than its parent: " + child);
    assertEquals(200, bearer(HttpMethod.GET, "/api/stats", grandchild.getString("token"), null).statusCode());
    long parentId = stack.count("SELECT id FROM api_tokens WHERE id = $1", child.getLong("createdByTokenId"));
    assertEquals(204, bearer(HttpMethod.DELETE, "/api/tokens/" + parentId, stack.staffToken, null).statusCode());
    for (String t : List.of(parent, child.getString("token"), grandchild.getString("token"))) {
      assertError(bearer(HttpMethod.GET, "/api/stats", t, null), 401, "unauthenticated");
    }
    assertEquals(3, stack.count("SELECT count(*) FROM api_tokens WHERE id IN ($1, $2, $3) AND revoked_at IS NOT NULL",
        parentId, child.getLong("id"), grandchild.getLong("id")));
    assertEquals(2, stack.count("SELECT count(*) FROM auth_events WHERE kind = 'token_revoked'"
        + " AND token_id IN ($1, $2) AND detail = 'its creator was revoked'", child.getLong("id"), grandchild.getLong("id")));
  }

  @Test
  void aTokenMadeInABrowserSessionEndsWithTheSession() {
    String owner = email("staff");
    user(owner, true);
    Browser b = signIn(web, owner);
    HttpResponse<Buffer> made = withCookie(b, HttpMethod.POST, "/api/tokens", new JsonObject().put("name", "laptop"));
    assertEquals(201, made.statusCode(), made.bodyAsString());
    JsonObject t = made.bodyAsJsonObject();
    assertTrue(Duration.between(Instant.now(), Instant.parse(t.getString("expiresAt"))).toMinutes() <= 12 * 60,
        "capped at the session's 12 hours: " + t);
    JsonObject child = bearer(HttpMethod.POST, "/api/tokens", t.getString("token"), new JsonObject().put("name", "c"))
        .bodyAsJsonObject();
    assertEquals(200, bearer(HttpMethod.GET, "/api/stats", t.getString("token"), null).statusCode());
    assertEquals(204, withCookie(b, HttpMethod.POST, "/api/auth/logout", null).statusCode());
    assertError(bearer(HttpMethod.GET, "/api/stats", t.getString("token"), null), 401, "unauthenticated");
    assertError(bearer(HttpMethod.GET, "/api/stats", child.getString("token"), null), 401, "unauthenticated");
    assertEquals(2, stack.count("SELECT count(*) FROM auth_events WHERE kind = 'token_revoked' AND token_id IN ($1, $2)"
        + " AND detail = 'its session ended'", t.getLong("id"), child.getLong("id")));
  }

  @Test
  void anAdminListsAndRevokesAnyonesTokens() {
    String other = email("colleague");
    long otherId = user(other, true);
    AuthService.IssuedToken theirs = await(stack.auth.createToken(otherId, other, "theirs", null));
    JsonArray mine = bearer(HttpMethod.GET, "/api/tokens", stack.staffToken, null).bodyAsJsonObject().getJsonArray("tokens");
    assertTrue(mine.stream().map(JsonObject.class::cast).noneMatch(t -> t.getLong("id") == theirs.info().id()));
    JsonArray all = bearer(HttpMethod.GET, "/api/tokens?all=true", stack.staffToken, null).bodyAsJsonObject()
        .getJsonArray("tokens");
    JsonObject listed = all.stream().map(JsonObject.class::cast).filter(t -> t.getLong("id") == theirs.info().id())
        .findFirst().orElseThrow();
    assertEquals(other, listed.getString("email"));
    assertFalse(all.encode().contains(theirs.token()), "never the secret");
    assertError(bearer(HttpMethod.GET, "/api/tokens?all=maybe", stack.staffToken, null), 400, "invalid_request");
    assertEquals(204, bearer(HttpMethod.DELETE, "/api/tokens/" + theirs.info().id(), stack.staffToken, null).statusCode());
    assertError(bearer(HttpMethod.GET, "/api/stats", theirs.token(), null), 401, "unauthenticated");
  }

  // ------------------------------------------------------------------ the audit

  @Test
  void signInsLogoutsAndTokensAreAuditedNewestFirst() {
    String owner = email("audited");
    long id = user(owner, true);
    WebClient desk = from("127.0.0.37");
    String typo = "NoSuch-" + owner;
    assertError(Stack.login(desk, owner, "wrong password 1"), 401, "invalid_credentials");
    assertError(Stack.login(desk, typo, "wrong password 2"), 401, "invalid_credentials");
    Browser b = signIn(desk, owner);
    HttpResponse<Buffer> made = call(desk, HttpMethod.POST, "/api/tokens", Map.of("Cookie", b.cookie(), "X-CSRF-Token",
        b.csrf()), new JsonObject().put("name", "audited token"));
    long tokenId = made.bodyAsJsonObject().getLong("id");
    assertEquals(204, call(desk, HttpMethod.DELETE, "/api/tokens/" + tokenId, Map.of("Cookie", b.cookie(),
        "X-CSRF-Token", b.csrf()), null).statusCode());
    assertEquals(204, call(desk, HttpMethod.POST, "/api/auth/logout", Map.of("Cookie", b.cookie(), "X-CSRF-Token",
        b.csrf()), null).statusCode());

    List<JsonObject> page = new ArrayList<>();
    Long before = null;
    do {
      JsonObject body = bearer(HttpMethod.GET, "/api/audit/auth?limit=3" + (before == null ? "" : "&before=" + before),
          stack.staffToken, null).bodyAsJsonObject();
      body.getJsonArray("items").forEach(e -> page.add((JsonObject) e));
      before = body.getLong("nextBefore");
    } while (before != null && page.size() < 500);
    List<JsonObject> ours = page.stream().filter(e -> "127.0.0.37".equals(e.getString("clientAddress"))).toList();
    assertEquals(List.of("logout", "token_revoked", "token_created", "login_succeeded", "login_failed", "login_failed"),
        ours.stream().map(e -> e.getString("kind")).toList(), ours.toString());
    for (int i = 1; i < page.size(); i++) assertTrue(page.get(i - 1).getLong("id") > page.get(i).getLong("id"), "newest first");
    assertEquals(id, ours.get(0).getLong("userId"));
    assertEquals(tokenId, ours.get(1).getLong("tokenId"));
    assertEquals("audited token", ours.get(2).getString("tokenName"));
    assertEquals(owner, ours.get(3).getString("email"));
    assertEquals(typo, ours.get(4).getString("email"), "the email tried, as typed");
    assertNull(ours.get(4).getLong("userId"));
    assertEquals(id, ours.get(5).getLong("userId"));
    assertNotNull(ours.get(5).getString("at"));
    // Append-only.
    assertNotNull(failure(stack.db.pool().query("UPDATE auth_events SET kind = 'logout'").execute()));
    assertNotNull(failure(stack.db.pool().query("DELETE FROM auth_events").execute()));
    assertError(bearer(HttpMethod.GET, "/api/audit/auth?limit=0", stack.staffToken, null), 400, "invalid_request");
  }

  // ------------------------------------------------------------------ broken object and function level authorization

  /** Every staff route of the API verticle, with ids that exist and bodies a staff user could send. */
  static List<Object[]> staffRequests(long payoutId, long tokenId) {
    List<Object[]> out = new ArrayList<>();
    TreeSet<String> seen = new TreeSet<>();
    for (Route r : api.router().getRoutes()) {
      String path = r.getPath();
      if (path == null || r.methods() == null || r.methods().isEmpty()) continue;
      if (!path.startsWith("/api/") && !path.startsWith("/admin/ajax/")) continue;
      if (path.startsWith("/api/auth/")) continue; // login, logout and me: any signed-in user, or none
      // The gateway's webhook: its signature is its authentication, whoever sends it (ReturnsApiTest).
      if (path.equals("/api/gateway/events")) continue;
      for (HttpMethod m : r.methods()) {
        String filled = path.replace(":action", "approve").replace(":taskId", "t-1")
            .replace("/api/tokens/:id", "/api/tokens/" + tokenId)
            .replace("/api/payouts/:id", "/api/payouts/" + payoutId).replace(":id", String.valueOf(userId));
        if (!seen.add(m.name() + " " + filled)) continue;
        JsonObject body = m == HttpMethod.POST ? bodyFor(filled, payoutId) : null;
        out.add(new Object[] {m, filled, body});
      }
    }
    out.add(new Object[] {HttpMethod.GET, "/api/tokens?all=true", null});
    return out;
  }

  static JsonObject bodyFor(String path, long payoutId) {
    if (path.equals("/api/users")) return new JsonObject().put("email", email("made")).put("name", "Made");
    if (path.endsWith("/credits")) return new JsonObject().put("amount", "50.00").put("reason", "bonus");
    if (path.endsWith("/eligibility")) return new JsonObject().put("eligible", false).put("reason", "probe");
    if (path.equals("/api/payouts")) {
      return new JsonObject().put("userId", userId).put("amount", "10.00").put("method", "paypal");
    }
    if (path.equals("/api/payouts/batch")) {
      return new JsonObject().put("action", "approve").put("ids", new JsonArray().add(payoutId));
    }
    if (path.equals("/api/tokens")) return new JsonObject().put("name", "stolen");
    if (path.startsWith("/admin/ajax/payout-action")) {
      return new JsonObject().put("payout_id", payoutId).put("action", "approve");
    }
    if (path.startsWith("/admin/ajax/eligibility-action")) {
      return new JsonObject().put("user_id", userId).put("eligible", false);
    }
    return new JsonObject();
  }

  @Test
  void nonStaffForgedExpiredAndRevokedCredentialsGetNothingOnAnyStaffPathAndChangeNothing() {
    Payout pending = await(stack.f.request(userId, "20.00", PayoutMethod.PAYPAL));
    long staffTokenId = stack.count("SELECT max(id) FROM api_tokens");
    String payee = email("payee");
    user(payee, false);
    Browser customer = signIn(web, payee);
    String owner = email("staff");
    long ownerId = user(owner, true);
    AuthService.IssuedToken revoked = await(stack.auth.createToken(ownerId, owner, "revoked", null));
    assertEquals(204, bearer(HttpMethod.DELETE, "/api/tokens/" + revoked.info().id(), stack.staffToken, null).statusCode());
    AuthService.IssuedToken expired = await(stack.auth.createToken(ownerId, owner, "expired", null));
    await(stack.db.pool().preparedQuery("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1")
        .execute(Tuple.of(expired.info().id())));
    Browser lapsed = signIn(web, owner);
    await(stack.db.pool().preparedQuery("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1")
        .execute(Tuple.of(AuthService.sessionId(lapsed.token()))));
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);

    Map<String, Map<String, String>> strangers = new java.util.LinkedHashMap<>();
    strangers.put("a non-staff session", Map.of("Cookie", customer.cookie(), "X-CSRF-Token", customer.csrf()));
    strangers.put("a revoked token", Map.of("Authorization", "Bearer " + revoked.token()));
    strangers.put("an expired token", Map.of("Authorization", "Bearer " + expired.token()));
    strangers.put("an expired session", Map.of("Cookie", lapsed.cookie(), "X-CSRF-Token", lapsed.csrf()));
    strangers.put("a forged session cookie", Map.of("Cookie", "payouts_session=" + forged, "X-CSRF-Token", "x"));
    strangers.put("a garbage cookie", Map.of("Cookie", "payouts_session=../../etc/passwd"));
    strangers.put("a forged token", Map.of("Authorization", "Bearer pat_" + forged));
    strangers.put("no credentials", Map.of());

    String before = stack.rows();
    List<Object[]> requests = staffRequests(pending.id(), staffTokenId);
    assertTrue(requests.size() >= 20, "every staff route: " + requests.size());
    for (Map.Entry<String, Map<String, String>> s : strangers.entrySet()) {
      for (Object[] req : requests) {
        HttpResponse<Buffer> r = call(web, (HttpMethod) req[0], (String) req[1], s.getValue(), (JsonObject) req[2]);
        String what = s.getKey() + ": " + req[0] + " " + req[1] + " -> " + r.statusCode() + " " + r.bodyAsString();
        int expected = s.getKey().equals("a non-staff session") ? 403 : 401;
        assertEquals(expected, r.statusCode(), what);
      }
    }
    assertEquals(before, stack.rows(), "nothing changed");
    assertEquals("pending", stack.f.payouts.repository().find(pending.id()).map(p -> p.orElseThrow().status().wire())
        .toCompletionStage().toCompletableFuture().join());
  }

  @Test
  void cookieWritesWithoutTheirSessionsCsrfTokenAreRefusedAndChangeNothing() {
    Payout pending = await(stack.f.request(userId, "15.00", PayoutMethod.PAYPAL));
    String owner = email("staff");
    user(owner, true);
    Browser b = signIn(web, owner);
    Browser other = signIn(web, owner);
    long staffTokenId = stack.count("SELECT max(id) FROM api_tokens");
    String before = stack.rows();
    int writes = 0;
    for (Object[] req : staffRequests(pending.id(), staffTokenId)) {
      HttpMethod m = (HttpMethod) req[0];
      if (m == HttpMethod.GET) continue;
      writes++;
      for (Map<String, String> headers : List.of(Map.of("Cookie", b.cookie()),
          Map.of("Cookie", b.cookie(), "X-CSRF-Token", other.csrf()), Map.of("Cookie", b.cookie(), "X-CSRF-Token", ""))) {
        HttpResponse<Buffer> r = call(web, m, (String) req[1], headers, (JsonObject) req[2]);
        assertEquals(403, r.statusCode(), m + " " + req[1] + " " + headers.keySet() + ": " + r.bodyAsString());
        assertEquals("csrf_failed", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
      }
    }
    assertTrue(writes >= 10, "every write route: " + writes);
    assertEquals(before, stack.rows(), "nothing changed");
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new RuntimeException(e);
    }
  }
}
