package com.payouts.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/**
 * The few API calls the load test makes, over one keep-alive HTTP/1.1 pool. Every answer other than
 * the expected status, and every connection failure, counts as an HTTP error. Calls that are safe
 * to repeat are retried a few times on connection failures, 429 and 5xx.
 */
public final class PayoutsApi {
  private static final int ATTEMPTS = 3;
  private static final long REQUEST_TIMEOUT_MS = 30_000;

  /** A request that got an unexpected answer or none. */
  public static final class ApiFailure extends RuntimeException {
    final int status;

    ApiFailure(int status, String message) {
      super(message);
      this.status = status;
    }

    boolean worthRetrying() {
      return status == 0 || status == 429 || status >= 500;
    }
  }

  private final Vertx vertx;
  private final WebClient client;
  private final String basePath;
  private final String authorization;
  private long httpErrors;
  private String firstError;

  public PayoutsApi(Vertx vertx, URI base, String token, int connections) {
    this.vertx = vertx;
    int port = base.getPort() > 0 ? base.getPort() : 80;
    this.basePath = base.getPath() == null || base.getPath().equals("/") ? "" : base.getPath().replaceAll("/$", "");
    this.authorization = "Bearer " + token;
    this.client = WebClient.create(vertx,
        new WebClientOptions().setDefaultHost(base.getHost()).setDefaultPort(port).setKeepAlive(true)
            // Shorter than the server's idle timeout: we let a connection go before it would.
            .setKeepAliveTimeout(30)
            .setConnectTimeout(10_000).setUserAgent("payouts-loadtest"),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(connections * 16 + 1024));
  }

  public long httpErrors() {
    return httpErrors;
  }

  public String firstError() {
    return firstError;
  }

  public Future<Long> createUser(String email, String name) {
    JsonObject body = new JsonObject().put("email", email).put("name", name);
    return send(() -> request("POST", "/api/users").sendJsonObject(body), 201, false)
        .map(json -> json.getLong("id"));
  }

  /** Not idempotent on the server, but a repeated credit only adds balance, which the test can afford. */
  public Future<Void> credit(long userId, String amount, String reason) {
    JsonObject body = new JsonObject().put("amount", amount).put("reason", reason);
    return send(() -> request("POST", "/api/users/" + userId + "/credits").sendJsonObject(body), 201, true)
        .mapEmpty();
  }

  /** Retried safely: the Idempotency-Key makes a repeat answer the first payout. */
  public Future<Long> createPayout(long userId, String amount, String method, String idempotencyKey) {
    JsonObject body = new JsonObject().put("userId", userId).put("amount", amount).put("method", method);
    return send(() -> request("POST", "/api/payouts").putHeader("Idempotency-Key", idempotencyKey)
        .sendJsonObject(body), 201, true)
        .map(json -> json.getLong("id"));
  }

  /** The per-id results; a repeat after a lost answer reports ids the first try moved as not pending. */
  public Future<JsonArray> approve(List<Long> ids) {
    JsonObject body = new JsonObject().put("action", "approve").put("ids", new JsonArray(List.copyOf(ids)));
    return send(() -> request("POST", "/api/payouts/batch").sendJsonObject(body), 200, true)
        .map(json -> json.getJsonArray("results", new JsonArray()));
  }

  public Future<JsonObject> payout(long id) {
    return send(() -> request("GET", "/api/payouts/" + id).send(), 200, true);
  }

  public void close() {
    client.close();
  }

  private HttpRequest<Buffer> request(String method, String path) {
    HttpRequest<Buffer> r = "GET".equals(method) ? client.get(basePath + path) : client.post(basePath + path);
    return r.putHeader("Authorization", authorization).timeout(REQUEST_TIMEOUT_MS);
  }

  private Future<JsonObject> send(Supplier<Future<HttpResponse<Buffer>>> call, int expected, boolean retry) {
    return attempt(call, expected, retry ? ATTEMPTS : 1, 1);
  }

  private Future<JsonObject> attempt(Supplier<Future<HttpResponse<Buffer>>> call, int expected, int attempts, int n) {
    return call.get()
        .transform(ar -> {
          if (ar.succeeded() && ar.result().statusCode() == expected) {
            return Future.succeededFuture(ar.result().bodyAsJsonObject());
          }
          ApiFailure failure = ar.failed()
              ? new ApiFailure(0, String.valueOf(ar.cause()))
              : new ApiFailure(ar.result().statusCode(), "HTTP " + ar.result().statusCode() + " "
                  + abbreviate(ar.result().bodyAsString()));
          httpErrors++;
          if (firstError == null) firstError = failure.getMessage();
          return Future.<JsonObject>failedFuture(failure);
        })
        .recover(err -> {
          if (n >= attempts || !(err instanceof ApiFailure f) || !f.worthRetrying()) return Future.failedFuture(err);
          return vertx.timer(200L * n).compose(v -> attempt(call, expected, attempts, n + 1));
        });
  }

  private static String abbreviate(String s) {
    if (s == null) return "";
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
