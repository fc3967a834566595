package com.payouts.cli;

import com.payouts.domain.Money;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutStatus;
import com.payouts.service.PayoutService;
import com.payouts.service.ProcessResult;
import io.vertx.core.Future;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "process-payouts", mixinStandardHelpOptions = true,
    description = "Pay approved payouts through the gateway now, without the queue (like the old manage.py process_payouts).")
public class ProcessPayoutsCommand implements Callable<Integer> {
  /** Payouts paid concurrently; their outcomes are written back in one statement per chunk. */
  static final int CHUNK = 100;

  @Option(names = "--payout-id", description = "Process only this payout.")
  Long payoutId;

  @Option(names = "--dry-run", description = "Show what would be processed, change nothing.")
  boolean dryRun;

  @Option(names = "--limit", description = "At most this many payouts (default: all approved).")
  int limit = Integer.MAX_VALUE;

  @Override
  public Integer call() {
    if (limit <= 0) {
      System.err.println("--limit must be positive");
      return 2;
    }
    return CommandRun.run("process-payouts", true, graph -> run(graph.payouts, System.out));
  }

  Future<Integer> run(PayoutService payouts, PrintStream out) {
    Future<List<Long>> ids = payoutId != null
        ? Future.succeededFuture(List.of(payoutId))
        : payouts.repository().idsInStatus(PayoutStatus.APPROVED, limit);
    return ids.compose(list -> {
      if (list.isEmpty()) {
        out.println("no approved payouts to process");
        return Future.succeededFuture(0);
      }
      if (dryRun) return dryRun(payouts, list, out);
      Tally tally = new Tally();
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < list.size(); i += CHUNK) {
        List<Long> chunk = list.subList(i, Math.min(list.size(), i + CHUNK));
        chain = chain.compose(v -> payouts.process(chunk, "cli:process-payouts").map(results -> {
          results.forEach(r -> out.println(line(r, tally)));
          return null;
        }));
      }
      return chain.map(v -> {
        out.println(tally.summary());
        return 0;
      });
    });
  }

  private Future<Integer> dryRun(PayoutService payouts, List<Long> ids, PrintStream out) {
    return payouts.repository().findAll(ids).map(found -> {
      BigDecimal total = BigDecimal.ZERO.setScale(2);
      BigDecimal fees = BigDecimal.ZERO.setScale(2);
      for (Payout p : found) {
        String note = p.status() == PayoutStatus.APPROVED ? "would process" : "skip: " + p.status().wire();
        out.printf("payout %-8d %-11s %12s  fee %8s  net %12s  %s%n", p.id(), p.method().wire(),
            Money.format(p.amount()), Money.format(p.fee()), Money.format(p.netAmount()), note);
        if (p.status() == PayoutStatus.APPROVED) {
          total = total.add(p.amount());
          fees = fees.add(p.fee());
        }
      }
      out.printf("dry run: %d payouts, total %s, fees %s; nothing changed%n", found.size(), total, fees);
      return 0;
    });
  }

  static String line(ProcessResult r, Tally t) {
    Payout p = r.payout();
    switch (r.kind()) {
      case COMPLETED -> {
        t.completed++;
        t.paid = t.paid.add(p.netAmount());
        t.fees = t.fees.add(p.fee());
        return String.format("payout %-8d %-11s %12s  fee %8s  net %12s  completed  %s", p.id(), p.method().wire(),
            Money.format(p.amount()), Money.format(p.fee()), Money.format(p.netAmount()), p.transactionId());
      }
      case FAILED -> {
        t.failed++;
        String retry = p.nextRetryAt() != null ? "retry at " + p.nextRetryAt() : "final, hold released";
        return String.format("payout %-8d %-11s %12s  fee %8s  net %12s  failed     %s (%s; %s)", p.id(),
            p.method().wire(), Money.format(p.amount()), Money.format(p.fee()), Money.format(p.netAmount()),
            p.errorCode(), p.errorMessage(), retry);
      }
      case NEEDS_REVIEW -> {
        t.needsReview++;
        return String.format("payout %-8d %-11s %12s  needs review, funds stay held: %s", p.id(), p.method().wire(),
            Money.format(p.amount()), p.errorMessage());
      }
      case UNKNOWN -> {
        t.unknown++;
        return String.format("payout %-8d outcome unknown (%s): stays processing until looked up", r.payoutId(), r.detail());
      }
      default -> {
        t.skipped++;
        return String.format("payout %-8d skipped: %s", r.payoutId(), r.detail());
      }
    }
  }

  static final class Tally {
    int completed;
    int failed;
    int needsReview;
    int unknown;
    int skipped;
    BigDecimal paid = BigDecimal.ZERO.setScale(2);
    BigDecimal fees = BigDecimal.ZERO.setScale(2);

    String summary() {
      return String.format("processed %d: %d completed, %d failed, %d unknown, %d skipped%s; paid out %s net, fees %s",
          completed + failed + needsReview + unknown + skipped, completed, failed, unknown, skipped,
          needsReview == 0 ? "" : ", " + needsReview + " need review (see verify-ledger)", paid, fees);
    }
  }
}
