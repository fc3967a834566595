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

/** Row to domain record mapping, in one place. */
final class Rows {
  private Rows() {}

  static Payout payout(Row r) {
    return new Payout(
        r.getLong("id"),
        r.getLong("user_id"),
        r.getString("user_email"),
        money(r, "amount"),
        money(r, "fee"),
        money(r, "net_amount"),
        PayoutMethod.parse(r.getString("method")),
        PayoutStatus.parse(r.getString("status")),
        Priority.parse(r.getString("priority")),
        r.getString("transaction_id"),
        r.getString("error_code"),
        r.getString("error_message"),
        r.getBoolean("retryable"),
        r.getInteger("retry_count"),
        instant(r, "next_retry_at"),
        r.getBoolean("holds_funds"),
        r.getString("notes"),
        r.getString("rejection_reason"),
        instant(r, "created_at"),
        instant(r, "approved_at"),
        instant(r, "rejected_at"),
        instant(r, "processing_started_at"),
        instant(r, "completed_at"),
        instant(r, "failed_at"),
        instant(r, "updated_at"),
        r.getInteger("version"),
        r.getString("gateway_key"),
        approvals(r),
        r.getColumnIndex("approvals_required") < 0 ? 1 : r.getInteger("approvals_required"),
        r.getColumnIndex("review_reasons") < 0 ? List.of() : List.of(r.getArrayOfStrings("review_reasons")),
        r.getString("return_code"),
        instant(r, "returned_at"));
  }

  /** The jsonb array of {"userId", "actor", "at"} written by the approve and create statements. */
  static List<Approval> approvals(Row r) {
    if (r.getColumnIndex("approvals") < 0) return List.of();
    Object v = r.getValue("approvals");
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
    for (Row r : rows) out.add(payout(r));
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
    BigDecimal v = r.getBigDecimal(column);
    return v == null ? null : v.setScale(2);
  }

  static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
