package com.payouts.cli;

import com.payouts.db.LedgerVerifier;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "verify-ledger", mixinStandardHelpOptions = true,
    description = "Check every money invariant; exit 1 and print the offending rows when one breaks.")
public class VerifyLedgerCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return Session.run("verify-ledger", false, infra -> new LedgerVerifier(infra.pool).verify().map(broken -> {
      if (broken.isEmpty()) {
        System.out.println("ledger OK: every invariant holds");
        return 0;
      }
      for (LedgerVerifier.Violation v : broken) {
        System.out.println("BROKEN: " + v.invariant() + " (" + v.count() + " rows)");
        v.sample().forEach(row -> System.out.println("  " + row.encode()));
      }
      return 1;
    }));
  }
}
