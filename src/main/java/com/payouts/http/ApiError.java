package com.payouts.http;

import com.payouts.auth.AuthException;
import com.payouts.domain.DomainException;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one error shape: {"error": {"code", "message", "field"}} with the matching status. */
public final class ApiError extends RuntimeException {
  private static final Logger log = LoggerFactory.getLogger(ApiError.class);

  private final int status;
  private final String code;
  private final String field;

  public ApiError(int status, String code, String field, String message) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  public static ApiError badRequest(String field, String message) {
    return new ApiError(400, "invalid_request", field, message);
  }

  public int status() {
    return status;
  }

  public JsonObject toJson() {
    JsonObject e = new JsonObject().put("code", code).put("message", getMessage());
    if (field != null) e.put("field", field);
    return new JsonObject().put("error", e);
  }

  /** Maps any failure to the error shape; unexpected ones are logged and answered 500 without detail. */
  public static ApiError from(Throwable err) {
    if (err instanceof ApiError a) return a;
    if (err instanceof DomainException d) {
      return switch (d.kind()) {
        case INVALID -> new ApiError(400, "invalid_request", d.field(), d.getMessage());
        case NOT_FOUND -> new ApiError(404, "not_found", d.field(), d.getMessage());
        case CONFLICT -> new ApiError(409, "conflict", d.field(), d.getMessage());
        case INSUFFICIENT_FUNDS -> new ApiError(422, "insufficient_funds", d.field(), d.getMessage());
        case NOT_ELIGIBLE -> new ApiError(422, "not_eligible", d.field(), d.getMessage());
        case KEY_REUSED -> new ApiError(409, "idempotency_key_reused", d.field(), d.getMessage());
      };
    }
    if (err instanceof AuthException a) {
      return switch (a.kind()) {
        case INVALID_CREDENTIALS -> new ApiError(401, "invalid_credentials", a.field(), a.getMessage());
        case UNAUTHENTICATED -> new ApiError(401, "unauthenticated", a.field(), a.getMessage());
        case FORBIDDEN -> new ApiError(403, "forbidden", a.field(), a.getMessage());
        case INVALID -> new ApiError(400, "invalid_request", a.field(), a.getMessage());
        case UNAVAILABLE -> unavailable();
        case CONFLICT -> new ApiError(409, "conflict", a.field(), a.getMessage());
        case NOT_FOUND -> new ApiError(404, "not_found", a.field(), a.getMessage());
      };
    }
    if (err instanceof io.vertx.ext.web.handler.HttpException h && h.getStatusCode() < 500) {
      return new ApiError(h.getStatusCode(), "invalid_request", null, "the request is malformed (" + h.getMessage() + ")");
    }
    if (err instanceof PgException pg) {
      switch (pg.getSqlState()) {
        case "23505": return new ApiError(409, "conflict", null, "already exists");
        case "23514": return new ApiError(422, "constraint_violated", null, "the request breaks a rule of the ledger");
        case "22003": return new ApiError(422, "amount_too_large", null, "the resulting balance would not fit the ledger");
        case "57P01", "57P03", "08006", "08001", "53300": return unavailable();
        default:
          if (pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
            return new ApiError(400, "invalid_request", null, "a value in the request is not valid");
          }
          break;
      }
    }
    if (err instanceof io.vertx.core.http.ConnectionPoolTooBusyException
        || err instanceof com.payouts.service.ServiceBusyException
        || err instanceof java.util.concurrent.TimeoutException
        || err instanceof io.netty.handler.timeout.TimeoutException
        || err instanceof java.net.ConnectException
        || err instanceof io.vertx.core.VertxException v && String.valueOf(v.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connection")
        || err instanceof io.vertx.core.impl.NoStackTraceTimeoutException
        || err instanceof io.vertx.sqlclient.ClosedConnectionException) {
      return unavailable();
    }
    log.error("unexpected failure", err);
    return new ApiError(500, "internal_error", null, "the server could not complete the request");
  }

  public static ApiError unavailable() {
    return new ApiError(503, "unavailable", null, "a backing service is busy or down; try again shortly");
  }

  public static void respond(RoutingContext ctx, Throwable err) {
    ApiError e = from(err);
    if (ctx.response().ended()) return;
    if (e.status == 503) ctx.response().putHeader("Retry-After", "1");
    ctx.response().setStatusCode(e.status).putHeader("Content-Type", "application/json")
        .end(e.toJson().encode());
  }
}
