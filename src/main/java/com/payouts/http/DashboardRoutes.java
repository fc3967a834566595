package com.payouts.http;

import com.payouts.http.auth.SessionCookie;

import com.payouts.bus.Addresses;
import com.payouts.auth.AuthService;
import com.payouts.auth.Principal;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.Transport;
import java.net.URI;
import java.util.HashMap;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dashboard: its static pages (from {@code web-static/}, packaged as {@code webroot/}), the SockJS
 * client from its webjar, and the event-bus bridge at {@code /eventbus}. The bridge is outbound only
 * ({@code dashboard.payouts}, {@code dashboard.stats}) and only for a live staff session: it checks the
 * session cookie itself, and closes a session's sockets when that session ends.
 */
public final class DashboardRoutes {
  static final String WEBROOT = "webroot";
  static final String WEBJARS = "META-INF/resources/webjars";
  static final String SOCKJS_CLIENT = "/webjars/sockjs-client/1.5.1/sockjs.min.js";
  /** No inline script or style, nothing from elsewhere, never framed. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  /** Set on a request the webroot has no file for: it goes on to later routes without the page headers. */
  static final String NOT_A_PAGE = "dashboard.notAPage";
  /** Where the opening request's Cookie header waits for the bridge guard. */
  static final String OPENING_COOKIE = "dashboard.openingCookie";
  /**
   * An xhr_send body: the frames a client queued while its last send was under way. Ours sends
   * registers and pings of well under 100 bytes each, so this leaves room for dozens.
   */
  static final long MAX_SEND_BYTES = 8 * 1024;
  /** Where the XHR transports send their frames: /eventbus/{server}/{session}/xhr_send, as SockJS matches it. */
  static final String XHR_SEND = "/eventbus/[^/.]+/[^/.]+/xhr_send";
  /** How long a socket's session check holds before the next ping looks again. */
  static final long RECHECK_MS = 60_000;

  /**
   * What one socket may have written to it and not yet sent, in characters. A 500-row batch of
   * transitions is ~100 kB, so this holds a few seconds of a busy run; past it the reader is too slow.
   */
  static final int MAX_UNSENT_CHARS = 1024 * 1024;
  /** The error frame a socket gets before it is dropped for falling behind; eventbus.js reloads on it. */
  static final String RESYNC = "resync";
  /** The error frame a socket gets when its session already holds as many sockets as it may. */
  static final String TOO_MANY_SOCKETS = "too_many_sockets";
  /** How long a dropped socket may take to receive its resync frame before it is closed anyway. */
  static final long RESYNC_GRACE_MS = 5_000;

  private final Vertx vertx;
  private final BridgeGuard guard;

  private final HttpEdge edge;

  public DashboardRoutes(Vertx vertx, AuthService auth, SessionCookie cookie, HttpEdge edge) {
    this.vertx = vertx;
    this.edge = edge;
    this.guard = new BridgeGuard(vertx, auth, cookie, edge.maxSocketsPerSession());
  }

