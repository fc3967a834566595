package com.payouts.cli;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = "Compare the paid and returned payouts with the gateway's own report (read through its API);"
        + " print each mismatch by kind and exit 1 when there is one.")
public class ReconcileCommand implements Callable<Integer> {
  @Option(names = "--since", description = "Only what happened from this date (2026-12-01, UTC) or time (ISO 8601) on.")
  String since;

  @Override
  public Integer call() {
    Instant from;
    try {
      from = since == null ? null
          : since.length() == 10 ? LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(since);
    } catch (RuntimeException e) {
      System.err.println("--since must be a date like 2026-12-01 or a time like 2026-12-01T08:00:00Z");
      return 2;
    }
    return CommandRun.run("reconcile", true, graph -> graph.reconciliationRuns().run(from).compose(r -> {
      JsonObject m = r.getJsonObject("mismatches");
      System.out.println("reconciled " + r.getLong("payouts") + " payouts with " + r.getLong("executions")
          + " gateway executions" + (from == null ? "" : " since " + from));
      if (r.getBoolean("clean")) {
        System.out.println("reconciliation OK: no mismatch");
        return Future.succeededFuture(0);
      }
      System.out.println("MISMATCHES: " + m.getInteger("count") + " " + m.getJsonObject("byKind").encode());
      m.getJsonArray("items").forEach(o -> {
        JsonObject x = (JsonObject) o;
        System.out.println("  " + x.getString("kind") + " payout " + x.getValue("payoutId") + ": " + x.getString("detail"));
      });
      return Future.succeededFuture(1);
    }));
  }
}
