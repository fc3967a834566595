package com.payouts.http.auth;

import com.payouts.auth.AuthService;
import com.payouts.auth.StaffMember;
import com.payouts.auth.StaffRole;
import com.payouts.bus.Addresses;
import com.payouts.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** /api/staff: staff users and their roles, for admins ({@link RoleGate} guards it). */
public final class StaffRoutes {
  private final AuthService auth;

  public StaffRoutes(AuthService auth) {
    this.auth = auth;
  }

  public void mount(Router router) {
    router.post("/api/staff").handler(ctx -> AuthJson.send(ctx, 201, () -> create(ctx)));
    router.get("/api/staff").handler(ctx -> AuthJson.send(ctx, 200, () -> auth.listStaff()
        .map(list -> new JsonObject().put("items", new JsonArray(list.stream().map(StaffRoutes::json).toList())))));
    router.patch("/api/staff/:id").handler(ctx -> AuthJson.send(ctx, 200, () -> update(ctx)));
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    AuthJson.requireJsonContentType(ctx);
    JsonObject in = AuthJson.object(ctx, "email", "name", "role", "password");
    String email = AuthJson.requiredString(in, "email", 320);
    String name = AuthJson.requiredString(in, "name", 200);
    StaffRole role = role(AuthJson.requiredString(in, "role", 20));
    String password = AuthJson.requiredString(in, "password", 1024);
    return auth.createStaff(email, name, role, password).map(created -> json(created.member()));
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    long id = AuthJson.pathId(ctx, "id");
    AuthJson.requireJsonContentType(ctx);
    JsonObject in = AuthJson.object(ctx, "role", "disabled");
    StaffRole role = in.containsKey("role") ? role(AuthJson.requiredString(in, "role", 20)) : null;
    Object d = in.getValue("disabled");
    if (in.containsKey("disabled") && !(d instanceof Boolean)) throw ApiError.badRequest("disabled", "must be true or false");
    if (role == null && d == null) throw ApiError.badRequest(null, "send a role, disabled, or both");
    return auth.updateStaff(id, role, (Boolean) d).map(change -> {
      // Their browsers' event-bus sockets close as a sign-out's do.
      for (String session : change.endedSessions()) {
        ctx.vertx().eventBus().publish(Addresses.LOGOUT, new JsonObject().put("sessionId", session));
      }
      return json(change.member());
    });
  }

  private static StaffRole role(String s) {
    try {
      return StaffRole.parse(s);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("role", e.getMessage());
    }
  }

  static JsonObject json(StaffMember m) {
    return new JsonObject().put("id", m.id()).put("email", m.email()).put("name", m.name()).put("role", m.role().wire())
        .put("disabled", m.disabledAt() != null)
        .put("disabledAt", m.disabledAt() == null ? null : m.disabledAt().toString())
        .put("createdAt", m.createdAt() == null ? null : m.createdAt().toString());
  }
}