  public void mount(Router router) {
    // Ahead of every other route: a socket lives far longer than the request timeout. SockJS strips the
    // Cookie header from the request it opens a socket with (a WebSocket upgrade, or the first xhr or
    // xhr_streaming POST, whose routing context the socket keeps), so the header is kept aside first.
    router.route("/eventbus/*").order(-3).handler(ctx -> {
      if (!BridgeGuard.sameOrigin(ctx.request().headers())) {
        ApiError.respond(ctx, new ApiError(403, "cross_origin", null, "the bridge answers pages of this service only"));
        return;
      }
      // SockJS answers every transport with CORS headers that echo the Origin and allow credentials.
      // Only our own pages use the bridge, and a same-origin request needs no CORS at all: drop them.
      ctx.addHeadersEndHandler(v -> ctx.response().headers()
          .remove(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
          .remove(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS)
          .remove(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS)
          .remove(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS)
          .remove(HttpHeaders.ACCESS_CONTROL_MAX_AGE));
      ctx.put(OPENING_COOKIE, ctx.request().getHeader(HttpHeaders.COOKIE));
      ctx.next();
    });
    // SockJS reads an xhr_send body only if a body handler read it first (else it answers 500), and
    // answers 500 to an empty or broken one too. The router's body handler is never reached (the bridge
    // is mounted ahead of it) and allows far more, so this path gets its own small one, and a batch
    // that is not one is refused here as 400.
    router.postWithRegex(XHR_SEND).order(-2)
        .handler(BodyHandler.create().setBodyLimit(MAX_SEND_BYTES).setHandleFileUploads(false))
        .handler(DashboardRoutes::frameBatch)
        .failureHandler(DashboardRoutes::sendTooLarge);
    router.route("/eventbus/*").order(-1).subRouter(SockJSHandler.create(vertx, sockJsOptions(edge))
        .bridge(bridgeOptions(), guard));
    vertx.eventBus().<JsonObject>consumer(Addresses.LOGOUT, m -> guard.sessionEnded(m.body().getString("sessionId")));

    router.get("/webjars/*").handler(DashboardRoutes::securityHeaders).handler(StaticHandler.create(WEBJARS));
    // The old dashboard's address shows the same page (its assets are linked by absolute paths).
    router.get("/admin/payout-queue/").handler(ctx -> ctx.reroute("/index.html"));
    router.get("/admin/payout-queue").handler(ctx -> ctx.reroute("/index.html"));
    router.get("/login").handler(ctx -> ctx.reroute("/login.html"));
    // Every file under the webroot, by whatever name: a new module needs no change here. Nothing else:
    // the path is resolved (dot segments, escapes) before it is looked up under webroot/, no directory
    // is listed and no hidden file is served. A path with no such file goes on to the later routes
    // (an unknown /api path to its JSON 404, anything else to the router's 404) untouched.
    StaticHandler pages = StaticHandler.create(WEBROOT).setIndexPage("index.html").setCachingEnabled(false)
        .setDirectoryListing(false).setIncludeHidden(false).setDefaultContentEncoding("UTF-8");
    router.get("/*").handler(DashboardRoutes::pageHeaders).handler(pages).handler(ctx -> {
      ctx.put(NOT_A_PAGE, true);
      ctx.next();
    });
  }

  static SockJSHandlerOptions sockJsOptions(HttpEdge edge) {
    // No iframe or script-injection transports: websocket first, then XHR for proxies without it.
    // Heartbeats come well within the idle timeout, so it never ends a healthy stream or poll.
    long heartbeat = Math.min(25_000, Math.max(500, edge.idleTimeout().toMillis() / 2));
    return new SockJSHandlerOptions().setInsertJSESSIONID(false).setRegisterWriteHandler(false)
        .setHeartbeatInterval(heartbeat)
        .setLibraryURL(SOCKJS_CLIENT)
        .addDisabledTransport(Transport.EVENT_SOURCE.name())
        .addDisabledTransport(Transport.HTML_FILE.name())
        .addDisabledTransport(Transport.JSON_P.name());
  }

  /** Outbound only: no inbound permission at all, so browsers can neither send nor publish. */
  static SockJSBridgeOptions bridgeOptions() {
    return new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.DASHBOARD_PAYOUTS))
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.DASHBOARD_STATS))
        .setMaxHandlersPerSocket(4)
        .setPingTimeout(15_000);
  }

  /** An xhr_send body is a JSON array of strings, each one bridge frame (which the bridge itself checks). */
  static void frameBatch(RoutingContext ctx) {
    String text = ctx.body().asString();
    Object batch;
    try {
      batch = text == null || text.isBlank() ? null : Json.decodeValue(text);
    } catch (DecodeException e) {
      batch = null;
    }
    if (batch instanceof JsonArray frames && frames.stream().allMatch(String.class::isInstance)) {
      ctx.next();
    } else {
      ApiError.respond(ctx, ApiError.badRequest(null, "xhr_send takes a JSON array of strings"));
    }
  }

  /** The router's 413 answer names the API's limit; this one names the bridge's. */
  static void sendTooLarge(RoutingContext ctx) {
    if (ctx.statusCode() != 413) {
      ctx.next();
      return;
    }
    ApiError.respond(ctx, new ApiError(413, "body_too_large", null, "an xhr_send body exceeds " + MAX_SEND_BYTES + " bytes"));
  }

  static void securityHeaders(RoutingContext ctx) {
    securityHeaders(ctx.response().headers());
    ctx.next();
  }

  private static void securityHeaders(MultiMap headers) {
    headers
        .set("Content-Security-Policy", CSP)
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("X-Frame-Options", "DENY")
        .set("Cross-Origin-Opener-Policy", "same-origin");
  }

  /**
   * A file the webroot serves gets the security headers, and is revalidated on every use: our own files
   * change with each release (the webjar's path carries its version and may be cached).
   */
  static void pageHeaders(RoutingContext ctx) {
    ctx.addHeadersEndHandler(v -> {
      if (ctx.get(NOT_A_PAGE) != null) return;
      securityHeaders(ctx.response().headers());
      ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-cache");
    });
    ctx.next();
  }

  /**
   * Decides every bridge event. A socket is admitted when its Cookie header names a live staff
   * session; the lookup starts when the socket opens and every {@code register} waits for it, so
   * frames sent meanwhile are neither lost nor let through. A session holds a bounded number of
   * sockets. Pushes are written here, not by the bridge, so that what a socket has not sent yet is
   * counted: {@link SockJSSocket#writeQueueFull()} cannot tell, since it means something else per
   * transport. Over SockJS's WebSocket and xhr_streaming the session hands each frame straight to the
   * connection and its count is back to zero at once, while the connection's own buffer grows
   * unseen; over xhr polling the frames wait in the session's list until the next poll, and it is
   * full at 64k characters, which one large batch between two polls reaches. A write's future
   * completes when its frame has gone to the connection (or, polling, to a poll's answer), so the
   * characters written and not yet completed are exactly the socket's backlog on every transport.
   * Runs on the HTTP server's event loop.
   */
  static final class BridgeGuard implements Handler<BridgeEvent> {
    private final Vertx vertx;
    private final AuthService auth;
    private final SessionCookie cookie;
    private final int maxSocketsPerSession;
    private final Map<SockJSSocket, Admission> sockets = new HashMap<>();
    /** By the session the cookie names, from the socket's opening: pending lookups count too. */
    private final Map<String, Set<SockJSSocket>> bySession = new HashMap<>();
    /** Sessions that ended lately: a lookup that started just before the logout must not admit one. */
    private final Set<String> ended = Collections.newSetFromMap(new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > 1_000;
      }
    });

    private static final class Admission {
      final String sessionId;
      Future<Optional<Principal>> staff;
      long checkedAt;
      boolean confirmed;
      long unsentChars;

      Admission(String sessionId) {
        this.sessionId = sessionId;
      }
    }

    BridgeGuard(Vertx vertx, AuthService auth, SessionCookie cookie, int maxSocketsPerSession) {
      this.cookie = cookie;
      this.vertx = vertx;
      this.auth = auth;
      this.maxSocketsPerSession = maxSocketsPerSession;
    }

    @Override
    public void handle(BridgeEvent event) {
      SockJSSocket socket = event.socket();
      switch (event.type()) {
        case SOCKET_CREATED -> created(event, socket);
        case REGISTER -> {
          Admission a = sockets.get(socket);
          if (a == null) event.tryComplete(false);
          else a.staff.onComplete(ar -> event.tryComplete(ar.succeeded() && ar.result().isPresent()
              && sockets.containsKey(socket)));
        }
        case RECEIVE -> {
          push(socket, event.getRawMessage());
          event.tryComplete(false); // written above, or dropped: the bridge writes nothing itself
        }
        case SOCKET_PING -> {
          recheckIfStale(socket);
          event.tryComplete(true);
        }
        case SOCKET_CLOSED -> {
          forget(socket);
          event.tryComplete(true);
        }
        case REGISTERED, UNREGISTER, SOCKET_IDLE, SOCKET_ERROR -> event.tryComplete(true);
        // SEND, PUBLISH and anything new: browsers only listen.
        default -> event.tryComplete(false);
      }
    }

    private void created(BridgeEvent event, SockJSSocket socket) {
      if (!sameOrigin(socket.headers())) {
        event.tryComplete(false);
        return;
      }
      Optional<String> sessionId = Optional.ofNullable(cookie.fromHeader(openingCookie(socket))).map(AuthService::sessionId);
      if (sessionId.isEmpty() || ended.contains(sessionId.get())) {
        event.tryComplete(false); // no session cookie at all: decided without a lookup
        return;
      }
      Set<SockJSSocket> open = bySession.computeIfAbsent(sessionId.get(), k -> new HashSet<>());
      if (open.size() >= maxSocketsPerSession) {
        tell(socket, TOO_MANY_SOCKETS, "this session already has " + maxSocketsPerSession + " live sockets");
        event.tryComplete(false);
        return;
      }
      Admission a = new Admission(sessionId.get());
      sockets.put(socket, a);
      open.add(socket);
      check(socket, a, staffSession(socket));
      event.tryComplete(true);
    }

    /** Writes a push the socket may have, unless its backlog is already over the bound: then it is dropped. */
    private void push(SockJSSocket socket, JsonObject envelope) {
      Admission a = sockets.get(socket);
      if (a == null || !a.confirmed || envelope == null) return;
      String frame = envelope.encode();
      if (a.unsentChars + frame.length() > MAX_UNSENT_CHARS) {
        // Buffering more would grow without bound; the page reloads what it missed when it reconnects.
        // The socket gets nothing more; it closes once the resync frame is out (a poll's answer
        // carries it), or after a grace period when its reader is stuck for good.
        forget(socket);
        tell(socket, RESYNC, "this socket fell behind; reconnect and reload").onComplete(ar -> socket.close());
        vertx.setTimer(RESYNC_GRACE_MS, id -> socket.close());
        return;
      }
      a.unsentChars += frame.length();
      socket.write(Buffer.buffer(frame)).onComplete(ar -> a.unsentChars -= frame.length());
    }

    /** An error frame in the bridge's own shape, which the page's client reads before the close. */
    private static Future<Void> tell(SockJSSocket socket, String failureType, String message) {
      return socket.write(Buffer.buffer(new JsonObject().put("type", "err").put("failureType", failureType)
          .put("message", message).encode()));
    }

    private void check(SockJSSocket socket, Admission a, Future<Optional<Principal>> staff) {
      a.staff = staff;
      a.checkedAt = System.currentTimeMillis();
      staff.onComplete(ar -> {
        if (sockets.get(socket) != a) return;
        if (ar.failed() || ar.result().isEmpty() || ended.contains(a.sessionId)) {
          forget(socket);
          socket.close();
          return;
        }
        a.confirmed = true;
      });
    }

    /** A session can also expire; a socket that keeps pinging has it looked up again now and then. */
    private void recheckIfStale(SockJSSocket socket) {
      Admission a = sockets.get(socket);
      if (a == null || !a.staff.isComplete() || System.currentTimeMillis() - a.checkedAt < RECHECK_MS) return;
      check(socket, a, staffSession(socket));
    }

    private Future<Optional<Principal>> staffSession(SockJSSocket socket) {
      String token = cookie.fromHeader(openingCookie(socket));
      return token == null ? Future.succeededFuture(Optional.empty())
          : auth.sessionPrincipal(token).map(p -> p.filter(Principal::staff));
    }

    /**
     * The upgrade request's Cookie header, or for XHR the session's first xhr or xhr_streaming POST's:
     * later polls and sends carry the cookie too, but a socket is admitted on the one it opened with.
     */
    private static String openingCookie(SockJSSocket socket) {
      RoutingContext opening = socket.routingContext();
      return opening == null ? null : opening.get(OPENING_COOKIE);
    }

    void sessionEnded(String sessionId) {
      if (sessionId == null) return;
      ended.add(sessionId);
      Set<SockJSSocket> open = bySession.remove(sessionId);
      if (open == null) return;
      for (SockJSSocket socket : Set.copyOf(open)) {
        sockets.remove(socket);
        socket.close();
      }
    }

    private void forget(SockJSSocket socket) {
      Admission a = sockets.remove(socket);
      if (a == null) return;
      Set<SockJSSocket> open = bySession.get(a.sessionId);
      if (open != null && open.remove(socket) && open.isEmpty()) bySession.remove(a.sessionId);
    }

    /**
     * A browser names the page's origin; it must be this server (cross-site WebSocket hijacking).
     * Clients without an Origin header are no browser and still need the cookie.
     */
    static boolean sameOrigin(MultiMap headers) {
      String origin = headers.get(HttpHeaders.ORIGIN);
      if (origin == null) return true;
      String host = headers.get(HttpHeaders.HOST);
      try {
        URI o = URI.create(origin);
        String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
        return host != null && o.getHost() != null && authority.equalsIgnoreCase(host);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
  }
}
