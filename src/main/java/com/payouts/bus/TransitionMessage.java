package com.payouts.bus;

import com.payouts.domain.Money;
import com.payouts.domain.Payout;
import com.payouts.domain.Transition;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The JSON body published for one transition. */
public final class TransitionMessage {
  private TransitionMessage() {}

  public static JsonObject toJson(Transition t) {
    Payout p = t.payout();
    return new JsonObject()
        .put("payoutId", p.id())
        .put("userId", p.userId())
        .put("from", t.from() == null ? null : t.from().wire())
        .put("to", p.status().wire())
        .put("amount", Money.format(p.amount()))
        .put("fee", Money.format(p.fee()))
        .put("method", p.method().wire())
        .put("priority", p.priority().wire())
        .put("error", p.errorCode())
        .put("transactionId", p.transactionId())
        .put("actor", t.actor())
        .put("at", (p.updatedAt() == null ? Instant.now() : p.updatedAt()).toString());
  }
}
