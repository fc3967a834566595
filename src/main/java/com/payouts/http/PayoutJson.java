package com.payouts.http;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.payouts.domain.Approval;
import com.payouts.domain.LedgerEntry;
import com.payouts.domain.Money;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutEvent;
import com.payouts.domain.UserAccount;
import com.payouts.service.PayoutDetail;
import com.payouts.service.PayoutDispatcher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Domain records as the API's JSON: camelCase, money as two-decimal strings, lowercase enums. */
public final class PayoutJson {
  private PayoutJson() {}

  /** The names of a payout's fields; {@code serialized} is the name as the byte writer keeps it, encoded once. */
  enum Field {
    ID("id"), USER_ID("userId"), USER_EMAIL("userEmail"), AMOUNT("amount"), FEE("fee"), NET_AMOUNT("netAmount"),
    METHOD("method"), STATUS("status"), PRIORITY("priority"), TRANSACTION_ID("transactionId"),
    GATEWAY_KEY("gatewayKey"), ERROR_CODE("errorCode"), ERROR_MESSAGE("errorMessage"), RETRYABLE("retryable"),
    RETRY_COUNT("retryCount"), NEXT_RETRY_AT("nextRetryAt"), HOLDS_FUNDS("holdsFunds"), NOTES("notes"),
    REJECTION_REASON("rejectionReason"), DAYS_PENDING("daysPending"), CREATED_AT("createdAt"),
    APPROVED_AT("approvedAt"), REJECTED_AT("rejectedAt"), PROCESSING_STARTED_AT("processingStartedAt"),
    COMPLETED_AT("completedAt"), FAILED_AT("failedAt"), RETURN_CODE("returnCode"), RETURNED_AT("returnedAt"),
    UPDATED_AT("updatedAt"), VERSION("version"), APPROVALS("approvals"), APPROVALS_REQUIRED("approvalsRequired"),
    REVIEW_REASONS("reviewReasons"),
    /** Of each approval. */
    ACTOR("actor"), AT("at");

    final String json;
    final SerializableString serialized;

    Field(String json) {
      this.json = json;
      this.serialized = new SerializedString(json);
    }
  }

  /** Where a payout's fields go, one after the other: a {@code JsonObject} here, bytes for a list page. */
  interface FieldWriter {
    void string(Field f, String value);

    void number(Field f, long value);

    void number(Field f, int value);

    void bool(Field f, boolean value);

    /** [{"actor", "at"}], oldest first. */
    void approvals(Field f, List<Approval> approvals);

    void strings(Field f, List<String> values);
  }

  /** A payout's fields in the API's order: the one list of them, whatever writes them. */
  static void write(Payout p, FieldWriter w) {
    w.number(Field.ID, p.id());
    w.number(Field.USER_ID, p.userId());
    w.string(Field.USER_EMAIL, p.userEmail());
    w.string(Field.AMOUNT, Money.format(p.amount()));
    w.string(Field.FEE, Money.format(p.fee()));
    w.string(Field.NET_AMOUNT, Money.format(p.netAmount()));
    w.string(Field.METHOD, p.method().wire());
    w.string(Field.STATUS, p.status().wire());
    w.string(Field.PRIORITY, p.priority().wire());
    w.string(Field.TRANSACTION_ID, p.transactionId());
    w.string(Field.GATEWAY_KEY, p.gatewayKey());
    w.string(Field.ERROR_CODE, p.errorCode());
    w.string(Field.ERROR_MESSAGE, p.errorMessage());
    w.bool(Field.RETRYABLE, p.retryable());
    w.number(Field.RETRY_COUNT, p.retryCount());
    w.string(Field.NEXT_RETRY_AT, time(p.nextRetryAt()));
    w.bool(Field.HOLDS_FUNDS, p.holdsFunds());
    w.string(Field.NOTES, p.notes());
    w.string(Field.REJECTION_REASON, p.rejectionReason());
    w.number(Field.DAYS_PENDING, daysPending(p));
    w.string(Field.CREATED_AT, time(p.createdAt()));
    w.string(Field.APPROVED_AT, time(p.approvedAt()));
    w.string(Field.REJECTED_AT, time(p.rejectedAt()));
    w.string(Field.PROCESSING_STARTED_AT, time(p.processingStartedAt()));
    w.string(Field.COMPLETED_AT, time(p.completedAt()));
    w.string(Field.FAILED_AT, time(p.failedAt()));
    w.string(Field.RETURN_CODE, p.returnCode());
    w.string(Field.RETURNED_AT, time(p.returnedAt()));
    w.string(Field.UPDATED_AT, time(p.updatedAt()));
    w.number(Field.VERSION, p.version());
    w.approvals(Field.APPROVALS, p.approvals());
    w.number(Field.APPROVALS_REQUIRED, p.approvalsRequired());
    w.strings(Field.REVIEW_REASONS, p.reviewReasons());
  }

