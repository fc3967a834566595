package com.payouts.db;

import com.payouts.domain.Approval;
import com.payouts.domain.LedgerEntry;
import com.payouts.domain.LedgerKind;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutEvent;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.Priority;
import com.payouts.domain.UserAccount;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/** Row to domain record mapping, in one place. */
final class Rows {
  private Rows() {}

  /**
   * Where each payout column sits in a result, found once per result: reading a column by name scans
   * the result's column names and compares hashes each time (about 30 columns, 30 reads per row), which
   * was a quarter of a page read's CPU. -1 for a column the statement does not return.
   */
  static final class PayoutColumns {
    int id = -1, userId = -1, userEmail = -1, amount = -1, fee = -1, netAmount = -1, method = -1, status = -1,
        priority = -1, transactionId = -1, errorCode = -1, errorMessage = -1, retryable = -1, retryCount = -1,
        nextRetryAt = -1, holdsFunds = -1, notes = -1, rejectionReason = -1, createdAt = -1, approvedAt = -1,
        rejectedAt = -1, processingStartedAt = -1, completedAt = -1, failedAt = -1, updatedAt = -1, version = -1,
        gatewayKey = -1, approvals = -1, approvalsRequired = -1, reviewReasons = -1, returnCode = -1,
        returnedAt = -1, sortValue = -1;

    /**
     * The positions in this row's result (every row of one result has the same). A result without one
     * of the columns every payout has fails here, by name, as reading it by name did.
     */
    static PayoutColumns of(Row r) {
      PayoutColumns c = new PayoutColumns();
      for (int i = 0, n = r.size(); i < n; i++) c.place(r.getColumnName(i), i);
      int[] required = {c.id, c.userId, c.userEmail, c.amount, c.fee, c.netAmount, c.method, c.status, c.priority,
          c.transactionId, c.errorCode, c.errorMessage, c.retryable, c.retryCount, c.nextRetryAt, c.holdsFunds,
          c.notes, c.rejectionReason, c.createdAt, c.approvedAt, c.rejectedAt, c.processingStartedAt,
          c.completedAt, c.failedAt, c.updatedAt, c.version, c.gatewayKey, c.returnCode, c.returnedAt};
      for (int position : required) {
        if (position < 0) throw new NoSuchElementException("a payout result without one of its columns: " + names(r));
      }
      return c;
    }

    private static List<String> names(Row r) {
      List<String> out = new ArrayList<>(r.size());
      for (int i = 0; i < r.size(); i++) out.add(r.getColumnName(i));
      return out;
    }

    private void place(String name, int i) {
      switch (name) {
        case "id" -> id = i;
        case "user_id" -> userId = i;
        case "user_email" -> userEmail = i;
        case "amount" -> amount = i;
        case "fee" -> fee = i;
        case "net_amount" -> netAmount = i;
        case "method" -> method = i;
        case "status" -> status = i;
        case "priority" -> priority = i;
        case "transaction_id" -> transactionId = i;
        case "error_code" -> errorCode = i;
        case "error_message" -> errorMessage = i;
        case "retryable" -> retryable = i;
        case "retry_count" -> retryCount = i;
        case "next_retry_at" -> nextRetryAt = i;
        case "holds_funds" -> holdsFunds = i;
        case "notes" -> notes = i;
        case "rejection_reason" -> rejectionReason = i;
        case "created_at" -> createdAt = i;
        case "approved_at" -> approvedAt = i;
        case "rejected_at" -> rejectedAt = i;
        case "processing_started_at" -> processingStartedAt = i;
        case "completed_at" -> completedAt = i;
        case "failed_at" -> failedAt = i;
        case "updated_at" -> updatedAt = i;
        case "version" -> version = i;
        case "gateway_key" -> gatewayKey = i;
        case "approvals" -> approvals = i;
        case "approvals_required" -> approvalsRequired = i;
        case "review_reasons" -> reviewReasons = i;
        case "return_code" -> returnCode = i;
        case "returned_at" -> returnedAt = i;
        case "sort_value" -> sortValue = i;
        default -> { }
      }
    }
  }

