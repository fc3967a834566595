package com.payouts.http;

import com.payouts.domain.PayoutMethod;
import com.payouts.service.AccountService;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** /api/users: create, read with balances, credit earnings. */
final class UserRoutes {
  private final AccountService accounts;

  UserRoutes(AccountService accounts) {
    this.accounts = accounts;
  }

  void mount(Router router) {
    router.post("/api/users").handler(ctx -> Responses.json(ctx, 201, create(ctx)));
    router.get("/api/users/:id").handler(ctx -> Responses.json(ctx, 200,
        accounts.find(Input.pathId(ctx, "id")).map(PayoutJson::user)));
    router.post("/api/users/:id/credits").handler(ctx -> Responses.json(ctx, 201, credit(ctx)));
  }

  private Future<?> create(RoutingContext ctx) {
    Input in = Input.of(ctx, Set.of("email", "name", "preferredMethod"));
    return accounts.createUser(in.requiredString("email", 320), in.requiredString("name", 200),
            in.parsed("preferredMethod", PayoutMethod::parse, null))
        .map(PayoutJson::user);
  }

  private Future<?> credit(RoutingContext ctx) {
    long id = Input.pathId(ctx, "id");
    Input in = Input.of(ctx, Set.of("amount", "reason"));
    return accounts.credit(id, in.requiredAmount("amount"), in.requiredString("reason", 500)).map(PayoutJson::user);
  }
}
