package com.payouts.cli;

import com.payouts.domain.NewPayout;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.Priority;
import com.payouts.domain.UserAccount;
import com.payouts.service.AccountService;
import com.payouts.service.PayoutService;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "seed", mixinStandardHelpOptions = true,
    description = "Create demo users with balances and payout requests in every state.")
public class SeedCommand implements Callable<Integer> {
  @Option(names = "--users", description = "Demo users to create (default ${DEFAULT-VALUE}).")
  int users = 12;

  @Option(names = "--payouts-per-user", description = "Payout requests per user (default ${DEFAULT-VALUE}).")
  int perUser = 5;

  @Option(names = "--seed", description = "Random seed for amounts and methods (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Override
  public Integer call() {
    if (users <= 0 || perUser <= 0) {
      System.err.println("--users and --payouts-per-user must be positive");
      return 2;
    }
    return CommandRun.run("seed", true, graph -> seed(graph.accounts, graph.payouts).map(summary -> {
      System.out.println(summary);
      return 0;
    }));
  }

  /** Creates the users and payouts; returns a one-line summary. */
  Future<String> seed(AccountService accounts, PayoutService payouts) {
    Random rnd = new Random(seed);
    String run = Long.toString(System.currentTimeMillis(), 36);
    Priority[] priorities = Priority.values();
    PayoutMethod[] methods = PayoutMethod.values();
    List<Future<List<Payout>>> perUserPayouts = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      String email = "demo" + (u + 1) + "-" + run + "@example.com";
      PayoutMethod preferred = methods[rnd.nextInt(methods.length)];
      List<Draft> requests = new ArrayList<>();
      BigDecimal total = BigDecimal.ZERO;
      for (int i = 0; i < perUser; i++) {
        BigDecimal amount = BigDecimal.valueOf(1000 + rnd.nextInt(99_000), 2); // 10.00 .. 999.99
        requests.add(new Draft(amount, rnd.nextInt(4) == 0 ? methods[rnd.nextInt(3)] : preferred,
            priorities[rnd.nextInt(priorities.length)], i == 0 ? "seeded demo payout" : null));
        total = total.add(amount);
      }
      BigDecimal credit = total.add(BigDecimal.valueOf(50_000 + rnd.nextInt(100_000), 2));
      perUserPayouts.add(accounts.createUser(email, "Demo User " + (u + 1), preferred)
          .compose(user -> accounts.credit(user.id(), credit, "seeded earnings"))
          .compose(user -> createAll(payouts, user, requests)));
    }
    return Future.all(perUserPayouts).compose(all -> {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < perUserPayouts.size(); i++) perUserPayouts.get(i).result().forEach(p -> ids.add(p.id()));
      // Spread states: 1 in 10 rejected, 6 in 10 approved (a third of those processed now), rest pending.
      List<Long> reject = new ArrayList<>();
      List<Long> approve = new ArrayList<>();
      List<Long> process = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        int slot = i % 10;
        if (slot == 0) reject.add(ids.get(i));
        else if (slot <= 6) approve.add(ids.get(i));
        if (slot >= 1 && slot <= 2) process.add(ids.get(i));
      }
      return payouts.reject(reject, "seed", "seeded rejection")
          .compose(r -> payouts.approve(approve, "seed"))
          .compose(a -> payouts.process(process, "seed"))
          .map(done -> String.format("seeded %d users and %d payouts: %d pending, %d approved, %d rejected, %d processed"
              + " (completed or failed)", users, ids.size(), ids.size() - reject.size() - approve.size(),
              approve.size() - process.size(), reject.size(), done.size()));
    });
  }

  /** A payout drawn before its user exists. */
  private record Draft(BigDecimal amount, PayoutMethod method, Priority priority, String notes) {}

  private static Future<List<Payout>> createAll(PayoutService payouts, UserAccount user, List<Draft> requests) {
    Future<List<Payout>> chain = Future.succeededFuture(new ArrayList<>());
    for (Draft r : requests) {
      NewPayout mine = new NewPayout(user.id(), r.amount(), r.method(), r.priority(), r.notes());
      chain = chain.compose(list -> payouts.create(mine, "seed").map(p -> {
        list.add(p);
        return list;
      }));
    }
    return chain;
  }
}
