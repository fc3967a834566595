package com.payouts.security;

import static com.payouts.support.Await.await;
import static com.payouts.support.Await.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.bus.Addresses;
import com.payouts.domain.PayoutMethod;
import com.payouts.http.HttpEdge;
import com.payouts.http.TrustedProxies;
import com.payouts.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stranger at the HTTP edge: slow or silent connections, floods of them, oversize bodies,
 * cross-origin pages, sockets beyond a session's share, a reader too slow for its pushes; and the
 * headers every answer needs. Each asserts the refusal and that nothing changed.
 */
@ExtendWith(VertxExtension.class)
class HttpEdgeProbesTest {
  /** Short bounds, so a probe waits seconds, not minutes; the assertions are about outcomes only. */
  static final HttpEdge EDGE = new HttpEdge(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofSeconds(3), 16, 2,
      TrustedProxies.NONE);
  static final String EVIL = "https://evil.example";

  static Stack stack;
  static int port;
  static WebClient web;
  /** For SockJS's XHR paths, which close the connection after each answer: never reuse one. */
  static WebClient oneShot;
  static HttpClient http;
  static Vertx vertx;
  static WebSocketClient sockets;
  static String cookie;
  static long userId;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    stack = Stack.create(vertx);
    port = stack.api(EDGE);
    web = stack.client(port, "127.0.0.1");
    oneShot = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(port).setKeepAlive(false));
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAliveTimeout(1), new PoolOptions().setHttp1MaxSize(4));
    sockets = vertx.createWebSocketClient();
    userId = await(stack.f.userWith("500.00")).id();
    cookie = freshCookie();
  }

  /** A session of its own for a test that opens bridge sockets, which count against their session. */
  static String freshCookie() {
    HttpResponse<Buffer> in = Stack.login(web, stack.staffEmail, Stack.PASSWORD);
    assertEquals(200, in.statusCode(), in.bodyAsString());
    return in.cookies().get(0).split(";", 2)[0];
  }

  /** A SockJS WebSocket whose frames land in {@code frames} from the first (the handler is set before any arrives). */
  static WebSocket webSocket(String uri, String cookie, List<String> frames) {
    return await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)
        .addHeader("Cookie", cookie)).map(ws -> ws.textMessageHandler(frames::add)));
  }

  @AfterAll
  static void stop() {
    stack.stop();
  }

  // ------------------------------------------------------------------ slow and silent connections

  @Test
  void aConnectionThatSendsNothingIsClosed() throws Exception {
    try (RawConnection c = new RawConnection("127.0.0.21", port)) {
      assertTrue(c.closedWithin(Duration.ofSeconds(10)), "a silent connection is closed");
      assertEquals("", c.text());
    }
  }

  @Test
  void headersTrickledALineAtATimeAreCutOff() throws Exception {
    try (RawConnection c = new RawConnection("127.0.0.21", port)) {
      c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      assertTrue(c.trickle(RawConnection.headerLines(40), Duration.ofMillis(300)),
          "headers that never end are cut off (slowloris)");
      assertFalse(c.text().contains("200"), c.text());
    }
  }

  @Test
  void aKeptAliveConnectionTricklingItsNextRequestIsCutOff() throws Exception {
    try (RawConnection c = new RawConnection("127.0.0.21", port)) {
      c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      c.readFor(Duration.ofMillis(500));
      assertTrue(c.text().startsWith("HTTP/1.1 "), "the first request is answered: " + c.text());
      c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      assertTrue(c.trickle(RawConnection.headerLines(40), Duration.ofMillis(300)),
          "the next request's headers that never end are cut off");
    }
  }

  /** Asking for a WebSocket where there is none does not take a connection out of the watch. */
  @Test
  void aRefusedUpgradeThenTrickledHeadersAreCutOffToo() throws Exception {
    try (RawConnection c = new RawConnection("127.0.0.21", port)) {
      c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
          + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
      c.readUntil("\r\n\r\n", Duration.ofSeconds(2));
      assertTrue(c.text().startsWith("HTTP/1.1 ") && !c.text().startsWith("HTTP/1.1 101"), c.text());
      c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      assertTrue(c.trickle(RawConnection.headerLines(40), Duration.ofMillis(300)), "cut off all the same");
    }
  }

  @Test
  void aBodyTrickledToTheApiIs408AndChangesNothing() throws Exception {
    String before = stack.rows();
    try (RawConnection c = new RawConnection("127.0.0.21", port)) {
      c.send("POST /api/payouts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + stack.staffToken
          + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"userId\": " + userId);
      String[] bytes = new String[40];
      java.util.Arrays.fill(bytes, " ");
      assertTrue(c.trickle(bytes, Duration.ofMillis(300)), "a body that never ends is cut off");
      assertTrue(c.text().startsWith("HTTP/1.1 408"), c.text());
      assertTrue(c.text().contains("request_timeout"), c.text());
    }
    assertEquals(before, stack.rows());
  }

  /** /eventbus is mounted ahead of the router's request timeout: the server's body bound covers it. */
  @Test
  void aBodyTrickledToXhrSendIsCutOff() throws Exception {
    try (RawConnection c = new RawConnection("127.0.0.21", port)) {
      c.send("POST /eventbus/123/" + UUID.randomUUID().toString().replace("-", "") + "/xhr_send HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\nCookie: " + cookie + "\r\nContent-Type: text/plain\r\nContent-Length: 4000\r\n\r\n[\"");
      String[] bytes = new String[40];
      java.util.Arrays.fill(bytes, "x");
      assertTrue(c.trickle(bytes, Duration.ofMillis(300)), "a send body that never ends is cut off");
      assertTrue(c.text().startsWith("HTTP/1.1 408"), c.text());
    }
  }

  @Test
  void longLivedTransportsOutliveEveryTimeout() {
    String cookie = freshCookie();
    List<String> wsFrames = new CopyOnWriteArrayList<>();
    String base = "/eventbus/" + 321 + "/" + UUID.randomUUID().toString().replace("-", "");
    WebSocket ws = webSocket(base + "/websocket", cookie, wsFrames);
    List<String> streamed = new CopyOnWriteArrayList<>();
    String streamBase = "/eventbus/" + 322 + "/" + UUID.randomUUID().toString().replace("-", "");
    HttpClientResponse stream = await(http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(port).setURI(streamBase + "/xhr_streaming").addHeader("Cookie", cookie))
        .compose(r -> r.send().map(resp -> resp.handler(b -> streamed.add(b.toString())))));
    eventually(() -> wsFrames.contains("o") && String.join("", streamed).contains("\no\n"), 3_000, "both open");
    ws.writeTextMessage(frames(register()));
    assertEquals(204, xhrSend(streamBase, cookie, frames(register())).statusCode());
    // Longer than the idle timeout and many header timeouts; the WebSocket pings as the dashboard does.
    long until = System.currentTimeMillis() + 2 * EDGE.idleTimeout().toMillis();
    while (System.currentTimeMillis() < until) {
      ws.writeTextMessage(frames(new JsonObject().put("type", "ping")));
      assertEquals(204, xhrSend(streamBase, cookie, frames(new JsonObject().put("type", "ping"))).statusCode());
      pause(1_000);
    }
    long payout = await(stack.f.request(userId, "3.00", PayoutMethod.PAYPAL)).id();
    eventually(() -> wsFrames.stream().anyMatch(f -> f.contains("\\\"payoutId\\\":" + payout)), 5_000,
        "the WebSocket still gets pushes: " + wsFrames);
    eventually(() -> String.join("", streamed).contains("\\\"payoutId\\\":" + payout), 5_000,
        "xhr_streaming still gets pushes");
    assertFalse(wsFrames.stream().anyMatch(f -> f.startsWith("c[")), wsFrames.toString());
    ws.close();
    stream.request().connection().close();
  }

  // ------------------------------------------------------------------ floods and sizes

  @Test
  void oneAddressHoldsAtMostItsShareOfConnections() throws Exception {
    List<RawConnection> held = new ArrayList<>();
    try {
      // All opened and asked at once: each is served, and all are still held (well within the idle timeout).
      for (int i = 0; i < EDGE.maxConnectionsPerClient(); i++) {
        RawConnection c = new RawConnection("127.0.0.22", port);
        held.add(c);
        c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      }
      for (RawConnection c : held) {
        c.readUntil("\r\n\r\n", Duration.ofSeconds(2));
        assertTrue(c.text().startsWith("HTTP/1.1 "), "each is served: " + c.text());
      }
      try (RawConnection extra = new RawConnection("127.0.0.22", port)) {
        extra.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(extra.closedWithin(Duration.ofSeconds(5)), "one more from the same address is refused");
        assertEquals("", extra.text(), "and never served");
      }
      try (RawConnection other = new RawConnection("127.0.0.23", port)) {
        other.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        other.readFor(Duration.ofMillis(500));
        assertTrue(other.text().startsWith("HTTP/1.1 "), "another address is served meanwhile: " + other.text());
      }
      held.remove(0).close();
      eventually(Duration.ofSeconds(5), () -> {
        try (RawConnection again = new RawConnection("127.0.0.22", port)) {
          again.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          again.readFor(Duration.ofMillis(300));
          return again.text().startsWith("HTTP/1.1 ");
        } catch (Exception e) {
          return false;
        }
      }, "a freed place is given again");
    } finally {
      for (RawConnection c : held) c.close();
    }
  }

  @Test
  void oversizeBodiesAre413AndChangeNothing() {
    String before = stack.rows();
    HttpResponse<Buffer> api = await(web.post("/api/payouts").bearerTokenAuthentication(stack.staffToken)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"userId\": " + userId + ", \"amount\": \"5.00\", \"method\": \"paypal\", \"pad\": \""
            + "x".repeat(70 * 1024) + "\"}")));
    assertEquals(413, api.statusCode(), api.bodyAsString());
    HttpResponse<Buffer> send = xhrSend("/eventbus/1/" + UUID.randomUUID().toString().replace("-", ""),
        "[\"" + "x".repeat(9 * 1024) + "\"]");
    assertEquals(413, send.statusCode(), send.bodyAsString());
    assertEquals(before, stack.rows());
  }

  // ------------------------------------------------------------------ misconfiguration: CORS, caching, sniffing

  @Test
  void noCredentialedCorsForAnotherOriginOnTheBridgeOrTheApi() {
    String session = "/eventbus/7/" + UUID.randomUUID().toString().replace("-", "");
    List<RequestOptions> probes = List.of(
        probe(HttpMethod.GET, "/eventbus/info"),
        probe(HttpMethod.OPTIONS, "/eventbus/info"),
        probe(HttpMethod.POST, session + "/xhr"),
        probe(HttpMethod.POST, session + "/xhr_streaming"),
        probe(HttpMethod.POST, session + "/xhr_send"),
        probe(HttpMethod.OPTIONS, session + "/xhr"),
        probe(HttpMethod.OPTIONS, session + "/xhr_streaming"),
        probe(HttpMethod.OPTIONS, session + "/xhr_send"),
        probe(HttpMethod.GET, "/api/stats").addHeader("Authorization", "Bearer " + stack.staffToken),
        probe(HttpMethod.OPTIONS, "/api/payouts"),
        probe(HttpMethod.POST, "/api/auth/login"));
    for (String origin : List.of(EVIL, "null", "http://127.0.0.1:" + port + ".evil.example")) {
      for (RequestOptions p : probes) {
        p.putHeader("Origin", origin);
        Answer a = answer(p);
        assertNull(a.headers.get("Access-Control-Allow-Credentials"), origin + " " + p.getURI() + ": " + a);
        assertNull(a.headers.get("Access-Control-Allow-Origin"), origin + " " + p.getURI() + ": " + a);
        if (p.getURI().startsWith("/eventbus")) {
          assertEquals(403, a.status, origin + " " + p.getURI() + ": " + a);
          assertTrue(a.body.contains("cross_origin"), a.toString());
        }
      }
    }
    Throwable upgrade = com.payouts.support.Await.failure(sockets.connect(new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(port).setURI(session + "/websocket").addHeader("Cookie", cookie)
        .addHeader("Origin", EVIL)));
    assertTrue(String.valueOf(upgrade.getMessage()).contains("403"), String.valueOf(upgrade));
    // Our own pages: answered, and still no CORS (a same-origin request needs none).
    Answer own = answer(probe(HttpMethod.GET, "/eventbus/info").putHeader("Origin", "http://127.0.0.1:" + port));
    assertEquals(200, own.status, own.toString());
    assertNull(own.headers.get("Access-Control-Allow-Credentials"), own.toString());
  }

  @Test
  void everyAnswerWithBalancesOrPersonalDataIsNoStoreAndNosniff() throws Exception {
    List<HttpResponse<Buffer>> answers = List.of(
        await(web.get("/api/stats").bearerTokenAuthentication(stack.staffToken).send()),
        await(web.get("/api/users/" + userId).bearerTokenAuthentication(stack.staffToken).send()),
        await(web.get("/api/users/" + userId + "/ledger").bearerTokenAuthentication(stack.staffToken).send()),
        await(web.get("/api/payouts/99999999").bearerTokenAuthentication(stack.staffToken).send()),
        await(web.get("/api/users/" + userId).send()),
        await(web.post("/api/payouts").bearerTokenAuthentication(stack.staffToken)
            .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{"))),
        await(web.get("/api/no-such-thing").bearerTokenAuthentication(stack.staffToken).send()),
        await(web.get("/api/auth/me").putHeader("Cookie", cookie).send()),
        await(web.post("/api/auth/login").putHeader("Content-Type", "application/json")
            .sendJsonObject(new JsonObject().put("email", "nobody@example.com").put("password", "wrong wrong"))),
        await(web.get("/api/tokens").bearerTokenAuthentication(stack.staffToken).send()),
        await(web.get("/admin/ajax/task-status/nope/").send()),
        await(web.get("/admin/ajax/task-status/nope/").bearerTokenAuthentication(stack.staffToken).send()));
    for (HttpResponse<Buffer> r : answers) {
      assertEquals("no-store", r.getHeader("Cache-Control"), r.statusCode() + " " + r.bodyAsString());
      assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), r.statusCode() + " " + r.bodyAsString());
    }
    // Even a request the HTTP codec refuses before any route sees it.
    try (RawConnection c = new RawConnection("127.0.0.24", port)) {
      c.send("GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
      c.closedWithin(Duration.ofSeconds(5));
      assertTrue(c.text().startsWith("HTTP/1.1 431"), c.text());
      assertTrue(c.text().toLowerCase().contains("cache-control: no-store"), c.text());
      assertTrue(c.text().toLowerCase().contains("x-content-type-options: nosniff"), c.text());
    }
  }

  @Test
  void pagesCarryAContentSecurityPolicyAndAreNeverFramed() {
    for (String page : List.of("/", "/login.html", "/app.js", "/next.js", "/admin/payout-queue/")) {
      HttpResponse<Buffer> r = await(web.get(page).send());
      assertEquals(200, r.statusCode(), page);
      String csp = r.getHeader("Content-Security-Policy");
      assertNotNull(csp, page);
      assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'")
          && csp.contains("object-src 'none'"), page + ": " + csp);
      assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), page);
      assertEquals("DENY", r.getHeader("X-Frame-Options"), page);
    }
  }

  // ------------------------------------------------------------------ the bridge: sockets and slow readers

  @Test
  void aSessionHoldsAtMostItsShareOfSockets() {
    String cookie = freshCookie();
    List<List<String>> seen = new ArrayList<>();
    List<WebSocket> open = new ArrayList<>();
    for (int i = 0; i <= EDGE.maxSocketsPerSession(); i++) {
      List<String> frames = new CopyOnWriteArrayList<>();
      WebSocket ws = webSocket("/eventbus/9/" + UUID.randomUUID().toString().replace("-", "") + "/websocket", cookie,
          frames);
      seen.add(frames);
      open.add(ws);
      eventually(() -> frames.contains("o"), 3_000, "socket " + frames);
    }
    List<String> refused = seen.get(EDGE.maxSocketsPerSession());
    eventually(() -> refused.stream().anyMatch(f -> f.startsWith("c[")), 3_000, "the one too many is closed: " + refused);
    assertTrue(refused.stream().anyMatch(f -> f.contains("too_many_sockets")), refused.toString());
    for (int i = 0; i < EDGE.maxSocketsPerSession(); i++) {
      assertFalse(seen.get(i).stream().anyMatch(f -> f.startsWith("c[")), "socket " + i + " stays: " + seen.get(i));
    }
    // A place given back is given again.
    await(open.get(0).close());
    eventually(Duration.ofSeconds(5), () -> {
      List<String> frames = new CopyOnWriteArrayList<>();
      WebSocket ws = webSocket("/eventbus/9/" + UUID.randomUUID().toString().replace("-", "") + "/websocket", cookie,
          frames);
      pause(500);
      boolean kept = frames.contains("o") && frames.stream().noneMatch(f -> f.startsWith("c["));
      if (kept) open.add(ws);
      else ws.close();
      return kept;
    }, "a new socket once one closed");
    open.forEach(WebSocket::close);
  }

  /**
   * xhr polling: between polls the session keeps every frame in a list. A client that stops polling
   * while big pushes pile up is dropped once its backlog passes the bound, and told to resync.
   */
  @Test
  void aReaderThatFallsBehindIsDroppedWithAResyncNotBufferedWithoutBound() {
    String cookie = freshCookie();
    String base = "/eventbus/5/" + UUID.randomUUID().toString().replace("-", "");
    assertTrue(poll(base, cookie).startsWith("o"));
    assertEquals(204, xhrSend(base, cookie, frames(register())).statusCode());
    // One small push, to know the registration is live.
    String first = "";
    for (int i = 0; i < 20 && !first.contains("warm"); i++) {
      stack.vertx.eventBus().publish(Addresses.DASHBOARD_PAYOUTS, new JsonObject().put("warm", true));
      first = poll(base, cookie);
    }
    assertTrue(first.contains("warm"), first);
    // Now nobody polls, and 2 MB of pushes arrive.
    String filler = "x".repeat(100_000);
    for (int i = 0; i < 20; i++) {
      stack.vertx.eventBus().publish(Addresses.DASHBOARD_PAYOUTS, new JsonObject().put("n", i).put("filler", filler));
    }
    pause(300);
    String backlog = poll(base, cookie);
    assertTrue(backlog.contains("resync"), "told to resync: " + backlog.substring(0, Math.min(300, backlog.length())));
    assertTrue(backlog.length() < 1_300_000, "bounded, not every push: " + backlog.length());
    assertTrue(poll(base, cookie).startsWith("c["), "then closed");
  }

  // ------------------------------------------------------------------ helpers

  static JsonObject register() {
    return new JsonObject().put("type", "register").put("address", Addresses.DASHBOARD_PAYOUTS);
  }

  static String frames(JsonObject... bridgeFrames) {
    JsonArray batch = new JsonArray();
    for (JsonObject f : bridgeFrames) batch.add(f.encode());
    return batch.encode();
  }

  static HttpResponse<Buffer> xhrSend(String base, String body) {
    return xhrSend(base, cookie, body);
  }

  static HttpResponse<Buffer> xhrSend(String base, String cookie, String body) {
    return await(oneShot.post(base + "/xhr_send").putHeader("Content-Type", "text/plain").putHeader("Cookie", cookie)
        .sendBuffer(Buffer.buffer(body)));
  }

  static String poll(String base, String cookie) {
    return await(oneShot.post(base + "/xhr").putHeader("Cookie", cookie).send()).bodyAsString();
  }

  static RequestOptions probe(HttpMethod method, String uri) {
    return new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri)
        .addHeader("Cookie", cookie).addHeader("Access-Control-Request-Method", "POST")
        .addHeader("Access-Control-Request-Headers", "content-type, x-csrf-token");
  }

  record Answer(int status, Map<String, String> headers, String body) {}

  /** Status, headers and at most the first chunk of the body: a stream that was let through would never end. */
  static Answer answer(RequestOptions o) {
    // built on the loop, so the body handler is set before the first chunk can arrive
    return await(Await.onLoop(vertx, () -> http.request(o).compose(req -> req.send().compose(resp -> {
      Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      resp.headers().forEach(e -> h.put(e.getKey(), e.getValue()));
      io.vertx.core.Promise<String> first = io.vertx.core.Promise.promise();
      resp.handler(b -> first.tryComplete(b.toString()));
      resp.endHandler(v -> first.tryComplete(""));
      return first.future().timeout(5, java.util.concurrent.TimeUnit.SECONDS).otherwise("")
          .map(body -> {
            resp.request().connection().close();
            return new Answer(resp.statusCode(), h, body);
          });
    }))));
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new RuntimeException(e);
    }
  }
}
