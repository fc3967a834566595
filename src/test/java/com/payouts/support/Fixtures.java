package com.payouts.support;

import com.payouts.app.ServiceGraph;
import com.payouts.db.UserRepository;
import com.payouts.domain.NewPayout;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.Priority;
import com.payouts.domain.RetryPolicy;
import com.payouts.domain.Transition;
import com.payouts.domain.UserAccount;
import com.payouts.gateway.PaymentGateway;
import com.payouts.service.AccountService;
import com.payouts.service.PayoutService;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** Services over a test database, with every published transition captured. */
public final class Fixtures {
  public final Pool pool;
  public final AccountService accounts;
  public final PayoutService payouts;
  public final List<Transition> published;

  /** Over the services of {@code graph}; {@code published} is where its transitions are captured. */
  public Fixtures(ServiceGraph graph, List<Transition> published) {
    this.pool = graph.pool;
    this.accounts = graph.accounts;
    this.payouts = graph.payouts;
    this.published = published;
  }

  public Future<UserAccount> userWith(String balance) {
    String email = "u-" + UUID.randomUUID() + "@example.com";
    return accounts.createUser(email, "Test User", PayoutMethod.STRIPE_BANK)
        .compose(u -> accounts.credit(u.id(), new BigDecimal(balance), "earnings"));
  }

  public Future<Payout> request(long userId, String amount, PayoutMethod method) {
    return payouts.create(new NewPayout(userId, new BigDecimal(amount), method, Priority.NORMAL, null), "test");
  }

  public Future<Payout> approved(long userId, String amount, PayoutMethod method) {
    return request(userId, amount, method).compose(p -> payouts.approveOne(p.id(), "admin"));
  }

  /** The gateway key of {@code attempt} (0 first) of a payout in this database's installation. */
  public String gatewayKey(long payoutId, int attempt) {
    String installation = Await.await(new com.payouts.db.InstallationRepository(pool).installationId());
    return Payout.gatewayKey(installation, payoutId, attempt);
  }

  public Future<Long> count(String sql, Object... args) {
    return pool.preparedQuery(sql).execute(Tuple.from(args)).map(rows -> {
      Row r = rows.iterator().next();
      return r.getLong(0);
    });
  }
}
