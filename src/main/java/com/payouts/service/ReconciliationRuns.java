package com.payouts.service;

import com.payouts.db.ReconciliationRepository;
import com.payouts.domain.DomainException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs a reconciliation with the gateway's report and keeps its result, so the dashboard can show
 * the last one; {@code reconcile} on the command line and GET /api/reconciliation both come here.
 */
public class ReconciliationRuns {
  /** Mismatches kept with a run (the count is always exact). */
  static final int KEPT = 1_000;

  private final Reconciliation reconciliation;
  private final ReconciliationRepository runs;

  /** {@code reconciliation} null: the gateway keeps no report (a test's scripted one). */
  public ReconciliationRuns(Reconciliation reconciliation, ReconciliationRepository runs) {
    this.reconciliation = reconciliation;
    this.runs = runs;
  }

  /** Runs it (everything, or what happened from {@code since}), keeps the result and answers it as JSON. */
  public Future<JsonObject> run(Instant since) {
    if (reconciliation == null) {
      return Future.failedFuture(new DomainException(DomainException.Kind.CONFLICT, null,
          "this service's gateway keeps no report to reconcile with"));
    }
    return reconciliation.run(since).compose(report -> {
      JsonObject mismatches = mismatches(report);
      return runs.save(report.at(), since, report.clean(), report.executions(), report.payouts(), mismatches)
          .map(id -> new JsonObject().put("id", id).put("at", report.at().toString())
              .put("since", since == null ? null : since.toString()).put("clean", report.clean())
              .put("executions", report.executions()).put("payouts", report.payouts()).put("mismatches", mismatches));
    });
  }

  public Future<Optional<JsonObject>> last() {
    return runs.last();
  }

  /** {"count", "byKind": {kind: n}, "items": [{"kind", "payoutId", "idempotencyKey", "detail"}]}. */
  static JsonObject mismatches(Reconciliation.Report report) {
    JsonArray items = new JsonArray();
    JsonObject byKind = new JsonObject();
    for (Reconciliation.Mismatch m : report.mismatches()) {
      String kind = m.kind().name().toLowerCase(Locale.ROOT);
      byKind.put(kind, byKind.getLong(kind, 0L) + 1);
      if (items.size() < KEPT) {
        items.add(new JsonObject().put("kind", kind).put("payoutId", m.payoutId())
            .put("idempotencyKey", m.idempotencyKey()).put("detail", m.detail()));
      }
    }
    return new JsonObject().put("count", report.mismatches().size()).put("byKind", byKind).put("items", items);
  }
}
