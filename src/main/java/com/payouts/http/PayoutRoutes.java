package com.payouts.http;

import com.payouts.domain.NewPayout;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.Priority;
import com.payouts.service.PayoutCreations;
import com.payouts.service.PayoutDetail;
import com.payouts.service.PayoutService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** /api/payouts: create (with Idempotency-Key) and read with its audit trail and ledger rows. */
final class PayoutRoutes {
  static final Set<String> CREATE_FIELDS = Set.of("userId", "amount", "method", "priority", "notes");

  private final PayoutService payouts;
  private final PayoutCreations creations;
  private final Idempotency idempotency;

  PayoutRoutes(PayoutService payouts, PayoutCreations creations, Idempotency idempotency) {
    this.payouts = payouts;
    this.creations = creations;
    this.idempotency = idempotency;
  }

  void mount(Router router) {
    router.post("/api/payouts").handler(this::create);
    router.get("/api/payouts/:id").handler(ctx -> Responses.json(ctx, 200, () -> detail(Input.pathId(ctx, "id"))));
  }

  /**
   * Written in a group commit with the requests beside it (see {@link PayoutCreations}); the answer
   * is rendered inside the group's transaction, so an idempotent request stores exactly what it sent.
   */
  private void create(RoutingContext ctx) {
    idempotency.answer(ctx, () -> {
      NewPayout request = newPayout(Input.of(ctx, CREATE_FIELDS));
      String actor = actor(ctx);
      Long staffId = staffId(ctx);
      return key -> creations.create(key, request, actor, staffId);
    });
  }

  /** The body a created payout is answered with. */
  static String created(PayoutDetail d) {
    return PayoutJson.detail(d).encode();
  }

  static NewPayout newPayout(Input in) {
    long userId = in.requiredId("userId");
    var amount = in.requiredAmount("amount");
    PayoutMethod method = in.parsed("method", PayoutMethod::parse, null);
    if (method == null) throw ApiError.badRequest("method", "is required (stripe_bank, paypal or check)");
    Priority priority = in.parsed("priority", Priority::parse, Priority.NORMAL);
    String notes = in.optionalString("notes", NewPayout.MAX_NOTES);
    return new NewPayout(userId, amount, method, priority, notes);
  }

  Future<JsonObject> detail(long id) {
    return payouts.detail(id).map(PayoutJson::detail);
  }

  /** A payout already in hand, with its audit trail and ledger rows. */
  Future<JsonObject> detail(Payout p) {
    return payouts.detail(p).map(PayoutJson::detail);
  }

  /** The signed-in staff user's id, or null. */
  static Long staffId(RoutingContext ctx) {
    return ctx.get("userId");
  }

  static String actor(RoutingContext ctx) {
    String a = ctx.get("actor");
    return a == null ? "api" : a;
  }
}
