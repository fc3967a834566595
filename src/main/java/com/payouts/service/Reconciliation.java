package com.payouts.service;

import com.payouts.db.PayoutRepository;
import com.payouts.domain.PayoutStatus;
import com.payouts.gateway.GatewayExecution;
import com.payouts.gateway.GatewayReport;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The service's payouts against the gateway's own report of what it executed, read through the
 * gateway's API: every completed or returned payout must match exactly one successful execution of
 * its amount and transaction, returned here exactly when the gateway reports it returned; no payout
 * the service did not pay may have one, and the gateway may have paid nothing the service does not
 * know. Payouts in flight (processing) or held for review are left to their lookup and their
 * operator. With a {@code since}, only what happened from then on is compared: executions from
 * then, and payouts without one last changed from then.
 */
public class Reconciliation {
  static final int PAYOUT_PAGE = 5_000;

  public enum Kind {
    /** Completed here, no successful execution at the gateway. */
    MISSING_AT_GATEWAY,
    /** A successful execution for no payout of this service. */
    UNKNOWN_TO_SERVICE,
    /** Paid at the gateway with another amount than the payout's. */
    AMOUNT_DIFFERS,
    /** The gateway's outcome is not the service's (paid there, not here; another transaction). */
    STATUS_DIFFERS,
    /** More than one successful execution for one payout. */
    PAID_TWICE
  }

  public record Mismatch(Kind kind, Long payoutId, String idempotencyKey, String detail) {}

  public record Report(long executions, long payouts, List<Mismatch> mismatches, Instant at, Instant since) {
    public boolean clean() {
      return mismatches.isEmpty();
    }
  }

  private final GatewayReport gateway;
  private final PayoutRepository payouts;

  public Reconciliation(GatewayReport gateway, PayoutRepository payouts) {
    this.gateway = gateway;
    this.payouts = payouts;
  }

  public Future<Report> run() {
    return run(null);
  }

  /** Everything, or (with {@code since}) what happened from then on. */
  public Future<Report> run(Instant since) {
    Map<String, List<GatewayExecution>> paid = new HashMap<>();
    long[] executions = {0};
    return executions(null, paid, executions)
        .compose(v -> compare(0, paid, new ArrayList<>(), new long[] {0}, since))
        .map(state -> {
          List<Mismatch> out = state.mismatches;
          paid.forEach((ref, xs) -> xs.forEach(x -> {
            if (since != null && x.at() != null && x.at().isBefore(since)) return;
            out.add(new Mismatch(Kind.UNKNOWN_TO_SERVICE, null, x.idempotencyKey(),
                "the gateway paid " + x.amount().toPlainString() + " (" + x.transactionId() + ") for reference " + ref
                    + ", which is no payout here"));
          }));
          return new Report(executions[0], state.payouts, out, Instant.now(), since);
        });
  }

  /** Every page of the gateway's report; successful executions kept by payout reference. */
  private Future<Void> executions(String after, Map<String, List<GatewayExecution>> paid, long[] count) {
    return gateway.executions(after, GatewayReport.MAX_PAGE).compose(page -> {
      for (GatewayExecution x : page.items()) {
        count[0]++;
        if (x.succeeded()) paid.computeIfAbsent(String.valueOf(x.payoutRef()), k -> new ArrayList<>()).add(x);
      }
      return page.nextAfter() == null ? Future.succeededFuture() : executions(page.nextAfter(), paid, count);
    });
  }

  private record State(List<Mismatch> mismatches, long payouts) {}

  /** Every payout, a page at a time in id order, against what the gateway paid for it. */
  private Future<State> compare(long afterId, Map<String, List<GatewayExecution>> paid, List<Mismatch> out, long[] seen,
      Instant since) {
    return payouts.bookedAfter(afterId, PAYOUT_PAGE).compose(page -> {
      for (PayoutRepository.Booked p : page) {
        List<GatewayExecution> xs = paid.remove(Long.toString(p.id()));
        xs = xs == null ? List.of() : xs;
        if (since != null && before(p, xs, since)) continue;
        seen[0]++;
        check(p, xs, out);
      }
      return page.size() < PAYOUT_PAGE ? Future.succeededFuture(new State(out, seen[0]))
          : compare(page.get(page.size() - 1).id(), paid, out, seen, since);
    });
  }

  /** Whether the payout's story ended before {@code since}: its execution, or (without one) its last change. */
  private static boolean before(PayoutRepository.Booked p, List<GatewayExecution> xs, Instant since) {
    Instant at = !xs.isEmpty() && xs.get(0).at() != null ? xs.get(0).at() : p.updatedAt();
    Instant returned = !xs.isEmpty() ? xs.get(0).returnedAt() : null;
    return at != null && at.isBefore(since) && (returned == null || returned.isBefore(since));
  }

  static void check(PayoutRepository.Booked p, List<GatewayExecution> xs, List<Mismatch> out) {
    if (xs.size() > 1) {
      out.add(new Mismatch(Kind.PAID_TWICE, p.id(), xs.get(1).idempotencyKey(),
          xs.size() + " successful executions: " + xs.stream().map(GatewayExecution::transactionId).toList()));
      return;
    }
    GatewayExecution x = xs.isEmpty() ? null : xs.get(0);
    if (p.status() == PayoutStatus.PROCESSING || p.status() == PayoutStatus.NEEDS_REVIEW) return;
    if (p.status() == PayoutStatus.COMPLETED || p.status() == PayoutStatus.RETURNED) {
      if (x == null) {
        out.add(new Mismatch(Kind.MISSING_AT_GATEWAY, p.id(), null,
            p.status().wire() + " with " + p.transactionId() + ", but the gateway reports no successful execution"));
      } else if (x.amount().compareTo(p.amount()) != 0) {
        out.add(new Mismatch(Kind.AMOUNT_DIFFERS, p.id(), x.idempotencyKey(),
            "paid " + x.amount().toPlainString() + " at the gateway, " + p.amount().toPlainString() + " here"));
      } else if (!x.transactionId().equals(p.transactionId())) {
        out.add(new Mismatch(Kind.STATUS_DIFFERS, p.id(), x.idempotencyKey(),
            "settled with " + p.transactionId() + " here, the gateway's transaction is " + x.transactionId()));
      } else if (x.returned() && p.status() == PayoutStatus.COMPLETED) {
        out.add(new Mismatch(Kind.STATUS_DIFFERS, p.id(), x.idempotencyKey(),
            "the gateway returned it (" + x.returnCode() + ", " + x.returnedAt() + "), here it is completed"));
      } else if (!x.returned() && p.status() == PayoutStatus.RETURNED) {
        out.add(new Mismatch(Kind.STATUS_DIFFERS, p.id(), x.idempotencyKey(),
            "returned here (" + p.returnCode() + "), the gateway reports it paid and not returned"));
      }
    } else if (x != null) {
      out.add(new Mismatch(Kind.STATUS_DIFFERS, p.id(), x.idempotencyKey(),
          "the gateway paid it (" + x.transactionId() + "), here it is " + p.status().wire()));
    }
  }
}
