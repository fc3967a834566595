package com.payouts.gateway;

import com.payouts.domain.Money;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/** The wire shape of a gateway result and of an error, shared by the mock server and the client. */
public final class GatewayJson {
  private GatewayJson() {}

  public static JsonObject toJson(GatewayResult r) {
    return new JsonObject()
        .put("idempotencyKey", r.idempotencyKey())
        .put("status", r.succeeded() ? "succeeded" : "failed")
        .put("transactionId", r.transactionId())
        .put("fee", Money.format(r.fee()))
        .put("errorCode", r.errorCode())
        .put("errorMessage", r.errorMessage())
        .put("retryable", r.retryable());
  }

  /** Reads a result; throws IllegalArgumentException when the body is not one. */
  public static GatewayResult fromJson(JsonObject json) {
    String key = json.getString("idempotencyKey");
    String status = json.getString("status");
    if (key == null || !("succeeded".equals(status) || "failed".equals(status))) {
      throw new IllegalArgumentException("not a gateway result: " + json.encode());
    }
    String fee = json.getString("fee");
    return new GatewayResult(
        key,
        "succeeded".equals(status),
        json.getString("transactionId"),
        fee == null ? null : new BigDecimal(fee).setScale(2),
        json.getString("errorCode"),
        json.getString("errorMessage"),
        json.getBoolean("retryable", false));
  }

  public static JsonObject error(String code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
  }
}
