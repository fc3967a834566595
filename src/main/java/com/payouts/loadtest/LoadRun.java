package com.payouts.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One load run against a running service: users with balances, N payout requests, approval in
 * batches, then waiting until each is completed or failed, and the invariant check. Latency is the
 * server's approvedAt to completedAt/failedAt, so how often this side looks does not distort it.
 *
 * <p>Call {@link #run()} on a Vert.x context: every callback then runs on that one context, so the
 * counters below need no locking.
 */
public final class LoadRun {
  private static final String[] METHODS = {"stripe_bank", "paypal", "check"};
  /** Largest amount a payout asks for (see {@link #amount}); each user is credited for all of theirs. */
  private static final int MAX_WHOLE_AMOUNT = 51;
  private static final int USER_CONCURRENCY = 16;
  /**
   * How often to look for terminal payouts: every 500 ms, but never more than about 20,000 open
   * payouts a second, so that watching 100,000 does not itself load the database it measures.
   * Latencies and throughput come from the server's timestamps, so looking less often changes
   * only when the run notices it is done.
   */
  private static final long LOOK_EVERY_MS = 500;
  private static final int OPEN_LOOKED_AT_PER_SECOND = 20_000;
  private static final int PROBLEMS_KEPT = 5;
  /** The batch answer for an id an earlier, lost attempt of the same batch already moved on. */
  private static final Pattern ALREADY_MOVED =
      Pattern.compile("cannot approve: it is (approved|processing|completed|failed)\\b.*");

  private final Vertx vertx;
  private final LoadOptions opt;
  private final PrintStream progressOut;
  private final PayoutsApi api;
  private final Pool pool;
  private final TerminalWatch watch;
  private final DashboardWatch dashboard;
  private final String runId = Long.toString(System.currentTimeMillis(), 36);
  private final long startNanos = System.nanoTime();
  private final long deadlineNanos;

  private String phase = "users";
  private int usersCreated;
  private final List<Long> created = new ArrayList<>();
  private final Set<Long> open = new LinkedHashSet<>();
  private boolean approving = true;
  private int approved;
  private int refused;
  private final Latencies latencies = new Latencies();
  private long firstApprovedMicros = Long.MAX_VALUE;
  private long lastTerminalMicros = Long.MIN_VALUE;
  private int completed;
  private int failed;
  private int terminalNotOnce;
  private final List<String> problems = new ArrayList<>();
  private int problemCount;
  private int shownCreated;
  private int shownTerminal;

  public LoadRun(Vertx vertx, LoadOptions opt, PrintStream progressOut) {
    this.vertx = vertx;
    this.opt = opt;
    this.progressOut = progressOut;
    this.deadlineNanos = startNanos + opt.timeout().toNanos();
    this.api = new PayoutsApi(vertx, opt.url(), opt.token(), opt.concurrency() + opt.approveConcurrency());
    this.pool = opt.pgUrl() == null ? null : PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(2))
        .connectingTo(PgConnectOptions.fromUri(opt.pgUrl()))
        .using(vertx)
        .build();
    this.watch = pool != null ? new DatabaseWatch(pool) : new ApiWatch(vertx, api, opt.concurrency(), deadlineNanos);
    this.dashboard = opt.dashboardPassword() == null ? null
        : new DashboardWatch(vertx, opt.url(), opt.dashboardEmail(), opt.dashboardPassword());
  }

  public Future<LoadSummary> run() {
    long ticker = vertx.setPeriodic(1_000, id -> progress());
    return createUsers()
        .compose(this::createPayouts)
        .compose(v -> openDashboard())
        .compose(v -> approveAndWatch())
        .compose(v -> closeDashboard())
        .compose(v -> checkInvariants())
        .map(this::summary)
        .eventually(() -> {
          vertx.cancelTimer(ticker);
          progress();
          reportProblems();
          api.close();
          return pool == null ? Future.succeededFuture() : pool.close();
        });
  }

  private Future<List<Long>> createUsers() {
    Long[] ids = new Long[opt.users()];
    String credit = creditPerUser(opt.payouts(), opt.users());
    return Pacer.run(vertx, opt.users(), Math.min(opt.concurrency(), USER_CONCURRENCY), 0, deadlineNanos, i ->
            api.createUser("loadtest-" + runId + "-" + i + "@example.com", "Load test " + runId + " #" + i)
                .compose(id -> api.credit(id, credit, "load test " + runId).map(id))
                .onSuccess(id -> {
                  ids[i] = id;
                  usersCreated++;
                })
                .onFailure(err -> problem("user #" + i + ": " + err.getMessage())))
        .compose(v -> usersCreated == opt.users()
            ? Future.succeededFuture(List.of(ids))
            : Future.failedFuture("only " + usersCreated + " of " + opt.users() + " users could be created"
                + (api.firstError() == null ? "" : "; first error: " + api.firstError())));
  }

  private Future<Void> createPayouts(List<Long> users) {
    phase = "creating";
    return Pacer.run(vertx, opt.payouts(), opt.concurrency(), opt.rate(), deadlineNanos, i ->
        api.createPayout(users.get(i % users.size()), amount(i), METHODS[i % METHODS.length],
                "loadtest-" + runId + "-" + i)
            .onSuccess(created::add)
            .onFailure(err -> problem("create payout #" + i + ": " + err.getMessage())));
  }

  /** A dashboard that cannot open is reported, not fatal: the run itself goes on. */
  private Future<Void> openDashboard() {
    if (dashboard == null) return Future.succeededFuture();
    return dashboard.open().recover(err -> {
      progressOut.println("dashboard: not watched: " + err.getMessage());
      return Future.succeededFuture();
    });
  }

  /** The last pushes of the run arrive within a publish interval or two of the last terminal state. */
  private Future<Void> closeDashboard() {
    if (dashboard == null) return Future.succeededFuture();
    return vertx.timer(1_000).compose(v -> {
      progressOut.println(dashboard.summary());
      return dashboard.close();
    });
  }

  /** Approvals and looking for terminal states overlap: payouts start finishing while later batches go in. */
  private Future<Void> approveAndWatch() {
    phase = "approving";
    List<Long> ids = List.copyOf(created);
    int size = opt.batch();
    int batches = (ids.size() + size - 1) / size;
    Future<Void> approvals = Pacer.run(vertx, batches, opt.approveConcurrency(), 0, deadlineNanos,
            i -> approveBatch(ids.subList(i * size, Math.min(ids.size(), (i + 1) * size))))
        .onComplete(ar -> {
          approving = false;
          phase = "waiting";
        });
    return Future.all(approvals, watchUntilTerminal()).mapEmpty();
  }

  private Future<Void> approveBatch(List<Long> ids) {
    return api.approve(ids)
        .map(results -> {
          for (Object o : results) {
            JsonObject r = (JsonObject) o;
            long id = r.getLong("id");
            String error = r.getString("error");
            if (r.getBoolean("ok", false) || (error != null && ALREADY_MOVED.matcher(error).matches())) {
              open.add(id);
              approved++;
            } else {
              refused++;
              problem("approve " + id + ": " + error);
            }
          }
          return (Void) null;
        })
        .recover(err -> {
          refused += ids.size();
          problem("approve batch of " + ids.size() + ": " + err.getMessage());
          return Future.succeededFuture();
        });
  }

  /** A loop of timers rather than a chain of futures, so a long wait builds no nesting. */
  private Future<Void> watchUntilTerminal() {
    Promise<Void> done = Promise.promise();
    lookAgainLater(done);
    return done.future();
  }

  private void lookAgainLater(Promise<Void> done) {
    if ((!approving && open.isEmpty()) || System.nanoTime() - deadlineNanos >= 0) {
      done.complete();
      return;
    }
    long every = Math.max(LOOK_EVERY_MS, open.size() * 1_000L / OPEN_LOOKED_AT_PER_SECOND);
    vertx.timer(every).compose(v -> lookOnce()).onComplete(ar -> lookAgainLater(done));
  }

  private Future<Void> lookOnce() {
    if (open.isEmpty()) return Future.succeededFuture();
    return watch.poll(new ArrayList<>(open))
        .map(states -> {
          for (TerminalState s : states) {
            if (open.remove(s.id())) record(s);
          }
          return (Void) null;
        })
        .recover(err -> {
          problem("looking for terminal payouts: " + err.getMessage());
          return Future.succeededFuture();
        });
  }

  private void record(TerminalState s) {
    if (s.completed()) completed++;
    else failed++;
    long approvedAt = s.approvedMicros();
    if (approvedAt >= 0 && s.terminalMicros() >= 0) {
      latencies.record(s.terminalMicros() - approvedAt);
      firstApprovedMicros = Math.min(firstApprovedMicros, approvedAt);
      lastTerminalMicros = Math.max(lastTerminalMicros, s.terminalMicros());
    }
    if (s.terminalEvents() >= 0 && s.terminalEvents() != 1) terminalNotOnce++;
  }

  private Future<String> checkInvariants() {
    phase = "checking";
    if (pool == null) {
      if (terminalNotOnce > 0) {
        progressOut.println("loadtest: BROKEN payouts not entering completed/failed exactly once: " + terminalNotOnce);
        return Future.succeededFuture("broken");
      }
      return Future.succeededFuture("unchecked");
    }
    return new InvariantCheck(pool).check(List.copyOf(created)).map(result -> {
      result.broken().forEach(line -> progressOut.println("loadtest: BROKEN " + line));
      return result.ok() ? "ok" : "broken";
    });
  }

  private LoadSummary summary(String invariants) {
    int terminal = completed + failed;
    boolean none = latencies.count() == 0;
    return new LoadSummary(opt.payouts(), LoadSummary.throughput(terminal, firstApprovedMicros, lastTerminalMicros),
        none ? -1 : latencies.percentile(50), none ? -1 : latencies.percentile(99), none ? -1 : latencies.max(),
        completed, failed, opt.payouts() - terminal, api.httpErrors(), invariants);
  }

  private void progress() {
    long secs = (System.nanoTime() - startNanos) / 1_000_000_000L;
    int terminal = completed + failed;
    progressOut.printf(Locale.ROOT,
        "loadtest %4ds %-9s users %d/%d  created %d/%d (%d/s)  approved %d  terminal %d (%d/s)  open %d  http_errors %d%n",
        secs, phase, usersCreated, opt.users(), created.size(), opt.payouts(), created.size() - shownCreated,
        approved, terminal, terminal - shownTerminal, open.size(), api.httpErrors());
    shownCreated = created.size();
    shownTerminal = terminal;
  }

  private void problem(String what) {
    problemCount++;
    if (problems.size() < PROBLEMS_KEPT) problems.add(what);
  }

  private void reportProblems() {
    if (problemCount == 0) return;
    progressOut.println("loadtest: " + problemCount + " problems" + (refused > 0 ? " (" + refused + " approvals refused)" : "")
        + ", the first ones:");
    problems.forEach(p -> progressOut.println("  " + p));
  }

  /** 10.00 to 50.99, spread so amounts and fees differ; every amount exceeds the largest fee (5.00). */
  static String amount(int i) {
    return (10 + i % 41) + "." + String.format(Locale.ROOT, "%02d", (i * 37) % 100);
  }

  static String creditPerUser(int payouts, int users) {
    long perUser = (payouts + users - 1) / users;
    return (perUser * MAX_WHOLE_AMOUNT) + ".00";
  }
}
