package com.payouts.gateway;

import com.payouts.domain.Money;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.parsetools.JsonEventType;
import io.vertx.core.parsetools.JsonParser;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor over HTTP. Whenever the answer does not arrive (timeout, connection error, 5xx)
 * the future fails with {@link GatewayUnavailableException}: the payment may have happened, so the
 * caller must {@link #lookup} before anything else. Every call carries the API key as a Bearer
 * token. Answers are read as sent, one item at a time, and never judged here: the service
 * compares each with its payout.
 */
public final class HttpPaymentGateway implements PaymentGateway, GatewayReport, GatewayEvents, AutoCloseable {
  public static final int DEFAULT_POOL_SIZE = 64;
  static final long DEADLINE_GRACE_MS = 1_000;
  /** Streams per HTTP/2 connection; the mock gateway allows as many. */
  public static final int MAX_STREAMS_PER_CONNECTION = 5_000;
  static final int HTTP2_CONNECTIONS = 4;

  private static final Logger log = LoggerFactory.getLogger(HttpPaymentGateway.class);

  private final WebClient client;
  private final String baseUrl;
  private final long timeoutMs;
  private final String authorization;

  public HttpPaymentGateway(Vertx vertx, String baseUrl, Duration timeout, String apiKey) {
    this(vertx, baseUrl, timeout, apiKey, DEFAULT_POOL_SIZE);
  }

  /**
   * HTTP/2 without TLS (prior knowledge) when the URL is http://: a few connections multiplex
   * thousands of payments in flight, so a 3-10 s gateway delay does not cap throughput at the
   * pool size. {@code maxPoolSize} bounds HTTP/1.1 connections for gateways that only speak it.
   */
  public HttpPaymentGateway(Vertx vertx, String baseUrl, Duration timeout, String apiKey, int maxPoolSize) {
    String scheme = URI.create(baseUrl).getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("gateway URL " + baseUrl + " must be http:// or https://");
    }
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("gateway timeout must be positive");
    if (apiKey == null || apiKey.isBlank()) throw new IllegalArgumentException("the gateway needs an API key");
    this.authorization = "Bearer " + apiKey;
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
    return client.postAbs(baseUrl + "/v1/payouts")
        .putHeader(GatewayJson.IDEMPOTENCY_KEY_HEADER, key)
        .putHeader(HttpHeaders.AUTHORIZATION.toString(), authorization)
        .timeout(timeoutMs)
        .sendJsonObject(body(instruction))
        .timeout(deadlineMs(), TimeUnit.MILLISECONDS)
        .transform(ar -> {
          if (ar.failed()) return unavailable("pay", key, ar.cause().toString(), ar.cause());
          HttpResponse<Buffer> res = ar.result();
          if (res.statusCode() == 200) return parse(res, key);
          if (res.statusCode() >= 500) return unavailable("pay", key, "HTTP " + res.statusCode(), null);
          if (res.statusCode() == 409 && GatewayJson.KEY_REUSED.equals(errorCode(res))) {
            return Future.succeededFuture(GatewayResult.keyReused(key, GatewayJson.KEY_REUSED, errorMessage(res)));
          }
          // Any other 4xx: refused without executing (a wrong API key, a bug on our side). The
          // outcome stays unknown to the caller, so the payout waits in processing, never paid blindly.
          return Future.failedFuture(refused("payment " + key, res));
        });
  }

  /** The payment's parameters; a processor refuses the key when it was used with any other. */
  private static JsonObject body(PaymentInstruction i) {
    return new JsonObject().put("method", i.method().wire()).put("amount", Money.format(i.amount()))
        .put("payoutRef", i.payoutRef()).put("destination", i.destination());
  }

  /** One call per {@link GatewayJson#MAX_BATCH_ITEMS} instructions; see {@link PaymentGateway#payAll}. */
  @Override
  public Future<Map<String, GatewayResult>> payAll(List<PaymentInstruction> instructions) {
    List<Future<Map<String, GatewayResult>>> calls = new ArrayList<>();
    for (int from = 0; from < instructions.size(); from += GatewayJson.MAX_BATCH_ITEMS) {
      calls.add(payBatch(instructions.subList(from, Math.min(instructions.size(), from + GatewayJson.MAX_BATCH_ITEMS))));
    }
    return Future.join(calls).transform(ignored -> {
      Map<String, GatewayResult> known = new HashMap<>();
      for (Future<Map<String, GatewayResult>> f : calls) {
        if (f.succeeded()) known.putAll(f.result());
      }
      return Future.succeededFuture(known);
    });
  }

  /**
   * The batch API with a streamed answer ({@value GatewayJson#STREAM_TYPE}): one line per item,
   * {@code {"item": N, ...result}}, written as soon as that item is settled, so each payout hears
   * of its own result and not of the slowest in its batch. A line is matched to its item by
   * position and the key it carries is checked by the caller, as for a whole answer. An item with
   * no readable line by the end of the answer (or past the deadline) has an unknown outcome.
   */
  @Override
  public List<Future<GatewayResult>> payEach(List<PaymentInstruction> instructions) {
    List<Future<GatewayResult>> each = new ArrayList<>(instructions.size());
    for (int from = 0; from < instructions.size(); from += GatewayJson.MAX_BATCH_ITEMS) {
      each.addAll(streamBatch(instructions.subList(from, Math.min(instructions.size(), from + GatewayJson.MAX_BATCH_ITEMS))));
    }
    return each;
  }

  private List<Future<GatewayResult>> streamBatch(List<PaymentInstruction> batch) {
    List<Promise<GatewayResult>> answers = new ArrayList<>(batch.size());
    JsonArray items = new JsonArray();
    for (PaymentInstruction i : batch) {
      answers.add(Promise.promise());
      items.add(body(i).put("idempotencyKey", i.idempotencyKey()));
    }
    JsonParser lines = JsonParser.newParser().objectValueMode();
    lines.handler(event -> {
      if (event.type() != JsonEventType.VALUE || !(event.value() instanceof JsonObject line)) return; // not an item
      if (!(line.getValue("item") instanceof Number item) || item.doubleValue() != item.intValue()) return;
      int n = item.intValue();
      if (n < 0 || n >= batch.size()) return;
      try {
        answers.get(n).tryComplete(GatewayJson.fromJson(line));
      } catch (IllegalArgumentException notAResult) {
        // "pending", "unavailable" or unreadable: this item's outcome is unknown.
        answers.get(n).tryFail(new GatewayUnavailableException("the gateway answered " + line.getString("status")
            + " for " + batch.get(n).idempotencyKey() + "; outcome unknown"));
      }
    });
    lines.exceptionHandler(err -> log.warn("unreadable streamed batch answer: {}", err.toString()));
    client.postAbs(baseUrl + "/v1/payout-batches")
        .putHeader(HttpHeaders.AUTHORIZATION.toString(), authorization)
        .putHeader(HttpHeaders.ACCEPT.toString(), GatewayJson.STREAM_TYPE)
        .timeout(timeoutMs)
        .as(BodyCodec.jsonStream(lines))
        .sendJsonObject(new JsonObject().put("items", items))
        .timeout(deadlineMs(), TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          String why = ar.failed() ? ar.cause().toString() : "HTTP " + ar.result().statusCode();
          if (ar.succeeded() && ar.result().statusCode() != 200 && ar.result().statusCode() < 500) {
            log.warn("gateway refused a streamed batch of {}: {}", batch.size(), why);
          }
          for (int i = 0; i < batch.size(); i++) {
            answers.get(i).tryFail(new GatewayUnavailableException("gateway did not answer pay "
                + batch.get(i).idempotencyKey() + " in its batch (" + why + "); outcome unknown"));
          }
        });
    List<Future<GatewayResult>> out = new ArrayList<>(answers.size());
    for (Promise<GatewayResult> p : answers) out.add(p.future());
    return out;
  }

  /**
   * The answer's results are matched to the items by position (the batch API answers in item
   * order), so an answer carrying another key than its item's is caught by the caller's check
   * instead of going unnoticed. Each item is read on its own: one that cannot be read leaves only
   * its own payout unknown (looked up later), never the rest of the batch.
   */
  private Future<Map<String, GatewayResult>> payBatch(List<PaymentInstruction> batch) {
    JsonArray items = new JsonArray();
    for (PaymentInstruction i : batch) items.add(body(i).put("idempotencyKey", i.idempotencyKey()));
    return client.postAbs(baseUrl + "/v1/payout-batches")
        .putHeader(HttpHeaders.AUTHORIZATION.toString(), authorization)
        .timeout(timeoutMs)
        .sendJsonObject(new JsonObject().put("items", items))
        .timeout(deadlineMs(), TimeUnit.MILLISECONDS)
        .map(res -> {
          Map<String, GatewayResult> known = new HashMap<>();
          if (res.statusCode() != 200) { // nothing known: every item is looked up later
            if (res.statusCode() < 500) log.warn("{}", refused("a batch of " + batch.size(), res).getMessage());
            return known;
          }
          JsonArray results = resultsOf(res);
          for (int i = 0; i < Math.min(batch.size(), results.size()); i++) {
            if (!(results.getValue(i) instanceof JsonObject r)) continue;
            try {
              known.put(batch.get(i).idempotencyKey(), GatewayJson.fromJson(r));
            } catch (IllegalArgumentException notAResult) {
              // "pending", "unavailable" or unreadable: this item's outcome is unknown.
            }
          }
          return known;
        })
        .otherwise(err -> new HashMap<>());
  }

  private static JsonArray resultsOf(HttpResponse<Buffer> res) {
    try {
      JsonObject body = res.bodyAsJsonObject();
      return body != null && body.getValue("results") instanceof JsonArray a ? a : new JsonArray();
    } catch (RuntimeException unreadable) {
      return new JsonArray();
    }
  }

  @Override
  public Future<Optional<GatewayResult>> lookup(String idempotencyKey) {
    String path = URLEncoder.encode(idempotencyKey, StandardCharsets.UTF_8).replace("+", "%20");
    return client.getAbs(baseUrl + "/v1/payouts/" + path)
        .putHeader(HttpHeaders.AUTHORIZATION.toString(), authorization)
        .timeout(timeoutMs)
        .send()
        .timeout(deadlineMs(), TimeUnit.MILLISECONDS)
        .transform(ar -> {
          if (ar.failed()) return unavailable("lookup", idempotencyKey, ar.cause().toString(), ar.cause());
          HttpResponse<Buffer> res = ar.result();
          if (res.statusCode() == 200) return parse(res, idempotencyKey).map(Optional::of);
          if (res.statusCode() == 404 && "not_found".equals(errorCode(res))) return Future.succeededFuture(Optional.empty());
          if (res.statusCode() >= 400 && res.statusCode() < 500) log.warn("{}", refused("lookup " + idempotencyKey, res).getMessage());
          return unavailable("lookup", idempotencyKey, "HTTP " + res.statusCode(), null);
        });
  }

  @Override
  public Future<Page> executions(String after, int limit) {
    return page("/v1/executions", "report", after, limit).map(body -> {
      List<GatewayExecution> items = new ArrayList<>();
      for (Object o : body.getJsonArray("items", new JsonArray())) items.add(GatewayJson.executionFromJson((JsonObject) o));
      return new Page(items, body.getString("nextAfter"));
    });
  }

  @Override
  public Future<GatewayEvents.EventPage> events(String after, int limit) {
    return page("/v1/events", "event list", after, limit).map(body -> {
      List<com.payouts.domain.PayoutReturn> returns = new ArrayList<>();
      String last = after;
      for (Object o : body.getJsonArray("items", new JsonArray())) {
        JsonObject event = (JsonObject) o;
        Object seq = event.getValue("sequence");
        if (seq != null) last = seq.toString();
        event.remove("sequence");
        com.payouts.domain.PayoutReturn r = GatewayJson.returnFromJson(event);
        if (r != null) returns.add(r);
      }
      return new GatewayEvents.EventPage(returns, body.getString("nextAfter"), last);
    });
  }

  /** One page of a paged list of the gateway's ({@code ?after=&limit=}), its body; anything but 200 fails. */
  private Future<JsonObject> page(String path, String what, String after, int limit) {
    String query = "?limit=" + limit + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
    return client.getAbs(baseUrl + path + query)
        .putHeader(HttpHeaders.AUTHORIZATION.toString(), authorization)
        .timeout(timeoutMs)
        .send()
        .timeout(deadlineMs(), TimeUnit.MILLISECONDS)
        .compose(res -> res.statusCode() == 200
            ? Future.succeededFuture(res.bodyAsJsonObject())
            : Future.failedFuture(new IllegalStateException("the gateway's " + what + " answered HTTP " + res.statusCode())));
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

  /**
   * A 200 that is not a result at all tells us nothing, so it counts as no answer. A result is
   * handed on as read, whatever it says: the caller judges it.
   */
  private static Future<GatewayResult> parse(HttpResponse<Buffer> res, String key) {
    try {
      return Future.succeededFuture(GatewayJson.fromJson(res.bodyAsJsonObject()));
    } catch (RuntimeException e) {
      return unavailable("read the answer for", key, e.toString(), e);
    }
  }

  private static String errorCode(HttpResponse<Buffer> res) {
    return error(res).getString("code");
  }

  private static String errorMessage(HttpResponse<Buffer> res) {
    return error(res).getString("message");
  }

  private static JsonObject error(HttpResponse<Buffer> res) {
    try {
      JsonObject body = res.bodyAsJsonObject();
      return body != null && body.getValue("error") instanceof JsonObject e ? e : new JsonObject();
    } catch (RuntimeException unreadable) {
      return new JsonObject();
    }
  }

  private static IllegalStateException refused(String what, HttpResponse<Buffer> res) {
    String hint = res.statusCode() == 401 ? " (check PAYOUTS_GATEWAY_API_KEY)" : "";
    String body = res.bodyAsString() == null ? "" : res.bodyAsString();
    return new IllegalStateException("gateway refused " + what + ": HTTP " + res.statusCode() + hint + " "
        + (body.length() <= 300 ? body : body.substring(0, 300)));
  }

  private static <T> Future<T> unavailable(String what, String key, String why, Throwable cause) {
    return Future.failedFuture(new GatewayUnavailableException(
        "gateway did not answer " + what + " " + key + " (" + why + "); outcome unknown", cause));
  }
}
