package com.payouts.http;

import com.payouts.service.AccountService;
import com.payouts.service.IdempotentRequests;
import com.payouts.service.PayoutCreations;
import com.payouts.service.PayoutService;
import com.payouts.service.PayoutDispatcher;
import com.payouts.service.GatewayEventIntake;
import com.payouts.service.ReconciliationRuns;
import com.payouts.gateway.WebhookSignature;
import com.payouts.queue.JobQueue;
import com.payouts.stats.StatsService;
import com.payouts.http.auth.AuthHandler;
import com.payouts.http.auth.AuthRoutes;
import com.payouts.http.auth.RoleGate;
import com.payouts.http.auth.StaffRoutes;
import com.payouts.http.auth.SessionCookie;
import com.payouts.auth.AuthService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.VerticleBase;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The HTTP API: wires routes to services. */
public class ApiVerticle extends VerticleBase {
  public static final long MAX_BODY_BYTES = 64 * 1024;
  static final long REQUEST_TIMEOUT_MS = 10_000;

  /** What the routes need. */
  public record Services(PayoutService payouts, AccountService accounts, PayoutDispatcher dispatcher,
      JobQueue queue, AuthService auth, StatsService stats, Map<String, Supplier<Future<?>>> healthChecks,
      AfterPayment afterPayment) {}

  /** What the routes after the payment need: the gateway's webhook, reconciliation. */
  public record AfterPayment(GatewayEventIntake gatewayEvents, Supplier<Future<WebhookSignature>> webhook,
      Duration webhookTolerance,
      ReconciliationRuns reconciliation) {}

  /** What the settings tell the HTTP API. */
  public record Config(int port, HttpEdge edge, boolean secureCookies) {}

  private final Config config;
  private final Services services;
  private final IdempotentRequests idempotentRequests;
  private final HttpEdge edge;
  private final SessionCookie cookie;
  private HttpServer server;
  private Router router;
  private OpsRoutes ops;
  private long shutdownGraceMs;

  public ApiVerticle(Config config, Services services, IdempotentRequests idempotentRequests) {
    this.config = config;
    this.services = services;
    this.idempotentRequests = idempotentRequests;
    this.edge = config.edge();
    this.cookie = new SessionCookie(config.secureCookies());
  }

  /** /health, /health/live, /health/ready and /metrics from these routes instead of the plain /health. */
  public ApiVerticle withOps(OpsRoutes routes) {
    this.ops = routes;
    return this;
  }

  /** On undeploy, requests in flight get this long to finish before their connections close. */
  public ApiVerticle withShutdownGrace(java.time.Duration grace) {
    this.shutdownGraceMs = grace.toMillis();
    return this;
  }

  @Override
  public Future<?> stop() {
    if (server == null) return Future.succeededFuture();
    return shutdownGraceMs > 0 ? server.shutdown(shutdownGraceMs, TimeUnit.MILLISECONDS) : server.close();
  }

  @Override
  public Future<?> start() {
    // The OpenAPI document is read once, here, not on every request for it.
    return vertx.fileSystem().readFile("openapi.yaml").compose(this::listen);
  }