  public static JsonObject payout(Payout p) {
    JsonObject o = new JsonObject();
    write(p, new FieldWriter() {
      @Override
      public void string(Field f, String value) {
        o.put(f.json, value);
      }

      @Override
      public void number(Field f, long value) {
        o.put(f.json, value);
      }

      @Override
      public void number(Field f, int value) {
        o.put(f.json, value);
      }

      @Override
      public void bool(Field f, boolean value) {
        o.put(f.json, value);
      }

      @Override
      public void approvals(Field f, List<Approval> approvals) {
        JsonArray out = new JsonArray();
        for (Approval a : approvals) out.add(new JsonObject().put(Field.ACTOR.json, a.actor()).put(Field.AT.json, time(a.at())));
        o.put(f.json, out);
      }

      @Override
      public void strings(Field f, List<String> values) {
        o.put(f.json, new JsonArray(values));
      }
    });
    return o;
  }

  /** The payout's fields, then "events" and "ledger". */
  public static JsonObject detail(PayoutDetail d) {
    JsonArray ev = new JsonArray();
    for (PayoutEvent e : d.events()) ev.add(event(e));
    return payout(d.payout()).put("events", ev).put("ledger", ledger(d.ledger()));
  }

  static JsonArray ledger(List<LedgerEntry> rows) {
    JsonArray out = new JsonArray();
    for (LedgerEntry l : rows) out.add(ledgerEntry(l));
    return out;
  }

  public static JsonObject event(PayoutEvent e) {
    return new JsonObject()
        .put("id", e.id())
        .put("from", e.from() == null ? null : e.from().wire())
        .put("to", e.to().wire())
        .put("actor", e.actor())
        .put("detail", e.detail())
        .put("at", time(e.at()));
  }

  public static JsonObject ledgerEntry(LedgerEntry l) {
    return new JsonObject()
        .put("id", l.id())
        .put("userId", l.userId())
        .put("payoutId", l.payoutId())
        .put("kind", l.kind().wire())
        .put("amount", Money.format(l.amount()))
        .put("availableDelta", Money.format(l.availableDelta()))
        .put("heldDelta", Money.format(l.heldDelta()))
        .put("reason", l.reason())
        .put("at", time(l.at()));
  }

  public static JsonObject user(UserAccount u) {
    return new JsonObject()
        .put("id", u.id())
        .put("email", u.email())
        .put("name", u.name())
        .put("staff", u.staff())
        .put("eligible", u.eligible())
        .put("eligibilityReason", u.eligibilityReason())
        .put("preferredMethod", u.preferredMethod() == null ? null : u.preferredMethod().wire())
        .put("available", Money.format(u.available()))
        .put("held", Money.format(u.held()))
        .put("createdAt", time(u.createdAt()));
  }

  /** {"taskId", "results": [{"id", "ok", then "status" or "error"}]}. */
  public static JsonObject batch(PayoutDispatcher.BatchResult b) {
    JsonArray results = new JsonArray();
    for (PayoutDispatcher.ItemResult r : b.results()) {
      JsonObject o = new JsonObject().put("id", r.id()).put("ok", r.ok());
      results.add(r.ok() ? o.put("status", r.status().wire()) : o.put("error", r.error()));
    }
    return new JsonObject().put("taskId", b.taskId()).put("results", results);
  }

  /** Whole days since the request, while it waits (pending or approved). */
  static long daysPending(Payout p) {
    Instant end = switch (p.status()) {
      case PENDING, APPROVED -> Instant.now();
      default -> p.updatedAt() == null ? Instant.now() : p.updatedAt();
    };
    return Math.max(0, Duration.between(p.createdAt(), end).toDays());
  }

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
