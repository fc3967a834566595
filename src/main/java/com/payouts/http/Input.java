package com.payouts.http;

import com.payouts.domain.Money;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.Set;

/**
 * Strict reading of request bodies: a JSON object with known fields of the right types. Anything
 * else is a 400 that names the field, before any row is touched.
 */
final class Input {
  private final JsonObject body;

  private Input(JsonObject body) {
    this.body = body;
  }

  static Input of(RoutingContext ctx, Set<String> allowed) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) throw ApiError.badRequest(null, "a JSON object body is required");
    JsonObject json;
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(text);
      if (!(parsed instanceof JsonObject o)) throw ApiError.badRequest(null, "the body must be a JSON object");
      json = o;
    } catch (DecodeException e) {
      throw ApiError.badRequest(null, "the body is not valid JSON");
    }
    for (String key : json.fieldNames()) {
      if (!allowed.contains(key)) throw ApiError.badRequest(key, "is not a field of this request");
    }
    return new Input(json);
  }

  String requiredString(String field, int maxLength) {
    String v = optionalString(field, maxLength);
    if (v == null || v.isBlank()) throw ApiError.badRequest(field, "is required");
    return v;
  }

  String optionalString(String field, int maxLength) {
    Object v = body.getValue(field);
    if (v == null) return null;
    if (!(v instanceof String s)) throw ApiError.badRequest(field, "must be a string");
    if (s.length() > maxLength) throw ApiError.badRequest(field, "must be at most " + maxLength + " characters");
    if (s.indexOf('\0') >= 0) throw ApiError.badRequest(field, "must not contain NUL characters");
    return s;
  }

  long requiredId(String field) {
    Object v = body.getValue(field);
    if (v == null) throw ApiError.badRequest(field, "is required");
    if (!(v instanceof Integer || v instanceof Long)) throw ApiError.badRequest(field, "must be a whole number");
    long id = ((Number) v).longValue();
    if (id <= 0) throw ApiError.badRequest(field, "must be a positive id");
    return id;
  }

  io.vertx.core.json.JsonArray array(String field) {
    Object v = body.getValue(field);
    if (v == null) return null;
    if (!(v instanceof io.vertx.core.json.JsonArray a)) throw ApiError.badRequest(field, "must be an array");
    return a;
  }

  Boolean requiredBoolean(String field) {
    Object v = body.getValue(field);
    if (!(v instanceof Boolean b)) throw ApiError.badRequest(field, "must be true or false");
    return b;
  }

  /** Money arrives as a string with at most two decimals, like "25.00". */
  BigDecimal requiredAmount(String field) {
    Object v = body.getValue(field);
    if (v == null) throw ApiError.badRequest(field, "is required");
    if (!(v instanceof String s)) {
      throw ApiError.badRequest(field, "must be a string with at most two decimals, like \"25.00\"");
    }
    try {
      return Money.parsePositive(s);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(field, e.getMessage());
    }
  }

  <T> T parsed(String field, java.util.function.Function<String, T> parse, T fallback) {
    String s = optionalString(field, 64);
    if (s == null) return fallback;
    try {
      return parse.apply(s);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(field, e.getMessage());
    }
  }

  static long pathId(RoutingContext ctx, String param) {
    String raw = ctx.pathParam(param);
    try {
      long id = Long.parseLong(raw);
      if (id <= 0) throw new NumberFormatException();
      return id;
    } catch (NumberFormatException e) {
      throw new ApiError(404, "not_found", param, "no such " + param + ": " + raw);
    }
  }
}
