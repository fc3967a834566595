package com.payouts.gateway;

import com.payouts.domain.Money;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The processor over HTTP. Whenever the answer does not arrive (timeout, connection error, 5xx)
 * the future fails with {@link GatewayUnavailableException}: the payment may have happened, so the
 * caller must {@link #lookup} before anything else.
 */
public final class HttpPaymentGateway implements PaymentGateway, AutoCloseable {
  public static final int DEFAULT_POOL_SIZE = 64;
  static final long DEADLINE_GRACE_MS = 1_000;
  /** Streams per HTTP/2 connection; the mock gateway allows as many. */
  public static final int MAX_STREAMS_PER_CONNECTION = 5_000;
  static final int HTTP2_CONNECTIONS = 4;

  private final WebClient client;
  private final String baseUrl;
  private final long timeoutMs;

  public HttpPaymentGateway(Vertx vertx, String baseUrl, Duration timeout) {
    this(vertx, baseUrl, timeout, DEFAULT_POOL_SIZE);
  }

  /**
   * HTTP/2 without TLS (prior knowledge) when the URL is http://: a few connections multiplex
   * thousands of payments in flight, so a 3-10 s gateway delay does not cap throughput at the
   * pool size. {@code maxPoolSize} bounds HTTP/1.1 connections for gateways that only speak it.
   */
  public HttpPaymentGateway(Vertx vertx, String baseUrl, Duration timeout, int maxPoolSize) {
    String scheme = URI.create(baseUrl).getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("gateway URL " + baseUrl + " must be http:// or https://");
    }
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("gateway timeout must be positive");
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.timeoutMs = timeout.toMillis();
    this.client = WebClient.create(vertx,
        new WebClientOptions().setKeepAlive(true).setConnectTimeout((int) Math.min(timeoutMs, Integer.MAX_VALUE))
            .setProtocolVersion("http".equals(scheme) ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
            .setHttp2ClearTextUpgrade(false)
            .setHttp2MultiplexingLimit(MAX_STREAMS_PER_CONNECTION),
        new PoolOptions().setHttp1MaxSize(maxPoolSize).setHttp2MaxSize(HTTP2_CONNECTIONS));
  }

  @Override
  public Future<GatewayResult> pay(PaymentInstruction instruction) {
    String key = instruction.idempotencyKey();
    JsonObject body = new JsonObject()
        .put("method", instruction.method().wire())
        .put("amount", Money.format(instruction.amount()))
        .put("payoutRef", instruction.payoutRef());
    return client.postAbs(baseUrl + "/v1/payouts")
        .putHeader(MockGatewayVerticle.IDEMPOTENCY_KEY, key)
        .timeout(timeoutMs)
        .sendJsonObject(body)
        .timeout(deadlineMs(), TimeUnit.MILLISECONDS)
        .transform(ar -> {
          if (ar.failed()) return unavailable("pay", key, ar.cause().toString(), ar.cause());
          HttpResponse<Buffer> res = ar.result();
          if (res.statusCode() == 200) return parse(res, key);
          if (res.statusCode() >= 500) return unavailable("pay", key, "HTTP " + res.statusCode(), null);
          // A 4xx means the gateway refused the request without executing it: a bug on our side.
          return Future.failedFuture(new IllegalStateException(
              "gateway refused payment " + key + ": HTTP " + res.statusCode() + " " + res.bodyAsString()));
        });
  }

  /** One call per {@link MockGatewayVerticle#MAX_BATCH_ITEMS} instructions; see {@link PaymentGateway#payAll}. */
  @Override
  public Future<Map<String, GatewayResult>> payAll(List<PaymentInstruction> instructions) {
    List<Future<Map<String, GatewayResult>>> calls = new ArrayList<>();
    for (int from = 0; from < instructions.size(); from += MockGatewayVerticle.MAX_BATCH_ITEMS) {
      calls.add(payBatch(instructions.subList(from, Math.min(instructions.size(), from + MockGatewayVerticle.MAX_BATCH_ITEMS))));
    }
    return Future.join(calls).transform(ignored -> {
      Map<String, GatewayResult> known = new HashMap<>();
      for (Future<Map<String, GatewayResult>> f : calls) {
        if (f.succeeded()) known.putAll(f.result());
      }
      return Future.succeededFuture(known);
    });
  }

  private Future<Map<String, GatewayResult>> payBatch(List<PaymentInstruction> batch) {
    JsonArray items = new JsonArray();
    for (PaymentInstruction i : batch) {
      items.add(new JsonObject().put("idempotencyKey", i.idempotencyKey()).put("method", i.method().wire())
          .put("amount", Money.format(i.amount())).put("payoutRef", i.payoutRef()));
    }
    return client.postAbs(baseUrl + "/v1/payout-batches")
        .timeout(timeoutMs)
        .sendJsonObject(new JsonObject().put("items", items))
        .timeout(deadlineMs(), TimeUnit.MILLISECONDS)
        .map(res -> {
          Map<String, GatewayResult> known = new HashMap<>();
          if (res.statusCode() != 200) return known; // nothing known: every item is looked up later
          JsonArray results = res.bodyAsJsonObject().getJsonArray("results", new JsonArray());
          for (Object o : results) {
            JsonObject r = (JsonObject) o;
            String status = r.getString("status");
            if ("succeeded".equals(status) || "failed".equals(status)) {
              GatewayResult parsed = GatewayJson.fromJson(r);
              known.put(parsed.idempotencyKey(), parsed);
            }
          }
          return known;
        })
        .otherwise(err -> new HashMap<>());
  }

  @Override
  public Future<Optional<GatewayResult>> lookup(String idempotencyKey) {
    String path = URLEncoder.encode(idempotencyKey, StandardCharsets.UTF_8).replace("+", "%20");
    return client.getAbs(baseUrl + "/v1/payouts/" + path)
        .timeout(timeoutMs)
        .send()
        .timeout(deadlineMs(), TimeUnit.MILLISECONDS)
        .transform(ar -> {
          if (ar.failed()) return unavailable("lookup", idempotencyKey, ar.cause().toString(), ar.cause());
          HttpResponse<Buffer> res = ar.result();
          if (res.statusCode() == 200) return parse(res, idempotencyKey).map(Optional::of);
          if (res.statusCode() == 404) return Future.succeededFuture(Optional.empty());
          return unavailable("lookup", idempotencyKey, "HTTP " + res.statusCode(), null);
        });
  }

  /**
   * Our own deadline on top of the client's request timeout: a request stuck in the client's
   * connection pool (a race when a connect attempt and a new connection coincide) would otherwise
   * never complete, and with it a whole claim group. Past it the outcome is unknown, like any timeout.
   */
  private long deadlineMs() {
    return timeoutMs + DEADLINE_GRACE_MS;
  }

  @Override
  public void close() {
    client.close();
  }

  /** A 200 we cannot read tells us nothing, so it counts as no answer. */
  private static Future<GatewayResult> parse(HttpResponse<Buffer> res, String key) {
    try {
      return Future.succeededFuture(GatewayJson.fromJson(res.bodyAsJsonObject()));
    } catch (RuntimeException e) {
      return unavailable("read the answer for", key, e.toString(), e);
    }
  }

  private static <T> Future<T> unavailable(String what, String key, String why, Throwable cause) {
    return Future.failedFuture(new GatewayUnavailableException(
        "gateway did not answer " + what + " " + key + " (" + why + "); outcome unknown", cause));
  }
}
