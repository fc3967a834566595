package com.payouts.loadtest;

import com.payouts.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A dashboard on the live event-bus bridge during the run: signs in as staff, opens the raw
 * WebSocket a browser's SockJS client would, registers for the stats and the payout rows, and
 * counts what arrives each second. Shows whether the pushes stay coalesced under load.
 *
 * <p>Open it from one Vert.x context: its counters are written there only.
 */
public final class DashboardWatch {
  private static final int MAX_MESSAGE = 16 * 1024 * 1024;
  private final Vertx vertx;
  private final URI url;
  private final String email;
  private final String password;
  private final Map<Long, Integer> perSecond = new TreeMap<>();
  private WebClient web;
  private WebSocket socket;
  // Written on the watch's context only; volatile so that others may read them.
  private volatile int messages;
  private volatile int statsMessages;
  private volatile long transitions;
  /** Transitions pushed, by the node that committed them (a cluster's nodes mark theirs). */
  private final java.util.Map<String, Long> byNode = new java.util.concurrent.ConcurrentSkipListMap<>();
  private volatile long dropped;

  public DashboardWatch(Vertx vertx, URI url, String email, String password) {
    this.vertx = vertx;
    this.url = url;
    this.email = email;
    this.password = password;
  }

  public Future<Void> open() {
    web = WebClient.create(vertx);
    int port = url.getPort() < 0 ? 80 : url.getPort();
    return web.post(port, url.getHost(), "/api/auth/login")
        .sendJsonObject(new JsonObject().put("email", email).put("password", password))
        .compose(r -> {
          if (r.statusCode() != 200) {
            return Future.failedFuture("dashboard sign-in answered HTTP " + r.statusCode());
          }
          String cookie = r.cookies().stream().filter(c -> c.startsWith("payouts_session=") || c.startsWith("__Host-payouts_session=")).findFirst()
              .map(c -> c.split(";", 2)[0]).orElse(null);
          if (cookie == null) return Future.failedFuture("dashboard sign-in set no session cookie");
          WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(url.getHost()).setPort(port)
              .setURI("/eventbus/websocket").addHeader("Cookie", cookie)
              .addHeader("Origin", "http://" + url.getHost() + ":" + port);
          // A push of 500 rows is a few hundred KB, sent as several frames: take whole messages.
          return vertx.createWebSocketClient(new WebSocketClientOptions()
              .setMaxFrameSize(MAX_MESSAGE).setMaxMessageSize(MAX_MESSAGE)).connect(o);
        })
        .map(ws -> {
          socket = ws;
          ws.binaryMessageHandler(this::frame);
          ws.textMessageHandler(text -> frame(Buffer.buffer(text)));
          register(Addresses.DASHBOARD_STATS);
          register(Addresses.DASHBOARD_PAYOUTS);
          return null;
        });
  }

  private void register(String address) {
    socket.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode());
  }

  private void frame(Buffer buffer) {
    JsonObject frame = buffer.toJsonObject();
    if (!"rec".equals(frame.getString("type"))) return;
    messages++;
    perSecond.merge(System.currentTimeMillis() / 1000, 1, Integer::sum);
    JsonObject body = frame.getJsonObject("body", new JsonObject());
    if (Addresses.DASHBOARD_STATS.equals(frame.getString("address"))) {
      statsMessages++;
    } else {
      JsonArray rows = body.getJsonArray("transitions", new JsonArray());
      transitions += rows.size();
      for (Object row : rows) {
        if (row instanceof JsonObject t && t.getString("node") != null) byNode.merge(t.getString("node"), 1L, Long::sum);
      }
      dropped += body.getLong("dropped", 0L);
    }
  }

  public int messages() {
    return messages;
  }

  /** Payout rows pushed, summed over the payout-row messages (a row is its payout's latest transition). */
  public long transitions() {
    return transitions;
  }

  /** One line: messages, seconds with any, the busiest second, and how many row updates they carried. */
  public String summary() {
    int max = perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    return String.format(Locale.ROOT,
        "dashboard: %d messages in %d seconds (at most %d in one second; %d stats, %d payout-row messages "
            + "carrying %d transitions, %d more left to a resync)",
        messages, perSecond.size(), max, statsMessages, messages - statsMessages, transitions, dropped)
        + (byNode.isEmpty() ? "" : "; by node: " + byNode.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(" ")));
  }

  public Future<Void> close() {
    Future<Void> closed = socket == null ? Future.succeededFuture() : socket.close();
    return closed.otherwiseEmpty().eventually(() -> {
      if (web != null) web.close();
      return Future.succeededFuture();
    });
  }
}
