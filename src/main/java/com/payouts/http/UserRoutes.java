package com.payouts.http;

import com.payouts.service.Work;
import com.payouts.domain.PayoutMethod;
import com.payouts.service.AccountService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.Set;
import java.util.function.Function;

/** /api/users: create, read with balances, credit earnings. */
final class UserRoutes {
  private final AccountService accounts;
  private final Idempotency idempotency;

  UserRoutes(AccountService accounts, Idempotency idempotency) {
    this.accounts = accounts;
    this.idempotency = idempotency;
  }

  void mount(Router router) {
    router.post("/api/users").handler(ctx -> Responses.json(ctx, 201, () -> create(ctx)));
    router.get("/api/users/:id").handler(ctx -> Responses.json(ctx, 200,
        accounts.find(Input.pathId(ctx, "id")).map(PayoutJson::user)));
    router.post("/api/users/:id/credits").handler(ctx -> idempotency.respond(ctx, 201, () -> credit(ctx)));
    router.get("/api/users/:id/ledger").handler(ctx -> Responses.json(ctx, 200, () -> ledger(ctx)));
    router.patch("/api/users/:id").handler(ctx -> Responses.json(ctx, 200, () -> changeMethod(ctx)));
    router.post("/api/users/:id/eligibility").handler(ctx -> Responses.json(ctx, 200, () -> eligibility(ctx)));
    router.get("/api/users/:id/eligibility").handler(ctx -> Responses.json(ctx, 200, () ->
        accounts.eligibilityEvents(Input.pathId(ctx, "id")).map(events -> {
          io.vertx.core.json.JsonArray items = new io.vertx.core.json.JsonArray();
          events.forEach(e -> items.add(new JsonObject().put("id", e.id()).put("eligible", e.eligible())
              .put("reason", e.reason()).put("actor", e.actor()).put("at", PayoutJson.time(e.at()))));
          return new JsonObject().put("items", items);
        })));
    router.post("/admin/ajax/eligibility-action/").handler(ctx -> Responses.json(ctx, 200, () -> legacyEligibility(ctx)));
  }

  private Future<?> ledger(RoutingContext ctx) {
    long id = Input.pathId(ctx, "id");
    String before = ctx.queryParams().get("before");
    Long beforeId;
    try {
      beforeId = before == null ? null : Long.parseLong(before);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("before", "must be a ledger row id");
    }
    return accounts.ledger(id, beforeId).map(page ->
        new JsonObject().put("items", PayoutJson.ledger(page.items())).put("nextBefore", page.nextBefore()));
  }

  private Future<?> changeMethod(RoutingContext ctx) {
    long id = Input.pathId(ctx, "id");
    PayoutMethod method = Input.of(ctx, Set.of("preferredMethod")).parsed("preferredMethod", PayoutMethod::parse, null);
    if (method == null) throw ApiError.badRequest("preferredMethod", "is required (stripe_bank, paypal or check)");
    return accounts.setPreferredMethod(id, method).map(PayoutJson::user);
  }

  private Future<?> eligibility(RoutingContext ctx) {
    long id = Input.pathId(ctx, "id");
    Input in = Input.of(ctx, Set.of("eligible", "reason"));
    boolean eligible = in.requiredBoolean("eligible");
    String reason = in.optionalString("reason", 500);
    if (!eligible && (reason == null || reason.isBlank())) {
      throw ApiError.badRequest("reason", "is required when making a user ineligible");
    }
    return accounts.setEligibility(id, eligible, reason, PayoutRoutes.actor(ctx)).map(PayoutJson::user);
  }

  /** {"user_id": 5, "action": "enable" | "disable", "reason": "..."}: the old dashboard's scripts. */
  private Future<?> legacyEligibility(RoutingContext ctx) {
    Input in = Input.of(ctx, Set.of("user_id", "action", "reason"));
    long id = in.requiredId("user_id");
    String action = in.requiredString("action", 20);
    if (!action.equals("enable") && !action.equals("disable")) {
      throw ApiError.badRequest("action", "must be enable or disable");
    }
    String reason = in.optionalString("reason", 500);
    return accounts.setEligibility(id, action.equals("enable"), reason == null ? "by admin" : reason,
            PayoutRoutes.actor(ctx))
        .map(u -> new JsonObject().put("success", true).put("user", PayoutJson.user(u)));
  }

  private Future<?> create(RoutingContext ctx) {
    Input in = Input.of(ctx, Set.of("email", "name", "preferredMethod"));
    return accounts.createUser(in.requiredString("email", 320), in.requiredString("name", 200),
            in.parsed("preferredMethod", PayoutMethod::parse, null))
        .map(PayoutJson::user);
  }

  private Function<Work, Future<JsonObject>> credit(RoutingContext ctx) {
    long id = Input.pathId(ctx, "id");
    Input in = Input.of(ctx, Set.of("amount", "reason"));
    BigDecimal amount = in.requiredAmount("amount");
    String reason = in.requiredString("reason", 500);
    return w -> accounts.credit(w, id, amount, reason).map(PayoutJson::user);
  }
}
