package com.payouts.mockgateway;

import com.payouts.gateway.GatewayJson;
import com.payouts.gateway.GatewayReport;
import com.payouts.gateway.GatewayResult;
import com.payouts.gateway.HttpPaymentGateway;
import com.payouts.gateway.PaymentInstruction;

import com.payouts.db.InstallationRepository;
import com.payouts.domain.Money;
import com.payouts.domain.PayoutMethod;
import com.payouts.mockgateway.MockPayoutSimulator.Fault;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * A stand-in payment processor on loopback, shaped like a real one's HTTP API: create a payout
 * under an idempotency key, look it up by that key. What it executed lives in
 * {@code gateway.executions}, so it survives restarts of either side. The pool belongs to the caller.
 *
 * <p>Like Stripe it requires an API key ({@code Authorization: Bearer <key>}, 401 otherwise) and
 * refuses a key reused with other parameters (amount, method, destination or payout reference)
 * with {@value GatewayJson#KEY_REUSED} instead of answering the earlier execution as if it were
 * this one: 409 for a single call, a "refused" item in a batch.
 */
public class MockGatewayVerticle extends VerticleBase {
  public static final String IDEMPOTENCY_KEY = GatewayJson.IDEMPOTENCY_KEY_HEADER;
  private static final int MAX_KEY_LENGTH = 200;
  /** Items per batch call. */
  public static final int MAX_BATCH_ITEMS = GatewayJson.MAX_BATCH_ITEMS;

  private final MockGatewayConfig config;
  private final Pool pool;
  private final MockPayoutSimulator simulator;
  private GatewayExecutionStore store;
  private MockReturns returns;
  private long returnsTimer = -1;
  private HttpServer server;
  /** SHA-256 of the API key in force: compared in constant time with the hash of what a caller sends. */
  private byte[] apiKeyHash;
  private String apiKey;

  public MockGatewayVerticle(MockGatewayConfig config, Pool pool) {
    this(config, pool, new MockPayoutSimulator(config));
  }

  /** Several instances should share one simulator: each seeded alike would repeat transaction ids. */
  public MockGatewayVerticle(MockGatewayConfig config, Pool pool, MockPayoutSimulator simulator) {
    this.config = config;
    this.pool = pool;
    this.simulator = simulator;
  }

  @Override
  public Future<?> start() {
    store = new GatewayExecutionStore(vertx, pool);
    returns = new MockReturns(vertx, pool, config.returns());
    if (config.returns().rate() > 0) nextReturns();
    Future<String> key = config.apiKey() != null ? Future.succeededFuture(config.apiKey())
        : new InstallationRepository(pool).generatedGatewayApiKey();
    return key.compose(k -> {
      apiKey = k;
      apiKeyHash = sha256(k);
      return listen();
    });
  }

  /** Due returns are made (and posted) a tick after the last pass ended: passes never overlap. */
  private void nextReturns() {
    returnsTimer = vertx.setTimer(returns.tickMs(), id -> returns.tick()
        .onFailure(err -> LoggerFactory.getLogger(MockGatewayVerticle.class).warn("returns: {}", err.toString()))
        .onComplete(ar -> {
          if (returnsTimer != -2) nextReturns();
        }));
  }

  private Future<HttpServer> listen() {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "ok")));
    router.route("/v1/*").handler(this::authenticate);
    router.post("/v1/payouts").handler(BodyHandler.create().setBodyLimit(16 * 1024)).handler(this::pay);
    router.get("/v1/payouts/:idempotencyKey").handler(this::lookup);
    router.get("/v1/executions").handler(this::report);
    router.get("/v1/events").handler(this::events);
    router.post("/v1/payout-batches").handler(BodyHandler.create().setBodyLimit(MAX_BATCH_ITEMS * 256L)).handler(this::payBatch);
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(config.port())
            .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(HttpPaymentGateway.MAX_STREAMS_PER_CONNECTION))
            // Our client cancels every stream it stops waiting for (a timeout is a reset); the default
            // rapid-reset guard would then close whole connections and fail every payment in flight.
            .setHttp2RstFloodMaxRstFramePerWindow(1_000_000))
        .requestHandler(router)
        .listen()
        .onSuccess(s -> server = s);
  }

  /** Records still buffered are executions already promised: write them before going away. */
  @Override
  public Future<?> stop() {
    if (returnsTimer >= 0) vertx.cancelTimer(returnsTimer);
    returnsTimer = -2;
    returns.close();
    return store.flush();
  }

  /** The port actually bound (useful with port 0); valid once started. */
  public int actualPort() {
    return server.actualPort();
  }

  /** The API key callers must send; valid once started. */
  public String apiKey() {
    return apiKey;
  }

  private void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    if (!bearer || !MessageDigest.isEqual(sha256(header.substring(7).trim()), apiKeyHash)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      reply(ctx, 401, GatewayJson.error("unauthorized", "send the API key as Authorization: Bearer <key>"));
      return;
    }
    ctx.next();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JVM has SHA-256
    }
  }

  private void pay(RoutingContext ctx) {
    PayRequest req;
    try {
      req = PayRequest.parse(ctx.request().getHeader(IDEMPOTENCY_KEY), ctx);
    } catch (IllegalArgumentException e) {
      reply(ctx, 400, GatewayJson.error("invalid_request", e.getMessage()));
      return;
    }
    Fault fault = simulator.fault();
    if (fault == Fault.FAIL_BEFORE) {
      reply(ctx, 503, GatewayJson.error("unavailable", "simulated outage; nothing was executed"));
      return;
    }
    store.find(req.key())
        .compose(found -> found.map(Future::succeededFuture).orElseGet(() -> execute(req)))
        .onComplete(ar -> {
          if (fault == Fault.HANG) return; // executed, but the answer is lost: the client must look it up
          if (ar.failed()) reply(ctx, 503, GatewayJson.error("unavailable", ar.cause().getMessage()));
          else if (!req.sameAs(ar.result())) reply(ctx, 409, GatewayJson.error(GatewayJson.KEY_REUSED, req.reuseMessage()));
          else reply(ctx, 200, GatewayJson.toJson(ar.result()));
        });
  }

  /**
   * POST /v1/payout-batches {"items": [{"idempotencyKey", "method", "amount", "payoutRef",
   * "destination"}]}: each item is executed exactly as a single call would be (same key semantics,
   * same faults), and the answer lists every item's result, in the order of the items. An item
   * refused before executing comes back "unavailable"; an item whose answer is lost was executed
   * but comes back "pending", as a real processor's batch reports items it has not settled: the
   * caller must look it up. An item whose key was used with other parameters comes back "refused"
   * with {@value GatewayJson#KEY_REUSED}; the other items are answered normally.
   */
  private void payBatch(RoutingContext ctx) {
    List<PayRequest> requests = new ArrayList<>();
    try {
      JsonObject body = ctx.body().asJsonObject();
      JsonArray items = body == null ? null : body.getJsonArray("items");
      if (items == null || items.isEmpty() || items.size() > MAX_BATCH_ITEMS) {
        throw new IllegalArgumentException("items must hold 1 to " + MAX_BATCH_ITEMS + " payouts");
      }
      for (Object o : items) {
        if (!(o instanceof JsonObject item)) throw new IllegalArgumentException("each item must be an object");
        requests.add(PayRequest.parse(item.getString("idempotencyKey"), item));
      }
    } catch (RuntimeException e) {
      reply(ctx, 400, GatewayJson.error("invalid_request", e.getMessage()));
      return;
    }
    List<Future<JsonObject>> results = new ArrayList<>(requests.size());
    for (PayRequest req : requests) {
      Fault fault = simulator.fault();
      if (fault == Fault.FAIL_BEFORE) {
        results.add(Future.succeededFuture(unavailable(req.key())));
        continue;
      }
      results.add(store.find(req.key())
          .compose(found -> found.map(Future::succeededFuture).orElseGet(() -> execute(req)))
          .map(r -> {
            if (!req.sameAs(r)) return GatewayJson.toJson(GatewayResult.keyReused(req.key(), GatewayJson.KEY_REUSED, req.reuseMessage()));
            return fault == Fault.HANG
                ? new JsonObject().put("idempotencyKey", req.key()).put("status", "pending") // executed, answer lost
                : GatewayJson.toJson(r);
          })
          .otherwise(err -> unavailable(req.key())));
    }
    if (streamed(ctx)) {
      stream(ctx, results);
      return;
    }
    Future.join(results).onComplete(ar -> {
      JsonArray out = new JsonArray();
      for (Future<JsonObject> r : results) out.add(r.result());
      reply(ctx, 200, new JsonObject().put("results", out));
    });
  }

  private static boolean streamed(RoutingContext ctx) {
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    return accept != null && accept.contains(GatewayJson.STREAM_TYPE);
  }

  /**
   * The streamed answer: a line per item as soon as it is settled, {@code {"item": N, ...}}, in
   * the order they settle; the answer ends with the last. A caller gone meanwhile changes nothing:
   * each item was executed (or not) all the same, and is found again by its key.
   */
  private void stream(RoutingContext ctx, List<Future<JsonObject>> results) {
    HttpServerResponse res = ctx.response().setChunked(true).setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, GatewayJson.STREAM_TYPE);
    for (int i = 0; i < results.size(); i++) {
      int item = i;
      results.get(i).onComplete(ar -> {
        if (res.closed() || res.ended()) return;
        JsonObject line = (ar.succeeded() ? ar.result().copy() : unavailable(null)).put("item", item);
        res.write(line.encode() + "\n");
      });
    }
    Future.join(results).onComplete(ar -> {
      if (!res.closed() && !res.ended()) res.end();
    });
  }

  private static JsonObject unavailable(String key) {
    return new JsonObject().put("idempotencyKey", key).put("status", "unavailable");
  }

  private Future<GatewayResult> execute(PayRequest req) {
    MockPayoutSimulator.Draw draw = simulator.draw(req.key(), req.method(), req.amount(), Instant.now());
    return delay(draw.delayMs()).compose(v -> store.record(req.key(),
        new GatewayExecutionStore.Execution(req.payoutRef(), req.method(), req.amount(), req.destination(), draw)))
        .compose(r -> {
          java.util.Optional<com.payouts.domain.ReturnCode> comesBack = simulator.returnOf(req.key());
          if (comesBack.isEmpty() || r.status() != com.payouts.domain.GatewayAnswer.Status.SUCCEEDED || !req.sameAs(r)) {
            return Future.succeededFuture(r);
          }
          return returns.plan(req.key(), comesBack.get()).map(r).otherwise(r);
        });
  }

  /** GET /v1/events?after=SEQ&limit=N: the returns (and any later kind of event), in order. */
  private void events(RoutingContext ctx) {
    long after;
    int limit;
    try {
      String a = ctx.queryParams().get("after");
      after = a == null || a.isEmpty() ? 0 : Long.parseLong(a);
      limit = Integer.parseInt(ctx.queryParams().get("limit") == null ? "100" : ctx.queryParams().get("limit"));
      if (limit < 1 || limit > GatewayReport.MAX_PAGE) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      reply(ctx, 400, GatewayJson.error("invalid_request", "after must be a sequence number, limit 1 to " + GatewayReport.MAX_PAGE));
      return;
    }
    returns.list(after, limit)
        .onSuccess(page -> reply(ctx, 200, page))
        .onFailure(err -> reply(ctx, 503, GatewayJson.error("unavailable", err.getMessage())));
  }

  private Future<Void> delay(long ms) {
    if (ms <= 0) return Future.succeededFuture();
    Promise<Void> done = Promise.promise();
    vertx.setTimer(ms, id -> done.complete());
    return done.future();
  }

  private void lookup(RoutingContext ctx) {
    String key = ctx.pathParam("idempotencyKey");
    store.find(key)
        .onSuccess(found -> found.ifPresentOrElse(
            r -> reply(ctx, 200, GatewayJson.toJson(r)),
            () -> reply(ctx, 404, GatewayJson.error("not_found", "no payout executed under key " + key))))
        .onFailure(err -> reply(ctx, 503, GatewayJson.error("unavailable", err.getMessage())));
  }

  /**
   * GET /v1/executions?after=KEY&limit=N: the report of what was executed, in key order, as a real
   * processor's payout report; {@code nextAfter} names where the next page starts (null at the end).
   */
  private void report(RoutingContext ctx) {
    String after = ctx.queryParams().get("after");
    int limit;
    try {
      limit = Integer.parseInt(ctx.queryParams().get("limit") == null ? "1000" : ctx.queryParams().get("limit"));
      if (limit < 1 || limit > GatewayReport.MAX_PAGE) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      reply(ctx, 400, GatewayJson.error("invalid_request", "limit must be 1 to " + GatewayReport.MAX_PAGE));
      return;
    }
    store.list(after == null ? "" : after, limit)
        .onSuccess(items -> {
          JsonArray out = new JsonArray();
          items.forEach(x -> out.add(GatewayJson.toJson(x)));
          String next = items.size() == limit ? items.get(items.size() - 1).idempotencyKey() : null;
          reply(ctx, 200, new JsonObject().put("items", out).put("nextAfter", next));
        })
        .onFailure(err -> reply(ctx, 503, GatewayJson.error("unavailable", err.getMessage())));
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended() || ctx.response().closed()) return;
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  /** A validated create call; parse throws IllegalArgumentException with a message for the caller. */
  private record PayRequest(String key, String payoutRef, PayoutMethod method, BigDecimal amount, String destination) {
    /**
     * Whether {@code executed}, what the key ran with, is this request. An execution recorded before
     * destinations were (null) matches any destination.
     */
    boolean sameAs(GatewayResult executed) {
      return executed.amount() != null && executed.amount().compareTo(amount) == 0
          && method.wire().equals(executed.method())
          && Objects.equals(payoutRef, executed.payoutRef())
          && (executed.destination() == null || executed.destination().equals(destination));
    }

    String reuseMessage() {
      return "idempotency key " + key + " was already used with different parameters (amount, method, destination"
          + " or payout reference); nothing was executed for this request";
    }

    static PayRequest parse(String key, RoutingContext ctx) {
      JsonObject body;
      try {
        body = ctx.body().asJsonObject();
      } catch (DecodeException | ClassCastException e) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
      return parse(key, body);
    }

    static PayRequest parse(String key, JsonObject body) {
      if (key == null || key.isBlank()) throw new IllegalArgumentException("the " + IDEMPOTENCY_KEY + " header is required");
      if (key.length() > MAX_KEY_LENGTH) throw new IllegalArgumentException(IDEMPOTENCY_KEY + " is longer than " + MAX_KEY_LENGTH);
      if (body == null) throw new IllegalArgumentException("the body must be a JSON object");
      if (!(body.getValue("method") instanceof String method)) throw new IllegalArgumentException("method is required");
      if (!(body.getValue("amount") instanceof String amount)) {
        throw new IllegalArgumentException("amount is required, as a string like \"25.00\"");
      }
      Object ref = body.getValue("payoutRef");
      if (ref != null && !(ref instanceof String)) throw new IllegalArgumentException("payoutRef must be a string");
      if (!(body.getValue("destination") instanceof String destination) || destination.isBlank()) {
        throw new IllegalArgumentException("destination is required: the payee's reference");
      }
      BigDecimal parsed;
      try {
        parsed = Money.parsePositive(amount);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("amount " + e.getMessage());
      }
      return new PayRequest(key, (String) ref, PayoutMethod.parse(method), parsed, destination);
    }
  }
}