  private Future<HttpServer> listen(Buffer openApi) {
    router = Router.router(vertx);
    // First of all, /eventbus included: who the client is (after the trusted-proxy rule), and the
    // headers every answer carrying balances or personal data needs, error answers included.
    router.route().order(-10).handler(ctx -> {
      ctx.put(TrustedProxies.CLIENT_ADDRESS, edge.trustedProxies().clientOf(ctx.request()));
      if (isApi(ctx.normalizedPath())) privateAnswer(ctx.response().headers());
      ctx.next();
    });
    // Back-pressure: a request that cannot finish in time answers 503 instead of hanging.
    // An export streams for as long as its rows take; every other request has the deadline.
    io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> timeout = TimeoutHandler.create(REQUEST_TIMEOUT_MS);
    router.route().handler(ctx -> {
      if (ExportRoutes.PATH.equals(ctx.normalizedPath())) ctx.next();
      else timeout.handle(ctx);
    });
    router.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false));
    if (ops != null) {
      ops.mount(router);
    } else {
      router.get("/health").handler(ctx -> health().onComplete(ar -> {
        JsonObject body = ar.result();
        boolean up = body.stream().allMatch(e -> "up".equals(e.getValue()));
        ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
            .end(body.put("status", up ? "up" : "down").encode());
      }));
    }
    // Login and logout stay reachable; everything else under /api and the old admin paths needs staff.
    new AuthRoutes(services.auth(), cookie).mount(router);
    // The gateway signs its webhook instead of signing in: mounted before the staff guard.
    AfterPayment after = services.afterPayment();
    new GatewayWebhookRoutes(after.gatewayEvents(), after.webhook(), after.webhookTolerance()).mount(router);
    AuthHandler staff = AuthHandler.staffOnly(services.auth(), cookie);
    router.route("/api/*").handler(staff);
    router.route("/admin/ajax/*").handler(staff);
    RoleGate roles = new RoleGate();
    router.route("/api/*").handler(roles);
    router.route("/admin/ajax/*").handler(roles);
    new StaffRoutes(services.auth()).mount(router);
    router.get("/api/openapi.yaml").handler(ctx ->
        ctx.response().putHeader("Content-Type", "application/yaml").end(openApi));
    Idempotency idempotency = new Idempotency(idempotentRequests);
    new UserRoutes(services.accounts(), idempotency).mount(router);
    new ExportRoutes(services.payouts()).mount(router); // before /api/payouts/:id
    new AfterPaymentRoutes(after.reconciliation(), services.queue()).mount(router);
    PayoutCreations creations = new PayoutCreations(services.payouts(), services.dispatcher(), idempotentRequests,
        PayoutRoutes::created, context);
    PayoutRoutes payoutRoutes = new PayoutRoutes(services.payouts(), creations, idempotency);
    new ActionRoutes(services.dispatcher(), payoutRoutes, idempotency).mount(router);
    payoutRoutes.mount(router);
    new TaskRoutes(services.queue()).mount(router);
    new ListRoutes(services.payouts(), services.stats())
        .mount(router);
    // The dashboard pages and the /eventbus bridge: outside the /api guard, the bridge checks the session itself.
    new DashboardRoutes(vertx, services.auth(), cookie, edge).mount(router);
    router.route("/api/*").last().handler(ctx ->
        ApiError.respond(ctx, new ApiError(404, "not_found", null, "no such endpoint: " + ctx.request().path())));
    router.errorHandler(503, ctx -> ApiError.respond(ctx, ApiError.unavailable()));
    router.errorHandler(400, ctx -> ApiError.respond(ctx, ApiError.badRequest(null, "the request could not be read")));
    router.errorHandler(405, ctx -> ApiError.respond(ctx,
        new ApiError(405, "method_not_allowed", null, "this path does not take " + ctx.request().method())));
    router.errorHandler(415, ctx -> ApiError.respond(ctx,
        new ApiError(415, "unsupported_media_type", null, "send the body as application/json")));
    router.errorHandler(413, ctx -> ApiError.respond(ctx,
        new ApiError(413, "body_too_large", null, "the body exceeds " + MAX_BODY_BYTES + " bytes")));
    router.errorHandler(500, ctx -> ApiError.respond(ctx, ctx.failure() == null
        ? new ApiError(500, "internal_error", null, "the server could not complete the request") : ctx.failure()));
    ConnectionBounds bounds = new ConnectionBounds(vertx, edge);
    HttpServerOptions options = new HttpServerOptions()
        .setIdleTimeout((int) Math.max(1, edge.idleTimeout().toSeconds())).setIdleTimeoutUnit(TimeUnit.SECONDS);
    return vertx.createHttpServer(options)
        .connectionHandler(bounds::connected)
        .requestHandler(req -> {
          bounds.request(req);
          router.handle(req);
        })
        .invalidRequestHandler(ApiVerticle::malformed)
        .listen(config.port()).onSuccess(s -> server = s);
  }

  /** Everything under /api and the old admin ajax paths answers with balances or personal data. */
  static boolean isApi(String path) {
    return path != null && (path.equals("/api") || path.startsWith("/api/") || path.startsWith("/admin/ajax/"));
  }

  /** Never stored by a browser or a shared cache, never sniffed into something else. */
  static void privateAnswer(MultiMap headers) {
    headers.set(HttpHeaders.CACHE_CONTROL, "no-store").set("X-Content-Type-Options", "nosniff");
  }

  /** Requests the HTTP codec refused (line or headers too long, bad syntax) get the error shape too. */
  static void malformed(io.vertx.core.http.HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    ApiError e = cause instanceof io.netty.handler.codec.http.TooLongHttpLineException
        ? new ApiError(414, "uri_too_long", null, "the request line is too long")
        : cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException
            ? new ApiError(431, "headers_too_large", null, "the request headers are too large")
            : new ApiError(400, "invalid_request", null, "the request is not valid HTTP");
    privateAnswer(req.response().headers());
    req.response().setStatusCode(e.status()).putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close").end(e.toJson().encode());
  }

  /** The routes, for the test that holds the OpenAPI document to them. */
  public Router router() {
    return router;
  }

  public int actualPort() {
    return server.actualPort();
  }

  private Future<JsonObject> health() {
    JsonObject out = new JsonObject();
    List<Future<?>> checks = new java.util.ArrayList<>();
    for (Map.Entry<String, Supplier<Future<?>>> e : services.healthChecks().entrySet()) {
      checks.add(e.getValue().get().timeout(2, java.util.concurrent.TimeUnit.SECONDS)
          .onComplete(ar -> out.put(e.getKey(), ar.succeeded() ? "up" : "down")));
    }
    return Future.join(checks).transform(ar -> Future.succeededFuture(out));
  }
}
