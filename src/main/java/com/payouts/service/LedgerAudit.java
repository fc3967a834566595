package com.payouts.service;

import com.payouts.db.LedgerVerifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code verify-ledger} checks: every money invariant in the database, then the payouts
 * against the gateway's own report (through its API), one violation per kind of mismatch.
 */
public class LedgerAudit {
  /** The name the gateway comparison has always been reported under. */
  public static final String GATEWAY = "each completed payout matches exactly one successful gateway execution";
  static final int SAMPLE = 20;

  private final LedgerVerifier ledger;
  private final Reconciliation reconciliation;

  public LedgerAudit(LedgerVerifier ledger, Reconciliation reconciliation) {
    this.ledger = ledger;
    this.reconciliation = reconciliation;
  }

  public Future<List<LedgerVerifier.Violation>> verify() {
    return ledger.verify().compose(broken -> reconciliation.run().map(report -> {
      List<LedgerVerifier.Violation> all = new ArrayList<>(broken);
      if (!report.clean()) {
        List<JsonObject> sample = new ArrayList<>();
        for (Reconciliation.Mismatch m : report.mismatches()) {
          if (sample.size() == SAMPLE) break;
          sample.add(new JsonObject().put("kind", m.kind().name().toLowerCase()).put("payoutId", m.payoutId())
              .put("idempotencyKey", m.idempotencyKey()).put("detail", m.detail()));
        }
        all.add(new LedgerVerifier.Violation(GATEWAY, report.mismatches().size(), sample));
      }
      return all;
    }));
  }
}