  static Payout payout(Row r) {
    return payout(PayoutColumns.of(r), r);
  }

  static Payout payout(PayoutColumns c, Row r) {
    return new Payout(
        r.getLong(c.id),
        r.getLong(c.userId),
        r.getString(c.userEmail),
        money(r, c.amount),
        money(r, c.fee),
        money(r, c.netAmount),
        PayoutMethod.parse(r.getString(c.method)),
        PayoutStatus.parse(r.getString(c.status)),
        Priority.parse(r.getString(c.priority)),
        r.getString(c.transactionId),
        r.getString(c.errorCode),
        r.getString(c.errorMessage),
        r.getBoolean(c.retryable),
        r.getInteger(c.retryCount),
        instant(r, c.nextRetryAt),
        r.getBoolean(c.holdsFunds),
        r.getString(c.notes),
        r.getString(c.rejectionReason),
        instant(r, c.createdAt),
        instant(r, c.approvedAt),
        instant(r, c.rejectedAt),
        instant(r, c.processingStartedAt),
        instant(r, c.completedAt),
        instant(r, c.failedAt),
        instant(r, c.updatedAt),
        r.getInteger(c.version),
        r.getString(c.gatewayKey),
        c.approvals < 0 ? List.of() : approvals(r.getValue(c.approvals)),
        c.approvalsRequired < 0 ? 1 : r.getInteger(c.approvalsRequired),
        c.reviewReasons < 0 ? List.of() : List.of(r.getArrayOfStrings(c.reviewReasons)),
        r.getString(c.returnCode),
        instant(r, c.returnedAt));
  }

  /** The jsonb array of {"userId", "actor", "at"} written by the approve and create statements. */
  static List<Approval> approvals(Object v) {
    JsonArray a = v instanceof JsonArray arr ? arr : v == null ? new JsonArray() : new JsonArray(v.toString());
    List<Approval> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      JsonObject o = a.getJsonObject(i);
      Number user = (Number) o.getValue("userId");
      String at = o.getString("at");
      out.add(new Approval(user == null ? null : user.longValue(), o.getString("actor"),
          at == null ? null : OffsetDateTime.parse(at).toInstant()));
    }
    return out;
  }

  static List<Payout> payouts(RowSet<Row> rows) {
    List<Payout> out = new ArrayList<>(rows.size());
    PayoutColumns c = null;
    for (Row r : rows) {
      if (c == null) c = PayoutColumns.of(r);
      out.add(payout(c, r));
    }
    return out;
  }

  static PayoutEvent event(Row r) {
    String from = r.getString("from_status");
    return new PayoutEvent(r.getLong("id"), r.getLong("payout_id"),
        from == null ? null : PayoutStatus.parse(from), PayoutStatus.parse(r.getString("to_status")),
        r.getString("actor"), r.getString("detail"), instant(r, "created_at"));
  }

  static LedgerEntry ledger(Row r) {
    return new LedgerEntry(r.getLong("id"), r.getLong("user_id"), r.getLong("payout_id"),
        LedgerKind.parse(r.getString("kind")), money(r, "amount"), money(r, "available_delta"),
        money(r, "held_delta"), r.getString("reason"), instant(r, "created_at"));
  }

  static UserAccount user(Row r) {
    String preferred = r.getString("preferred_method");
    return new UserAccount(r.getLong("id"), r.getString("email"), r.getString("name"), r.getBoolean("is_staff"),
        r.getBoolean("payout_eligible"), r.getString("eligibility_reason"),
        preferred == null ? null : PayoutMethod.parse(preferred),
        money(r, "available"), money(r, "held"), instant(r, "created_at"));
  }

  static BigDecimal money(Row r, String column) {
    return scaled(r.getBigDecimal(column));
  }

  static BigDecimal money(Row r, int column) {
    return scaled(r.getBigDecimal(column));
  }

  static Instant instant(Row r, String column) {
    return instant(r.getOffsetDateTime(column));
  }

  static Instant instant(Row r, int column) {
    return instant(r.getOffsetDateTime(column));
  }

  private static BigDecimal scaled(BigDecimal v) {
    return v == null ? null : v.setScale(2);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
