package com.payouts.http;

import com.payouts.app.Role;
import com.payouts.support.Await;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static com.payouts.support.Await.eventually;
import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
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
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * The bridge over each SockJS transport the server enables, spoken at the protocol level as the
 * browser client speaks it: the SockJS WebSocket, {@code xhr_streaming} and {@code xhr} polling
 * (the last two with frames sent by {@code xhr_send}). Each registers, pings, gets a pushed
 * transition, and is refused alike without a staff session; no request under /eventbus is a 500 and
 * none logs an ERROR.
 */
@ExtendWith(VertxExtension.class)
class SockJsTransportsTest {
  static final String PASSWORD = "correct horse battery";
  static final String CLOSE_GO_AWAY = "c[3000,\"Go away!\"]";
  static Vertx vertx;
  static TestDatabase db;
  static Fixtures f;
  static TestStack stack;
  static String staffEmail;
  static WebClient web;
  static HttpClient http;
  static WebSocketClient sockets;
  static int port;
  static long userId;
  static final ErrorLines errors = new ErrorLines();
  final List<Channel> opened = new ArrayList<>();

  /** Every ERROR logged while a test runs, from the service or from Vert.x. */
  static final class ErrorLines extends AppenderBase<ILoggingEvent> {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent e) {
      if (e.getLevel().isGreaterOrEqual(Level.ERROR)) lines.add(e.getLoggerName() + ": " + e.getFormattedMessage());
    }
  }

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    stack = await(TestStack.builder().roles(Role.HTTP, Role.STATS).start(vertx));
    db = stack.db;
    f = stack.f;
    staffEmail = await(stack.staffUser());
    port = stack.port();
    web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    // Streaming and polling each hold a connection open: more than the default five at once.
    http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(32));
    sockets = vertx.createWebSocketClient();
    userId = await(f.userWith("100000.00")).id();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    errors.setContext(root.getLoggerContext());
    errors.start();
    root.addAppender(errors);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(errors);
    await(stack.stop());
  }

  @BeforeEach
  void noErrorsYet() {
    errors.lines.clear();
  }

  @AfterEach
  void closeAndCheckTheLog() {
    opened.forEach(Channel::stop);
    assertEquals(List.of(), errors.lines, "ERROR lines logged");
  }

  /** The three ways a SockJS client can reach the bridge, by their path suffix. */
  enum Kind {
    WEBSOCKET("websocket"), XHR_STREAMING("xhr_streaming"), XHR_POLLING("xhr");

    final String suffix;

    Kind(String suffix) {
      this.suffix = suffix;
    }
  }

  /**
   * One SockJS session as a client sees it: the frames it got ("o", "h", "c[...]") and the bridge
   * messages inside its "a[...]" frames.
   */
  abstract class Channel {
    final String base = "/eventbus/" + (100 + new SecureRandom().nextInt(900)) + "/" + UUID.randomUUID().toString()
        .replace("-", "");
    final List<String> frames = new CopyOnWriteArrayList<>();
    final List<JsonObject> messages = new CopyOnWriteArrayList<>();
    final AtomicBoolean stopped = new AtomicBoolean();
    private final StringBuilder partial = new StringBuilder();

    /** Opens the session and returns once the "o" frame arrived (or the transport failed). */
    abstract void open(String cookie);

    /** Sends bridge frames the way the client does; the status of the send (204 on WebSocket). */
    abstract int send(JsonObject... bridgeFrames);

    abstract void stop();

    /** A piece of the transport's stream: newline-ended SockJS frames, the last maybe cut short. */
    synchronized void take(String chunk) {
      partial.append(chunk);
      int end;
      while ((end = partial.indexOf("\n")) >= 0) {
        String line = partial.substring(0, end);
        partial.delete(0, end + 1);
        // xhr_streaming opens with a line of 2048 'h's to get past buffering proxies; "h" alone is a heartbeat.
        if (line.isEmpty() || line.length() > 1 && line.chars().allMatch(c -> c == 'h')) continue;
        frames.add(line);
        if (line.startsWith("a")) {
          for (Object m : new JsonArray(line.substring(1))) messages.add(new JsonObject((String) m));
        }
      }
    }

    boolean opened() {
      return frames.contains("o");
    }

    boolean closed() {
      return frames.stream().anyMatch(fr -> fr.startsWith("c["));
    }

    int register(String address) {
      return send(new JsonObject().put("type", "register").put("address", address));
    }

    int ping() {
      return send(new JsonObject().put("type", "ping"));
    }

    List<JsonObject> received(String address) {
      return messages.stream().filter(m -> "rec".equals(m.getString("type")) && address.equals(m.getString("address")))
          .toList();
    }

    List<JsonObject> errs() {
      return messages.stream().filter(m -> "err".equals(m.getString("type"))).toList();
    }

    boolean sawTransitionOf(long payoutId) {
      return received(Addresses.DASHBOARD_PAYOUTS).stream().anyMatch(m -> m.getJsonObject("body")
          .getJsonArray("transitions").stream().anyMatch(t -> ((JsonObject) t).getLong("payoutId") == payoutId));
    }

    @Override
    public String toString() {
      return getClass().getSimpleName() + " " + base + " frames " + frames;
    }
  }

  /** The SockJS WebSocket transport: text messages carry SockJS frames both ways. */
  final class SockJsWebSocket extends Channel {
    WebSocket ws;

    @Override
    void open(String cookie) {
      WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI(base + "/websocket");
      if (cookie != null) o.addHeader("Cookie", cookie);
      ws = await(sockets.connect(o).map(s -> {
        s.textMessageHandler(frame -> take(frame + "\n"));
        return s;
      }));
      eventually(this::opened, 2_000, "an open frame: " + this);
    }

    @Override
    int send(JsonObject... bridgeFrames) {
      JsonArray batch = new JsonArray();
      for (JsonObject fr : bridgeFrames) batch.add(fr.encode());
      await(ws.writeTextMessage(batch.encode()).otherwiseEmpty());
      return 204;
    }

    @Override
    void stop() {
      stopped.set(true);
      if (ws != null) ws.close().otherwiseEmpty();
    }
  }

  /** Shared by both XHR transports: frames go out as a JSON array of strings POSTed to xhr_send. */
  abstract class XhrChannel extends Channel {
    String cookie;

    @Override
    int send(JsonObject... bridgeFrames) {
      JsonArray batch = new JsonArray();
      for (JsonObject fr : bridgeFrames) batch.add(fr.encode());
      return xhrSend(base, cookie, batch.encode()).statusCode();
    }

    Future<HttpClientResponse> post(String suffix) {
      RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI(base + "/" + suffix);
      if (cookie != null) o.addHeader("Cookie", cookie);
      return http.request(o).compose(req -> req.send());
    }
  }

  /** xhr_streaming: one long POST whose chunked body carries every frame. */
  final class XhrStreaming extends XhrChannel {
    @Override
    void open(String cookie) {
      this.cookie = cookie;
      HttpClientResponse r = await(Await.onLoop(vertx,
          () -> post("xhr_streaming").map(resp -> resp.handler(buf -> take(buf.toString())))));
      assertEquals(200, r.statusCode());
      eventually(this::opened, 2_000, "an open frame: " + this);
    }

    @Override
    void stop() {
      stopped.set(true);
    }
  }

  /** xhr polling: each POST answers one frame; the client asks again at once. */
  final class XhrPolling extends XhrChannel {
    final List<Integer> statuses = new CopyOnWriteArrayList<>();

    @Override
    void open(String cookie) {
      this.cookie = cookie;
      vertx.runOnContext(v -> poll()); // each poll attaches its body() on the loop, before the body can arrive
      eventually(this::opened, 2_000, "an open frame: " + this);
    }

    private void poll() {
      if (stopped.get() || closed()) return;
      post("xhr").compose(resp -> {
        statuses.add(resp.statusCode());
        return resp.body();
      }).onSuccess(body -> {
        take(body.toString());
        poll();
      });
    }

    @Override
    void stop() {
      stopped.set(true);
    }
  }

  Channel channel(Kind kind) {
    Channel c = switch (kind) {
      case WEBSOCKET -> new SockJsWebSocket();
      case XHR_STREAMING -> new XhrStreaming();
      case XHR_POLLING -> new XhrPolling();
    };
    opened.add(c);
    return c;
  }

  static HttpResponse<Buffer> xhrSend(String base, String cookie, String body) {
    var req = web.post(base + "/xhr_send").putHeader("Content-Type", "text/plain");
    if (cookie != null) req.putHeader("Cookie", cookie);
    return await(body == null ? req.send() : req.sendBuffer(Buffer.buffer(body)));
  }

  static String staffCookie() {
    HttpResponse<Buffer> r = await(web.post("/api/auth/login").putHeader("Content-Type", "application/json")
        .sendJsonObject(new JsonObject().put("email", staffEmail).put("password", PASSWORD)));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.cookies().stream().filter(c -> c.startsWith("payouts_session=")).findFirst().orElseThrow()
        .split(";", 2)[0];
  }

  /** A live session of an ordinary user, made the way login makes one. */
  static String customerCookie() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    await(new AuthRepository(db.pool()).createSession(AuthService.sessionId(token), userId, "csrf-" + token, 3600));
    return "payouts_session=" + token;
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

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aStaffSessionRegistersPingsAndGetsAPushedTransition(Kind kind) {
    Channel c = channel(kind);
    c.open(staffCookie());
    assertEquals(204, c.register(Addresses.DASHBOARD_PAYOUTS), c.toString());
    assertEquals(204, c.ping(), c.toString());
    pause(300); // the register waits for the session lookup
    Payout p = newPayout();
    eventually(() -> c.sawTransitionOf(p.id()), 3_000, "the new payout's transition pushed: " + c);
    JsonObject t = c.received(Addresses.DASHBOARD_PAYOUTS).stream()
        .flatMap(m -> m.getJsonObject("body").getJsonArray("transitions").stream()).map(JsonObject.class::cast)
        .filter(x -> x.getLong("payoutId") == p.id()).findFirst().orElseThrow();
    assertEquals("pending", t.getString("to"));
    assertEquals("12.50", t.getString("amount"));
    assertEquals(List.of(), c.errs(), "no err frame for register or ping");
    // A second push on the same session: polling has asked again, streaming still streams.
    Payout q = newPayout();
    eventually(() -> c.sawTransitionOf(q.id()), 3_000, "a second transition pushed: " + c);
    // Listen-only: a publish is refused with an err frame, and the session stays open.
    assertEquals(204, c.send(new JsonObject().put("type", "publish").put("address", Addresses.DASHBOARD_PAYOUTS)
        .put("body", new JsonObject().put("forged", true))));
    eventually(() -> c.errs().stream().anyMatch(e -> "rejected".equals(e.getString("body"))), 2_000,
        "publish refused: " + c);
    assertFalse(c.closed(), c.toString());
    if (c instanceof XhrPolling polling) assertTrue(polling.statuses.stream().allMatch(s -> s == 200), polling.statuses.toString());
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void withoutAStaffSessionTheSessionIsClosedAndGetsNothing(Kind kind) {
    Channel anonymous = channel(kind);
    anonymous.open(null);
    Channel customer = channel(kind);
    customer.open(customerCookie());
    for (Channel c : List.of(anonymous, customer)) {
      // 204 while the session lookup runs, 404 once the session is closed; never a 500.
      int status = c.register(Addresses.DASHBOARD_PAYOUTS);
      assertTrue(status == 204 || status == 404, c + " answered " + status);
    }
    Payout p = newPayout();
    for (Channel c : List.of(anonymous, customer)) {
      eventually(c::closed, 2_000, "closed by the server: " + c);
      assertTrue(c.frames.contains(CLOSE_GO_AWAY), "the same close frame on every transport: " + c);
    }
    pause(800);
    for (Channel c : List.of(anonymous, customer)) {
      assertFalse(c.sawTransitionOf(p.id()), c.toString());
      assertTrue(c.received(Addresses.DASHBOARD_PAYOUTS).isEmpty(), c.toString());
    }
    if (kind != Kind.WEBSOCKET) {
      assertEquals(404, xhrSend(anonymous.base, null, "[\"{\\\"type\\\":\\\"ping\\\"}\"]").statusCode(),
          "a closed session is unknown to xhr_send");
    }
  }

  /**
   * The bridge closes a socket that stops pinging (after 15 s); a socket that pings stays, and
   * still gets pushes. All three transports at once, so the wait is paid once.
   */
  @Test
  void pingsKeepASessionOpenOnEveryTransportAndSilenceClosesIt() {
    String cookie = staffCookie();
    List<Channel> pinging = new ArrayList<>();
    List<Channel> silent = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      Channel a = channel(kind);
      a.open(cookie);
      a.register(Addresses.DASHBOARD_PAYOUTS);
      pinging.add(a);
      Channel b = channel(kind);
      b.open(cookie);
      b.register(Addresses.DASHBOARD_PAYOUTS);
      silent.add(b);
    }
    // The bridge looks every 15 s from a socket's start; the silent ones should be gone after the first look.
    long deadline = System.currentTimeMillis() + 17_000;
    while (System.currentTimeMillis() < deadline && !silent.stream().allMatch(Channel::closed)) {
      for (Channel a : pinging) assertEquals(204, a.ping(), a.toString());
      pause(1_000);
    }
    for (Channel b : silent) assertTrue(b.closed(), "no ping for 15 s closes it: " + b);
    for (Channel b : silent) assertTrue(b.frames.contains(CLOSE_GO_AWAY), b.toString());
    Payout p = newPayout();
    for (Channel a : pinging) {
      assertFalse(a.closed(), a.toString());
      eventually(() -> a.sawTransitionOf(p.id()), 3_000, "still pushed to after 17 s: " + a);
    }
  }

  @Test
  void badInputUnderEventbusIsA4xxNeverA500() {
    Channel live = channel(Kind.XHR_STREAMING);
    String cookie = staffCookie();
    live.open(cookie);
    String ping = "[\"{\\\"type\\\":\\\"ping\\\"}\"]";
    assertEquals(204, xhrSend(live.base, cookie, ping).statusCode(), "a good send");
    assertEquals(204, xhrSend(live.base, cookie, "[]").statusCode(), "nothing to deliver is fine too");

    assertEquals(404, xhrSend("/eventbus/000/nosuchsession", cookie, ping).statusCode(), "unknown session");
    for (String bad : new String[] {null, "", "not json", "{\"type\":\"ping\"}", "[1, 2]", "[{\"type\":\"ping\"}]",
        "[\"a\", null]", "[\"a\"] trailing"}) {
      HttpResponse<Buffer> r = xhrSend(live.base, cookie, bad);
      assertEquals(400, r.statusCode(), "body " + bad + ": " + r.bodyAsString());
      assertEquals("invalid_request", r.bodyAsJsonObject().getJsonObject("error").getString("code"), bad);
    }
    String big = "[\"" + "x".repeat(64 * 1024) + "\"]";
    HttpResponse<Buffer> oversize = xhrSend(live.base, cookie, big);
    assertEquals(413, oversize.statusCode(), oversize.bodyAsString());
    assertEquals("body_too_large", oversize.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertTrue(oversize.bodyAsJsonObject().getJsonObject("error").getString("message")
        .contains(String.valueOf(DashboardRoutes.MAX_SEND_BYTES)), oversize.bodyAsString());
    // Oversize without a Content-Length (chunked) is cut off the same way.
    HttpClientResponse chunked = await(http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(port).setURI(live.base + "/xhr_send").addHeader("Cookie", cookie)).compose(req -> {
          req.setChunked(true);
          for (int i = 0; i < 8; i++) req.write("[\"" + "y".repeat(4096) + "\",");
          return req.send("\"z\"]");
        }));
    assertEquals(413, chunked.statusCode());
    // A form or a multipart body is no frame batch either.
    HttpResponse<Buffer> form = await(web.post(live.base + "/xhr_send").putHeader("Cookie", cookie)
        .putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("a=b")));
    assertEquals(400, form.statusCode(), form.bodyAsString());
    HttpResponse<Buffer> multipart = await(web.post(live.base + "/xhr_send").putHeader("Cookie", cookie)
        .putHeader("Content-Type", "multipart/form-data; boundary=xx")
        .sendBuffer(Buffer.buffer("--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--xx--\r\n")));
    assertEquals(400, multipart.statusCode(), multipart.bodyAsString());
    // Frames that are no bridge frame reach the bridge, which answers with an err frame, not a 500.
    assertEquals(204, xhrSend(live.base, cookie, "[\"not json\", \"{}\"]").statusCode());
    eventually(() -> live.errs().size() >= 2, 2_000, "err frames for broken frames: " + live);
    assertFalse(live.closed(), "the session survives bad input: " + live);

    // Wrong methods and paths: the protocol's 404/405, never a 500.
    for (String[] probe : new String[][] {{"GET", live.base + "/xhr_send"}, {"GET", live.base + "/xhr"},
        {"GET", live.base + "/xhr_streaming"}, {"PUT", live.base + "/xhr_send"}, {"GET", live.base + "/websocket"},
        {"GET", "/eventbus/websocket"}, {"POST", "/eventbus/a.b/c/xhr_send"}, {"POST", "/eventbus/1/2/eventsource"},
        {"GET", "/eventbus/1/2/htmlfile"}, {"GET", "/eventbus/1/2/jsonp"}, {"POST", "/eventbus/1/2/jsonp_send"},
        {"GET", "/eventbus/nothing/here"}, {"DELETE", "/eventbus/info"}}) {
      HttpResponse<Buffer> r = await(web.request(HttpMethod.valueOf(probe[0]), probe[1]).putHeader("Cookie", cookie)
          .sendBuffer(Buffer.buffer(ping)));
      assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, probe[0] + " " + probe[1] + " answered "
          + r.statusCode() + " " + r.bodyAsString());
    }
    assertEquals(204, await(web.request(HttpMethod.OPTIONS, live.base + "/xhr_send").send()).statusCode(), "CORS preflight");
    assertEquals(204, xhrSend(live.base, cookie, ping).statusCode(), "the session still takes frames");
  }
}
