package com.payouts.cli;

import com.payouts.domain.Durations;
import com.payouts.loadtest.LoadOptions;
import com.payouts.loadtest.LoadRun;
import com.payouts.loadtest.LoadSummary;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "loadtest", mixinStandardHelpOptions = true,
    description = "Load a running service: create users with balances and N payout requests through the API, "
        + "approve them in batches, wait until each is completed or failed, check the invariants, and print one "
        + "line: N, payouts/s (first approval to last terminal state), p50/p99/max approval-to-terminal latency, "
        + "completed, failed, unfinished, HTTP errors, invariants. Progress goes to standard error each second.%n"
        + "Exit 0 when every payout finished and no invariant broke, 1 otherwise, 2 on bad options.")
public class LoadtestCommand implements Callable<Integer> {
  @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "The service (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--token", defaultValue = "${env:PAYOUTS_TOKEN}",
      description = "A staff API token (default: the PAYOUTS_TOKEN environment variable).")
  String token;

  @Option(names = "--users", defaultValue = "100", description = "Users to spread the payouts over (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(names = "--payouts", defaultValue = "1000", description = "Payout requests to create, N (default: ${DEFAULT-VALUE}).")
  int payouts;

  @Option(names = "--rate", defaultValue = "0", description = "Creates per second; 0 for as fast as possible (default).")
  double rate;

  @Option(names = "--concurrency", defaultValue = "64", description = "HTTP requests in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--batch", defaultValue = "500", description = "Ids per approve batch, at most 1000 (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--approve-concurrency", defaultValue = "4",
      description = "Approve batches in flight (default: ${DEFAULT-VALUE}).")
  int approveConcurrency;

  @Option(names = "--timeout", defaultValue = "600s",
      description = "Bound on the whole run, like 600s or 20m (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(names = "--pg-url",
      description = "postgresql://user@host:port/db of the service: watch for terminal states and check the "
          + "invariants with read-only queries there. Default: PAYOUTS_PG_URL, else the embedded Postgres of a "
          + "service running on this data directory; without any: GET each payout, and invariants=unchecked.")
  String pgUrl;

  @Option(names = "--dashboard-email", defaultValue = "admin@example.com",
      description = "Staff account for --dashboard-password (default: ${DEFAULT-VALUE}).")
  String dashboardEmail;

  @Option(names = "--dashboard-password", defaultValue = "${env:PAYOUTS_ADMIN_PASSWORD}",
      description = "With it, a staff dashboard watches the run over the event-bus bridge and a line "
          + "\"dashboard: ...\" reports the messages it got per second (default: the PAYOUTS_ADMIN_PASSWORD "
          + "environment variable; without one, no dashboard).")
  String dashboardPassword;

  @Override
  public Integer call() {
    if (pgUrl == null) pgUrl = defaultPgUrl();
    LoadOptions options;
    try {
      options = new LoadOptions(URI.create(url), token, users, payouts, rate, concurrency, batch, approveConcurrency,
          parseTimeout(timeout), pgUrl, dashboardEmail, blankToNull(dashboardPassword));
    } catch (IllegalArgumentException e) {
      System.err.println("loadtest: " + e.getMessage());
      return 2;
    }
    warmUpJson();
    Vertx vertx = Vertx.vertx();
    try {
      Promise<LoadSummary> done = Promise.promise();
      LoadRun run = new LoadRun(vertx, options, System.err);
      vertx.getOrCreateContext().runOnContext(v -> run.run().onComplete(done));
      // The run stops itself at its timeout; the margin covers the final invariant check.
      LoadSummary summary = done.future().toCompletionStage().toCompletableFuture()
          .get(options.timeout().toSeconds() + 300, TimeUnit.SECONDS);
      System.out.println(summary.line());
      return summary.succeeded() ? 0 : 1;
    } catch (ExecutionException e) {
      System.err.println("loadtest: " + e.getCause().getMessage());
      return 1;
    } catch (TimeoutException e) {
      System.err.println("loadtest: no result within the timeout and its margin");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(x -> null).join();
    }
  }

  /**
   * Loads Jackson's classes here on the main thread; otherwise the first request body loads them
   * on the event loop, which a busy machine reports as a blocked thread.
   */
  private static void warmUpJson() {
    new JsonObject(new JsonObject().put("warm", new JsonArray().add(1L).add("up")).toBuffer());
  }

  /** The service's database when this command runs beside it: configured, or its embedded one. */
  private static String defaultPgUrl() {
    String configured = blankToNull(System.getenv(com.payouts.app.ConfigKeys.PG_URL));
    if (configured != null) return configured;
    String dataDir = blankToNull(System.getenv(com.payouts.app.ConfigKeys.DATA_DIR));
    return com.payouts.app.EmbeddedServers.runningPostgres(dataDir == null ? "data" : dataDir).orElse(null);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** 600s, 20m, or plain seconds. */
  static Duration parseTimeout(String text) {
    if (text.matches("[0-9]{1,9}")) return Duration.ofSeconds(Long.parseLong(text));
    return Durations.parse(text);
  }
}
