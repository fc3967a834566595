package com.payouts.http;

import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.eventually;
import static com.payouts.support.Await.await;
import static com.payouts.support.Await.failure;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.bus.Addresses;
import com.payouts.bus.TransitionPublisher;
import com.payouts.db.StatsRepository;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.RetryPolicy;
import com.payouts.auth.AuthRepository;
import com.payouts.auth.AuthService;
import com.payouts.service.PayoutDispatcher;
import com.payouts.stats.StatsAggregatorVerticle;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import com.payouts.loadtest.DashboardWatch;
import io.vertx.core.http.WebSocket;
import java.net.URI;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SockJS bridge over a raw WebSocket: outbound only, for live staff sessions only, closed at
 * logout. Transitions come from real payouts published by the real publisher.
 */
@ExtendWith(VertxExtension.class)
class DashboardBridgeTest {
  static final String PASSWORD = "correct horse battery";
  static Vertx vertx;
  static TestDatabase db;
  static Fixtures f;
  static TestStack stack;
  static String staffEmail;
  static WebClient http;
  static int port;
  static long userId;
  /** Bodies a browser tried to slip onto the server's bus. */
  static final List<JsonObject> forged = new CopyOnWriteArrayList<>();
  final List<WebSocket> opened = new ArrayList<>();

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    stack = await(TestStack.builder().roles(Role.HTTP, Role.STATS).start(vertx));
    db = stack.db;
    f = stack.f;
    staffEmail = await(stack.staffUser());
    port = stack.port();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    userId = await(f.userWith("100000.00")).id();
    for (String address : List.of(Addresses.DASHBOARD_PAYOUTS, Addresses.DASHBOARD_STATS, Addresses.PAYOUT_TRANSITIONS,
        Addresses.QUEUE_WAKE, Addresses.LOGOUT)) {
      MessageConsumer<Object> c = vertx.eventBus().consumer(address, m -> {
        if (m.body() instanceof JsonObject o && o.containsKey("forged")) forged.add(o);
      });
      await(c.completion());
    }
  }

  @AfterAll
  static void stop() {
    await(stack.stop());
  }

  @AfterEach
  void closeSockets() {
    opened.forEach(ws -> ws.close());
  }

  /** A raw bridge client: every frame it got, and whether the server closed it. */
  final class Client {
    final WebSocket ws;
    final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    final AtomicBoolean closed = new AtomicBoolean();

    Client(WebSocket ws) {
      this.ws = ws;
      if (ws == null) {
        closed.set(true);
        return;
      }
      try {
        // The bridge writes BINARY frames on the raw websocket transport.
        ws.handler(buf -> frames.add(buf.toJsonObject()));
        ws.closeHandler(v -> closed.set(true));
      } catch (IllegalStateException alreadyClosed) {
        closed.set(true);
      }
    }

    void frame(JsonObject frame) {
      if (!closed.get()) ws.writeTextMessage(frame.encode()).otherwiseEmpty();
    }

    void register(String address) {
      frame(new JsonObject().put("type", "register").put("address", address));
    }

    List<JsonObject> received(String address) {
      return frames.stream().filter(fr -> "rec".equals(fr.getString("type")) && address.equals(fr.getString("address")))
          .toList();
    }

    List<JsonObject> errors() {
      return frames.stream().filter(fr -> "err".equals(fr.getString("type"))).toList();
    }

    boolean sawTransitionOf(long payoutId) {
      return received(Addresses.DASHBOARD_PAYOUTS).stream().anyMatch(fr -> fr.getJsonObject("body")
          .getJsonArray("transitions").stream().anyMatch(t -> ((JsonObject) t).getLong("payoutId") == payoutId));
    }
  }

  Client connect(String cookie, String origin) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket");
    if (cookie != null) o.addHeader("Cookie", cookie);
    if (origin != null) o.addHeader("Origin", origin);
    // Handlers are set on the event loop as the socket opens, before any frame can arrive. A socket the
    // server refuses may already be gone before the client finished its handshake: that is a closed one.
    Client c = await(vertx.createWebSocketClient().connect(o).map(Client::new).otherwise(err -> new Client(null)));
    if (c.ws != null) opened.add(c.ws);
    return c;
  }

  record Login(String cookie, String csrf) {}

  static Login login() {
    HttpResponse<Buffer> r = await(http.post("/api/auth/login").putHeader("Content-Type", "application/json")
        .sendJsonObject(new JsonObject().put("email", staffEmail).put("password", PASSWORD)));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String cookie = r.cookies().stream().filter(c -> c.startsWith("payouts_session=")).findFirst().orElseThrow()
        .split(";", 2)[0];
    return new Login(cookie, r.bodyAsJsonObject().getString("csrfToken"));
  }

  static Payout newPayout() {
    return await(f.request(userId, "12.50", PayoutMethod.PAYPAL));
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new RuntimeException(e);
    }
  }

  /** Tries everything a hostile page could: register, send and publish, on dashboard and internal addresses. */
  static void tryEverything(Client c) {
    c.register(Addresses.DASHBOARD_PAYOUTS);
    c.register(Addresses.PAYOUT_TRANSITIONS);
    JsonObject body = new JsonObject().put("forged", true);
    for (String address : List.of(Addresses.DASHBOARD_PAYOUTS, Addresses.DASHBOARD_STATS, Addresses.PAYOUT_TRANSITIONS,
        Addresses.QUEUE_WAKE, Addresses.LOGOUT)) {
      c.frame(new JsonObject().put("type", "send").put("address", address).put("body", body));
      c.frame(new JsonObject().put("type", "publish").put("address", address).put("body", body));
    }
  }

  @Test
  void aSocketWithoutASessionIsRefusedReceivesNothingAndCannotSendOrPublish() {
    forged.clear();
    Client anonymous = connect(null, null);
    tryEverything(anonymous);
    Payout p = newPayout();
    pause(1_200);
    assertTrue(anonymous.received(Addresses.DASHBOARD_PAYOUTS).isEmpty(), "no transitions for an anonymous socket");
    assertFalse(anonymous.sawTransitionOf(p.id()));
    assertTrue(anonymous.received(Addresses.PAYOUT_TRANSITIONS).isEmpty());
    assertTrue(forged.isEmpty(), "nothing reached the server's bus: " + forged);
    eventually(anonymous.closed::get, 2_000, "the bridge closes a socket without a session");
  }

  @Test
  void aNonStaffSessionAndAForeignOriginAreRefusedToo() {
    forged.clear();
    // A live session of an ordinary user, made the way login makes one.
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    await(new AuthRepository(db.pool()).createSession(AuthService.sessionId(token), userId, "csrf-" + token, 3600));
    Client customer = connect("payouts_session=" + token, null);
    Client foreign = connect(login().cookie(), "http://attacker.invalid");
    for (Client c : List.of(customer, foreign)) tryEverything(c);
    Payout p = newPayout();
    pause(1_200);
    for (Client c : List.of(customer, foreign)) {
      assertFalse(c.sawTransitionOf(p.id()));
      assertTrue(c.received(Addresses.DASHBOARD_PAYOUTS).isEmpty());
      eventually(c.closed::get, 2_000, "refused socket closed");
    }
    assertTrue(forged.isEmpty(), "nothing reached the server's bus: " + forged);
  }

  @Test
  void aStaffSocketGetsATransitionWithinASecondButMayNotSendPublishOrListenElsewhere() {
    forged.clear();
    Client staff = connect(login().cookie(), "http://127.0.0.1:" + port);
    staff.register(Addresses.DASHBOARD_PAYOUTS);
    staff.register(Addresses.DASHBOARD_STATS);
    pause(300); // the register waits for the session lookup
    long before = System.nanoTime();
    Payout p = newPayout();
    eventually(() -> staff.sawTransitionOf(p.id()), 1_000, "the new payout's transition within a second: "
        + staff.frames + " closed " + staff.closed);
    long tookMs = (System.nanoTime() - before) / 1_000_000;
    assertTrue(tookMs < 1_000, "took " + tookMs + " ms");
    JsonObject t = staff.received(Addresses.DASHBOARD_PAYOUTS).stream()
        .flatMap(fr -> fr.getJsonObject("body").getJsonArray("transitions").stream()).map(JsonObject.class::cast)
        .filter(x -> x.getLong("payoutId") == p.id()).findFirst().orElseThrow();
    assertEquals("pending", t.getString("to"));
    assertNull(t.getString("from"));
    assertEquals("12.50", t.getString("amount"));
    eventually(() -> !staff.received(Addresses.DASHBOARD_STATS).isEmpty(), 1_000, "a stats snapshot follows");

    int errorsBefore = staff.errors().size();
    tryEverything(staff);
    eventually(() -> staff.errors().size() >= errorsBefore + 11, 2_000,
        "an err frame for each send, publish and foreign register: " + staff.errors());
    pause(300);
    assertTrue(forged.isEmpty(), "nothing reached the server's bus: " + forged);
    assertTrue(staff.received(Addresses.PAYOUT_TRANSITIONS).isEmpty(), "internal addresses stay internal");
    assertFalse(staff.closed.get());
  }

  @Test
  void theLoadTestsDashboardWatchSeesEveryRowInAFewCoalescedMessages() {
    DashboardWatch watch = new DashboardWatch(vertx, URI.create("http://127.0.0.1:" + port), staffEmail, PASSWORD);
    await(watch.open());
    pause(300); // the register waits for the session lookup
    List<io.vertx.core.Future<Payout>> created = new ArrayList<>();
    for (int i = 0; i < 300; i++) created.add(f.request(userId, "1.50", PayoutMethod.PAYPAL));
    await(io.vertx.core.Future.all(created));
    eventually(() -> watch.transitions() >= 300, 3_000, "300 new rows pushed: " + watch.summary());
    pause(600);
    assertEquals(300, watch.transitions(), watch.summary());
    // Coalesced: at most one row message and one stats message per 250 ms, not one per transition.
    assertTrue(watch.messages() <= 30, watch.summary());
    await(watch.close());

    DashboardWatch wrong = new DashboardWatch(vertx, URI.create("http://127.0.0.1:" + port), staffEmail, "not the password");
    assertTrue(failure(wrong.open()).getMessage().contains("401"));
  }

  @Test
  void logoutClosesThatSessionsSocketsAndItsCookieNoLongerOpensOne() {
    Login session = login();
    Client staff = connect(session.cookie(), null);
    staff.register(Addresses.DASHBOARD_PAYOUTS);
    Client other = connect(login().cookie(), null); // another browser: stays open
    other.register(Addresses.DASHBOARD_PAYOUTS);
    pause(300);
    Payout p = newPayout();
    eventually(() -> staff.sawTransitionOf(p.id()), 3_000, "live before logout");

    HttpResponse<Buffer> out = await(http.post("/api/auth/logout").putHeader("Cookie", session.cookie())
        .putHeader("X-CSRF-Token", session.csrf()).send());
    assertEquals(204, out.statusCode(), out.bodyAsString());
    eventually(staff.closed::get, 2_000, "the logged-out session's socket is closed");

    Client again = connect(session.cookie(), null);
    again.register(Addresses.DASHBOARD_PAYOUTS);
    Payout q = newPayout();
    eventually(() -> other.sawTransitionOf(q.id()), 3_000, "the other session still gets transitions");
    eventually(again.closed::get, 2_000, "an ended session's cookie opens no socket");
    assertFalse(again.sawTransitionOf(q.id()));
    assertFalse(other.closed.get());
  }

  @Test
  void thePagesAreServedOutsideTheApiGuardWithSecurityHeaders() {
    for (String path : List.of("/", "/login.html", "/admin/payout-queue/", "/app.js", "/eventbus.js", "/style.css")) {
      HttpResponse<Buffer> r = await(http.get(path).send());
      assertEquals(200, r.statusCode(), path);
      String csp = r.getHeader("Content-Security-Policy");
      assertNotNull(csp, path);
      assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
      assertFalse(csp.contains("unsafe-inline"), csp);
      assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), path);
      assertEquals("no-referrer", r.getHeader("Referrer-Policy"), path);
    }
    String index = await(http.get("/").send()).bodyAsString();
    assertEquals(index, await(http.get("/admin/payout-queue/").send()).bodyAsString(), "the old path shows the same page");
    assertFalse(index.contains("<script>"), "no inline script");
    assertTrue(await(http.get("/app.js").send()).getHeader("Content-Type").contains("javascript"));
    HttpResponse<Buffer> sockjs = await(http.get("/webjars/sockjs-client/1.5.1/sockjs.min.js").send());
    assertEquals(200, sockjs.statusCode());
    assertEquals(200, await(http.get("/eventbus/info").send()).statusCode(), "the bridge is not behind the /api guard");
    assertEquals(401, await(http.get("/api/stats").send()).statusCode(), "the API still is");
    assertEquals(404, await(http.get("/pom.xml").send()).statusCode());
    assertEquals(404, await(http.get("/webroot/index.html").send()).statusCode());
  }
}
