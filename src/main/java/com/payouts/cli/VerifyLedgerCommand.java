package com.payouts.cli;

import com.payouts.db.LedgerVerifier;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "verify-ledger", mixinStandardHelpOptions = true,
    description = "Check every money invariant and list payouts needing review; exit 1 and print the offending rows"
        + " when an invariant breaks or a payout needs review.")
public class VerifyLedgerCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    // The built-in gateway (unless a URL is configured) serves its report over the same database.
    return CommandRun.run("verify-ledger", true, graph -> graph.ledgerAudit().verify().map(broken -> {
      if (broken.isEmpty()) {
        System.out.println("ledger OK: every invariant holds");
        return 0;
      }
      for (LedgerVerifier.Violation v : broken) {
        if (v.needsReview()) {
          System.out.println("NEEDS REVIEW: " + v.count() + " payouts whose gateway answer did not belong to them;"
              + " their funds stay held (" + v.count() + " rows)");
          v.sample().forEach(row -> System.out.println("  payout " + row.getValue("id") + " " + row.getValue("amount")
              + " " + row.getString("error_code") + ": " + row.getString("error_message")));
        } else {
          System.out.println("BROKEN: " + v.invariant() + " (" + v.count() + " rows)");
          v.sample().forEach(row -> System.out.println("  " + row.encode()));
        }
      }
      return 1;
    }));
  }
}
