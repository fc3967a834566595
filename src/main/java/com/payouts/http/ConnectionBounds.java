package com.payouts.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds on the server's connections that no route sees. A new connection must deliver its first
 * request's headers within the header timeout. A kept-alive connection must deliver its next
 * request within the idle timeout of the last answer, bytes or no bytes: the server's own idle
 * timeout ends a silent one, this ends one that trickles (we cannot see single bytes arrive, only
 * whole headers, so between requests the longer bound is what we can enforce without closing
 * honest keep-alive clients early). A request's body must arrive within the body timeout. One
 * client address holds at most so many connections at once; a trusted proxy's are not counted (it
 * carries many clients, and bounds them itself); IPv6 clients count by /64. A connection that was
 * upgraded to a WebSocket (answered 101) leaves the watch, while one whose upgrade the router refused
 * stays in it: the bridge's ping timeout and the idle timeout bound a WebSocket. Runs on the server's
 * event loop only, so its maps need no locks.
 */
final class ConnectionBounds {
  private final Vertx vertx;
  private final HttpEdge edge;
  private final Map<String, Integer> perClient = new HashMap<>();
  private final Map<HttpConnection, Watch> watches = new HashMap<>();

  /** What the header watch knows of one connection. */
  private static final class Watch {
    long timer;
    HttpServerRequest current;
    /** The request last seen answered, and since when (ms): the wait for the next one. */
    HttpServerRequest answered;
    long answeredSince;
  }

  ConnectionBounds(Vertx vertx, HttpEdge edge) {
    this.vertx = vertx;
    this.edge = edge;
  }

  /** For {@code HttpServer.connectionHandler}. */
  void connected(HttpConnection conn) {
    String address = conn.remoteAddress() == null ? "unknown" : TrustedProxies.normalise(conn.remoteAddress().host());
    // A trusted proxy carries many clients over its connections; it bounds them itself.
    boolean counted = !edge.trustedProxies().trusts(address);
    String peer = TrustedProxies.limitKey(address);
    if (counted && perClient.merge(peer, 1, Integer::sum) > edge.maxConnectionsPerClient()) {
      conn.closeHandler(v -> release(peer));
      conn.close();
      return;
    }
    Watch w = new Watch();
    w.timer = vertx.setPeriodic(edge.headerTimeout().toMillis(), id -> tick(conn, w));
    watches.put(conn, w);
    conn.closeHandler(v -> {
      vertx.cancelTimer(w.timer);
      watches.remove(conn);
      if (counted) release(peer);
    });
  }

  /** For the server's request handler, ahead of the router. */
  void request(HttpServerRequest req) {
    Watch w = watches.get(req.connection());
    if (w != null) w.current = req;
    if (!req.isEnded() && !req.canUpgradeToWebSocket()) {
      vertx.setTimer(edge.bodyTimeout().toMillis(), id -> {
        if (!req.isEnded()) bodyTooSlow(req);
      });
    }
  }

  private void tick(HttpConnection conn, Watch w) {
    HttpServerRequest r = w.current;
    if (r == null) {
      closeSlowHeaders(conn, w); // opened, and no complete request headers within the timeout
      return;
    }
    if (r.response().getStatusCode() == 101) {
      // Upgraded to a WebSocket: no more requests come; the bridge's ping timeout and the idle timeout bound it.
      vertx.cancelTimer(w.timer);
      watches.remove(conn);
      return;
    }
    if (!(r.isEnded() && r.response().ended())) return; // under way: the body timeout and the routes bound it
    long now = System.currentTimeMillis();
    if (w.answered != r) {
      w.answered = r;
      w.answeredSince = now;
    } else if (now - w.answeredSince >= edge.idleTimeout().toMillis()) {
      closeSlowHeaders(conn, w); // kept alive, and no whole next request since
    }
  }

  private void closeSlowHeaders(HttpConnection conn, Watch w) {
    vertx.cancelTimer(w.timer);
    watches.remove(conn);
    conn.close();
  }

  /** 408 in the error shape when nothing was answered yet, then the connection goes. */
  private static void bodyTooSlow(HttpServerRequest req) {
    HttpConnection conn = req.connection();
    if (req.response().headWritten()) {
      conn.close();
      return;
    }
    ApiError e = new ApiError(408, "request_timeout", null, "the request body did not arrive in time");
    ApiVerticle.privateAnswer(req.response().headers());
    req.response().setStatusCode(408).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
        .end(e.toJson().encode()).onComplete(ar -> conn.close());
  }

  private void release(String peer) {
    perClient.computeIfPresent(peer, (k, n) -> n <= 1 ? null : n - 1);
  }
}
