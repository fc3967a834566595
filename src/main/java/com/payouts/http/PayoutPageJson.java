package com.payouts.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.payouts.domain.Approval;
import com.payouts.domain.Money;
import com.payouts.domain.Payout;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * A page of {@code GET /api/payouts} written straight to UTF-8 bytes, field by field: the same JSON
 * as {@link PayoutJson#payout} in a {@code JsonObject} (PayoutPageJsonTest holds the two to the same
 * bytes), without a map per payout, a char buffer and a second pass to encode it. A 50-payout page
 * is about 55 KB; building and encoding those maps was the largest share of a page read's CPU.
 */
final class PayoutPageJson {
  /** A character beyond the BMP (an emoji) as its four UTF-8 bytes, as a String encoded to UTF-8 has it, not as two escapes. */
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
  /** Room for a typical payout, so a page's buffer grows once at most. */
  private static final int BYTES_PER_PAYOUT = 1200;

  private static final SerializableString ITEMS = name("items"), NEXT_CURSOR = name("nextCursor"), ID = name("id"),
      USER_ID = name("userId"), USER_EMAIL = name("userEmail"), AMOUNT = name("amount"), FEE = name("fee"),
      NET_AMOUNT = name("netAmount"), METHOD = name("method"), STATUS = name("status"), PRIORITY = name("priority"),
      TRANSACTION_ID = name("transactionId"), GATEWAY_KEY = name("gatewayKey"), ERROR_CODE = name("errorCode"),
      ERROR_MESSAGE = name("errorMessage"), RETRYABLE = name("retryable"), RETRY_COUNT = name("retryCount"),
      NEXT_RETRY_AT = name("nextRetryAt"), HOLDS_FUNDS = name("holdsFunds"), NOTES = name("notes"),
      REJECTION_REASON = name("rejectionReason"), DAYS_PENDING = name("daysPending"), CREATED_AT = name("createdAt"),
      APPROVED_AT = name("approvedAt"), REJECTED_AT = name("rejectedAt"),
      PROCESSING_STARTED_AT = name("processingStartedAt"), COMPLETED_AT = name("completedAt"),
      FAILED_AT = name("failedAt"), RETURN_CODE = name("returnCode"), RETURNED_AT = name("returnedAt"),
      UPDATED_AT = name("updatedAt"), VERSION = name("version"), APPROVALS = name("approvals"),
      APPROVALS_REQUIRED = name("approvalsRequired"), REVIEW_REASONS = name("reviewReasons"), ACTOR = name("actor"),
      AT = name("at");

  private PayoutPageJson() {}

  private static SerializableString name(String s) {
    return new SerializedString(s);
  }

  /** {"items": [payout, ...], "nextCursor": cursor or null}. */
  static Buffer page(List<Payout> items, String nextCursor) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + items.size() * BYTES_PER_PAYOUT);
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeFieldName(ITEMS);
      g.writeStartArray();
      for (Payout p : items) payout(g, p);
      g.writeEndArray();
      g.writeFieldName(NEXT_CURSOR);
      g.writeString(nextCursor);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  /** The fields of {@link PayoutJson#payout}, in its order. */
  private static void payout(JsonGenerator g, Payout p) throws IOException {
    g.writeStartObject();
    g.writeFieldName(ID);
    g.writeNumber(p.id());
    g.writeFieldName(USER_ID);
    g.writeNumber(p.userId());
    string(g, USER_EMAIL, p.userEmail());
    string(g, AMOUNT, Money.format(p.amount()));
    string(g, FEE, Money.format(p.fee()));
    string(g, NET_AMOUNT, Money.format(p.netAmount()));
    string(g, METHOD, p.method().wire());
    string(g, STATUS, p.status().wire());
    string(g, PRIORITY, p.priority().wire());
    string(g, TRANSACTION_ID, p.transactionId());
    string(g, GATEWAY_KEY, p.gatewayKey());
    string(g, ERROR_CODE, p.errorCode());
    string(g, ERROR_MESSAGE, p.errorMessage());
    g.writeFieldName(RETRYABLE);
    g.writeBoolean(p.retryable());
    g.writeFieldName(RETRY_COUNT);
    g.writeNumber(p.retryCount());
    time(g, NEXT_RETRY_AT, p.nextRetryAt());
    g.writeFieldName(HOLDS_FUNDS);
    g.writeBoolean(p.holdsFunds());
    string(g, NOTES, p.notes());
    string(g, REJECTION_REASON, p.rejectionReason());
    g.writeFieldName(DAYS_PENDING);
    g.writeNumber(PayoutJson.daysPending(p));
    time(g, CREATED_AT, p.createdAt());
    time(g, APPROVED_AT, p.approvedAt());
    time(g, REJECTED_AT, p.rejectedAt());
    time(g, PROCESSING_STARTED_AT, p.processingStartedAt());
    time(g, COMPLETED_AT, p.completedAt());
    time(g, FAILED_AT, p.failedAt());
    string(g, RETURN_CODE, p.returnCode());
    time(g, RETURNED_AT, p.returnedAt());
    time(g, UPDATED_AT, p.updatedAt());
    g.writeFieldName(VERSION);
    g.writeNumber(p.version());
    g.writeFieldName(APPROVALS);
    g.writeStartArray();
    for (Approval a : p.approvals()) {
      g.writeStartObject();
      string(g, ACTOR, a.actor());
      time(g, AT, a.at());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeFieldName(APPROVALS_REQUIRED);
    g.writeNumber(p.approvalsRequired());
    g.writeFieldName(REVIEW_REASONS);
    g.writeStartArray();
    for (String reason : p.reviewReasons()) g.writeString(reason);
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void string(JsonGenerator g, SerializableString name, String value) throws IOException {
    g.writeFieldName(name);
    g.writeString(value);
  }

  private static void time(JsonGenerator g, SerializableString name, Instant value) throws IOException {
    string(g, name, PayoutJson.time(value));
  }
}
