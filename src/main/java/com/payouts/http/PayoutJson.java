package com.payouts.http;

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

  public static JsonObject payout(Payout p) {
    return new JsonObject()
        .put("id", p.id())
        .put("userId", p.userId())
        .put("userEmail", p.userEmail())
        .put("amount", Money.format(p.amount()))
        .put("fee", Money.format(p.fee()))
        .put("netAmount", Money.format(p.netAmount()))
        .put("method", p.method().wire())
        .put("status", p.status().wire())
        .put("priority", p.priority().wire())
        .put("transactionId", p.transactionId())
        .put("gatewayKey", p.gatewayKey())
        .put("errorCode", p.errorCode())
        .put("errorMessage", p.errorMessage())
        .put("retryable", p.retryable())
        .put("retryCount", p.retryCount())
        .put("nextRetryAt", time(p.nextRetryAt()))
        .put("holdsFunds", p.holdsFunds())
        .put("notes", p.notes())
        .put("rejectionReason", p.rejectionReason())
        .put("daysPending", daysPending(p))
        .put("createdAt", time(p.createdAt()))
        .put("approvedAt", time(p.approvedAt()))
        .put("rejectedAt", time(p.rejectedAt()))
        .put("processingStartedAt", time(p.processingStartedAt()))
        .put("completedAt", time(p.completedAt()))
        .put("failedAt", time(p.failedAt()))
        .put("returnCode", p.returnCode())
        .put("returnedAt", time(p.returnedAt()))
        .put("updatedAt", time(p.updatedAt()))
        .put("version", p.version())
        .put("approvals", approvals(p))
        .put("approvalsRequired", p.approvalsRequired())
        .put("reviewReasons", new JsonArray(p.reviewReasons()));
  }

  /** [{"actor", "at"}], oldest first. */
  static JsonArray approvals(Payout p) {
    JsonArray out = new JsonArray();
    for (Approval a : p.approvals()) out.add(new JsonObject().put("actor", a.actor()).put("at", time(a.at())));
    return out;
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
