package com.payouts.gateway;

import com.payouts.domain.GatewayAnswer.Status;
import com.payouts.domain.Money;
import com.payouts.domain.PayoutReturn;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/** The wire shape of a gateway result and of an error, shared by the mock server and the client. */
public final class GatewayJson {
  /** The header a single payout call names its key in. */
  public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
  /** Items per batch call. */
  public static final int MAX_BATCH_ITEMS = 1000;
  /** The batch API's streamed answer: one JSON object per line, per item, as each is settled. */
  public static final String STREAM_TYPE = "application/x-ndjson";

  /** A batch item refused before executing because its key was used with other parameters. */
  public static final String KEY_REUSED = "idempotency_key_reused";
  private static final Pattern DECIMAL = Pattern.compile("^-?[0-9]{1,15}(\\.[0-9]{1,10})?$");

  private GatewayJson() {}

  public static JsonObject toJson(GatewayResult r) {
    if (r.status() == Status.KEY_REUSED) {
      return new JsonObject().put("idempotencyKey", r.idempotencyKey()).put("status", "refused")
          .put("error", new JsonObject().put("code", r.errorCode()).put("message", r.errorMessage()));
    }
    return new JsonObject()
        .put("idempotencyKey", r.idempotencyKey())
        .put("status", r.succeeded() ? "succeeded" : "failed")
        .put("amount", Money.format(r.amount()))
        .put("method", r.method())
        .put("payoutRef", r.payoutRef())
        .put("destination", r.destination())
        .put("transactionId", r.transactionId())
        .put("fee", Money.format(r.fee()))
        .put("errorCode", r.errorCode())
        .put("errorMessage", r.errorMessage())
        .put("retryable", r.retryable());
  }

  /**
   * Reads a result as sent, without judging it: a field that is missing or cannot be read (a fee
   * that is not a decimal string, say) becomes null, and the service's checks decide what that
   * means for the payout. Throws IllegalArgumentException only when the object is not a result at
   * all (no status it knows), which tells nothing about the payment.
   */
  public static GatewayResult fromJson(JsonObject json) {
    String status = text(json, "status");
    String key = text(json, "idempotencyKey");
    if ("refused".equals(status)) {
      JsonObject error = json.getValue("error") instanceof JsonObject e ? e : new JsonObject();
      if (KEY_REUSED.equals(text(error, "code"))) return GatewayResult.keyReused(key, KEY_REUSED, text(error, "message"));
    }
    if (!("succeeded".equals(status) || "failed".equals(status))) {
      throw new IllegalArgumentException("not a gateway result: " + abbreviate(json.encode()));
    }
    return new GatewayResult(
        key,
        "succeeded".equals(status) ? Status.SUCCEEDED : Status.FAILED,
        text(json, "transactionId"),
        decimal(json, "fee"),
        text(json, "errorCode"),
        text(json, "errorMessage"),
        Boolean.TRUE.equals(json.getValue("retryable")),
        decimal(json, "amount"),
        text(json, "method"),
        text(json, "payoutRef"),
        text(json, "destination"));
  }

  /** One item of the execution report. */
  public static JsonObject toJson(GatewayExecution x) {
    return new JsonObject()
        .put("idempotencyKey", x.idempotencyKey())
        .put("payoutRef", x.payoutRef())
        .put("destination", x.destination())
        .put("method", x.method())
        .put("amount", Money.format(x.amount()))
        .put("fee", Money.format(x.fee()))
        .put("status", x.succeeded() ? "succeeded" : "failed")
        .put("transactionId", x.transactionId())
        .put("errorCode", x.errorCode())
        .put("at", x.at() == null ? null : x.at().toString())
        .put("returnCode", x.returnCode())
        .put("returnedAt", x.returnedAt() == null ? null : x.returnedAt().toString());
  }

  /** Reads a report item; throws IllegalArgumentException when it is not one. */
  public static GatewayExecution executionFromJson(JsonObject j) {
    String key = j.getString("idempotencyKey");
    String status = j.getString("status");
    String amount = j.getString("amount");
    if (key == null || amount == null || !("succeeded".equals(status) || "failed".equals(status))) {
      throw new IllegalArgumentException("not an execution: " + j.encode());
    }
    String fee = j.getString("fee");
    String at = j.getString("at");
    String returnedAt = j.getString("returnedAt");
    return new GatewayExecution(key, j.getString("payoutRef"), j.getString("destination"), j.getString("method"),
        new BigDecimal(amount), fee == null ? null : new BigDecimal(fee), "succeeded".equals(status),
        j.getString("transactionId"), j.getString("errorCode"), at == null ? null : java.time.Instant.parse(at),
        j.getString("returnCode"), returnedAt == null ? null : java.time.Instant.parse(returnedAt));
  }

  /**
   * A return event ({"id", "type": "payout.returned", "data": {"payoutRef", "transactionId",
   * "amount", "returnCode", "returnedAt"}}), or null when the event is of another type; throws
   * IllegalArgumentException when it is not a readable event.
   */
  public static PayoutReturn returnFromJson(JsonObject event) {
    String id = text(event, "id");
    String type = text(event, "type");
    if (id == null || id.isBlank() || id.length() > 200 || type == null) {
      throw new IllegalArgumentException("an event needs an id (1 to 200 characters) and a type");
    }
    if (!PayoutReturn.EVENT_TYPE.equals(type)) return null;
    JsonObject data = event.getValue("data") instanceof JsonObject d ? d : null;
    if (data == null) throw new IllegalArgumentException("a " + type + " event needs its data");
    String code = text(data, "returnCode");
    String at = text(data, "returnedAt");
    BigDecimal amount = decimal(data, "amount");
    if (code == null || code.isBlank() || code.length() > 64) throw new IllegalArgumentException("returnCode is required");
    if (amount == null) throw new IllegalArgumentException("amount is required, as a string like \"25.00\"");
    java.time.Instant returnedAt;
    try {
      returnedAt = java.time.Instant.parse(at);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("returnedAt must be an ISO 8601 time");
    }
    return new PayoutReturn(id, type, text(data, "payoutRef"), text(data, "transactionId"), amount, code, returnedAt,
        event.encode());
  }

  public static JsonObject error(String code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
  }

  private static String text(JsonObject json, String field) {
    return json.getValue(field) instanceof String s ? s : null;
  }

  /** Decimal strings only, with their scale as sent: a JSON number may already have lost cents. */
  private static BigDecimal decimal(JsonObject json, String field) {
    String s = text(json, field);
    return s != null && DECIMAL.matcher(s).matches() ? new BigDecimal(s) : null;
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
