package com.payouts.http.auth;

import com.payouts.auth.Principal;
import com.payouts.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * What a staff user's role lets them do, after {@link AuthHandler} admitted them: staff management
 * is for admins; anything that changes state (payouts, credits, eligibility, the old action paths)
 * is for admins and operators; reads are for every role. Their own tokens and sessions are every
 * role's (those routes carry their own guards). A refusal is 403 {@code forbidden}.
 */
public final class RoleGate implements Handler<RoutingContext> {
  private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  @Override
  public void handle(RoutingContext ctx) {
    Principal p = AuthHandler.principal(ctx);
    String path = ctx.normalizedPath();
    if (path.equals("/api/staff") || path.startsWith("/api/staff/")) {
      if (p.mayManageStaff()) ctx.next();
      else ApiError.respond(ctx, forbidden("only an admin may manage staff"));
      return;
    }
    if (READS.contains(ctx.request().method()) || path.startsWith("/api/auth/") || path.startsWith("/api/tokens")) {
      ctx.next();
      return;
    }
    if (p.mayMoveMoney()) ctx.next();
    else ApiError.respond(ctx, forbidden("a " + (p.role() == null ? "user without a role" : p.role().wire())
        + " may only read; this needs an operator or an admin"));
  }

  private static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", null, message);
  }
}
