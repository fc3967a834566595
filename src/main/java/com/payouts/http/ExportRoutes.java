package com.payouts.http;

import com.payouts.domain.Money;
import com.payouts.domain.Payout;
import com.payouts.service.PayoutExport;
import com.payouts.service.PayoutService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * GET /api/payouts/export.csv: the rows the list's filters match (no page limit), streamed from a
 * database cursor into the response with back-pressure, so memory stays a few hundred rows at any
 * size. A header row; money as strings with two decimals; times in ISO 8601 (UTC).
 */
final class ExportRoutes {
  static final String PATH = "/api/payouts/export.csv";
  static final String HEADER = "id,user_id,user_email,amount,fee,net_amount,method,status,priority,transaction_id,"
      + "error_code,return_code,retry_count,created_at,approved_at,completed_at,failed_at,returned_at,updated_at\r\n";
  /** Rows gathered into one write: fewer, larger writes for the socket. */
  static final int ROWS_PER_WRITE = 200;

  private final PayoutService payouts;

  ExportRoutes(PayoutService payouts) {
    this.payouts = payouts;
  }

  void mount(Router router) {
    router.get(PATH).handler(this::export);
  }

  private void export(RoutingContext ctx) {
    com.payouts.domain.PayoutFilter filter;
    try {
      filter = ListRoutes.filter(ctx, ListRoutes.EXPORT_PARAMS);
    } catch (RuntimeException e) {
      ApiError.respond(ctx, e);
      return;
    }
    payouts.export(filter).onFailure(err -> ApiError.respond(ctx, err)).onSuccess(export -> stream(ctx, export));
  }

  private static void stream(RoutingContext ctx, PayoutExport export) {
    HttpServerResponse res = ctx.response();
    res.setChunked(true).putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"payouts-" + Instant.now().getEpochSecond() + ".csv\"");
    res.write(HEADER);
    StringBuilder chunk = new StringBuilder(ROWS_PER_WRITE * 200);
    int[] rows = {0};
    res.closeHandler(v -> export.close().get());
    export.rows().exceptionHandler(err -> res.reset());
    export.rows().endHandler(v -> {
      if (chunk.length() > 0) res.write(chunk.toString());
      res.end();
    });
    export.rows().handler(p -> {
      line(chunk, p);
      if (++rows[0] % ROWS_PER_WRITE != 0) return;
      res.write(Buffer.buffer(chunk.toString()));
      chunk.setLength(0);
      if (res.writeQueueFull()) {
        export.rows().pause();
        res.drainHandler(d -> export.rows().resume());
      }
    });
  }

  static void line(StringBuilder out, Payout p) {
    out.append(p.id()).append(',').append(p.userId()).append(',');
    field(out, p.userEmail());
    out.append(',').append(Money.format(p.amount())).append(',').append(Money.format(p.fee())).append(',')
        .append(Money.format(p.netAmount())).append(',').append(p.method().wire()).append(',')
        .append(p.status().wire()).append(',').append(p.priority().wire()).append(',');
    field(out, p.transactionId());
    out.append(',');
    field(out, p.errorCode());
    out.append(',');
    field(out, p.returnCode());
    out.append(',').append(p.retryCount()).append(',');
    time(out, p.createdAt());
    time(out, p.approvedAt());
    time(out, p.completedAt());
    time(out, p.failedAt());
    time(out, p.returnedAt());
    if (p.updatedAt() != null) out.append(p.updatedAt());
    out.append("\r\n");
  }

  private static void time(StringBuilder out, Instant t) {
    if (t != null) out.append(t);
    out.append(',');
  }

  /**
   * RFC 4180 quoting; a text that a spreadsheet would run as a formula (=, +, -, @ first) is
   * prefixed with an apostrophe, so opening the file never runs anything.
   */
  static void field(StringBuilder out, String s) {
    if (s == null || s.isEmpty()) return;
    String v = "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
      out.append(v);
    } else {
      out.append('"').append(v.replace("\"", "\"\"")).append('"');
    }
  }
}
