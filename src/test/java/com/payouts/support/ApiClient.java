package com.payouts.support;

import static com.payouts.support.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;

/** A Bearer-authenticated JSON client for API tests; calls block the test thread. */
public final class ApiClient {
  private final WebClient http;
  private final String token;

  public ApiClient(Vertx vertx, int port, String token) {
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    this.token = token;
  }

  public HttpResponse<Buffer> get(String path) {
    return await(http.get(path).bearerTokenAuthentication(token).send());
  }

  public JsonObject getJson(String path) {
    return get(path).bodyAsJsonObject();
  }

  public HttpResponse<Buffer> post(String path, String body) {
    return await(postAsync(path, body, Map.of()));
  }

  /** With these extra headers, e.g. an Idempotency-Key. */
  public HttpResponse<Buffer> post(String path, String body, Map<String, String> headers) {
    return await(postAsync(path, body, headers));
  }

  /** Does not wait: for requests sent at the same time. */
  public Future<HttpResponse<Buffer>> postAsync(String path, String body, Map<String, String> headers) {
    var req = http.post(path).bearerTokenAuthentication(token).putHeader("Content-Type", "application/json");
    headers.forEach(req::putHeader);
    return body == null ? req.send() : req.sendBuffer(Buffer.buffer(body));
  }

  public HttpResponse<Buffer> patch(String path, String body) {
    return await(http.patch(path).bearerTokenAuthentication(token).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)));
  }

  /** This client's user, as GET /api/auth/me answers it. */
  public JsonObject me() {
    return getJson("/api/auth/me").getJsonObject("user");
  }

  /** The actor its actions are audited as. */
  public String actor() {
    JsonObject me = me();
    return "user:" + me.getLong("id") + ":" + me.getString("email");
  }

  public String token() {
    return token;
  }

  public WebClient raw() {
    return http;
  }
}
