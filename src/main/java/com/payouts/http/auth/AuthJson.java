package com.payouts.http.auth;

import com.payouts.auth.ApiToken;
import com.payouts.auth.AuthEvent;
import com.payouts.auth.LoginThrottle;

import com.payouts.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Strict request bodies and JSON answers for the auth routes, in the API's one error shape.
 * (Mirrors com.payouts.http.Input, which is package-private there.)
 */
final class AuthJson {
  private AuthJson() {}

  static void send(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(body -> {
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
      }
    }).onFailure(err -> {
      if (err instanceof LoginThrottle.Blocked b) {
        ctx.response().putHeader("Retry-After", String.valueOf(b.retryAfterSeconds()));
        err = new ApiError(429, "too_many_attempts", null, b.getMessage());
      }
      ApiError.respond(ctx, err);
    });
  }

  static void send(RoutingContext ctx, int status, Supplier<Future<JsonObject>> work) {
    try {
      send(ctx, status, work.get());
    } catch (RuntimeException e) {
      send(ctx, status, Future.failedFuture(e));
    }
  }

  static void requireJsonContentType(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ApiError(415, "unsupported_media_type", null, "send the body as Content-Type: application/json");
    }
  }

  static JsonObject object(RoutingContext ctx, String... allowed) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) throw ApiError.badRequest(null, "a JSON object body is required");
    Object parsed;
    try {
      parsed = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw ApiError.badRequest(null, "the body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject json)) throw ApiError.badRequest(null, "the body must be a JSON object");
    Set<String> known = Set.of(allowed);
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) throw ApiError.badRequest(key, "is not a field of this request");
    }
    return json;
  }

  static String requiredString(JsonObject in, String field, int maxLength) {
    Object v = in.getValue(field);
    if (v == null) throw ApiError.badRequest(field, "is required");
    if (!(v instanceof String s)) throw ApiError.badRequest(field, "must be a string");
    if (s.isBlank()) throw ApiError.badRequest(field, "is required");
    if (s.length() > maxLength) throw ApiError.badRequest(field, "must be at most " + maxLength + " characters");
    if (s.indexOf('\0') >= 0) throw ApiError.badRequest(field, "must not contain NUL characters");
    return s;
  }

  static long pathId(RoutingContext ctx, String param) {
    String raw = ctx.pathParam(param);
    try {
      long id = Long.parseLong(raw);
      if (id > 0) return id;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiError(404, "not_found", param, "no such " + param + ": " + raw);
  }

  /** An optional whole number of days in 1..max; null when absent. */
  static Integer optionalDays(JsonObject in, String field, int max) {
    Object v = in.getValue(field);
    if (v == null) return null;
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 1 || ((Number) v).longValue() > max) {
      throw ApiError.badRequest(field, "must be a whole number of days from 1 to " + max);
    }
    return ((Number) v).intValue();
  }

  /** An optional positive id in the query string; null when absent. */
  static Long optionalId(RoutingContext ctx, String param) {
    String raw = ctx.request().getParam(param);
    if (raw == null) return null;
    try {
      long id = Long.parseLong(raw);
      if (id > 0) return id;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.badRequest(param, "must be a positive id");
  }

  static int limit(RoutingContext ctx, int fallback, int max) {
    String raw = ctx.request().getParam("limit");
    if (raw == null) return fallback;
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= max) return n;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.badRequest("limit", "must be a whole number from 1 to " + max);
  }

  static JsonObject token(ApiToken t) {
    return new JsonObject().put("id", t.id()).put("name", t.name()).put("userId", t.userId()).put("email", t.email())
        .put("createdAt", text(t.createdAt())).put("lastUsedAt", text(t.lastUsedAt()))
        .put("expiresAt", text(t.expiresAt())).put("createdByTokenId", t.createdByTokenId());
  }

  static JsonObject event(AuthEvent e) {
    return new JsonObject().put("id", e.id()).put("at", text(e.at())).put("kind", e.kind()).put("userId", e.userId())
        .put("email", e.email()).put("clientAddress", e.clientAddress()).put("tokenId", e.tokenId())
        .put("tokenName", e.tokenName()).put("detail", e.detail());
  }

  private static String text(java.time.Instant t) {
    return t == null ? null : t.toString();
  }
}
