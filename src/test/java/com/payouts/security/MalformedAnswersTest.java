package com.payouts.security;

import com.payouts.app.ConfigKeys;
import com.payouts.support.SwitchableGateway;
import com.payouts.app.Role;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static com.payouts.support.Await.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.db.LedgerVerifier;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.RetryPolicy;
import com.payouts.domain.UserAccount;
import com.payouts.gateway.GatewayResult;
import com.payouts.gateway.PaymentGateway;
import com.payouts.gateway.PaymentInstruction;
import com.payouts.processor.JobRunner;
import com.payouts.processor.ProcessorVerticle;
import com.payouts.queue.JobQueue;
import com.payouts.service.RecoverySweep;
import com.payouts.service.PayoutDispatcher;
import com.payouts.support.Fixtures;
import com.payouts.support.ScriptedGateway;
import com.payouts.support.ScriptedGateway.Step;
import com.payouts.support.TestDatabase;
import com.payouts.support.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One group of payouts through the real processor, the gateway answering each item its own way:
 * every answer that does not belong to its payout sends that payout, and only that one, to
 * needs_review with its funds held; the rest of the group completes or fails as it would have.
 * (Before the check, a fee >= amount made the group's COMPLETE statement violate net_amount > 0 and
 * rolled back every payout of the group.)
 */
@ExtendWith(VertxExtension.class)
class MalformedAnswersTest {
  static final Duration LEASE = Duration.ofSeconds(1);

  Vertx vertx;
  TestDatabase db;
  TestStack stack;
  SwitchableGateway gateways;
  JobQueue queue;
  ScriptedGateway gateway;
  Fixtures f;
  PayoutDispatcher dispatcher;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    stack = await(TestStack.builder().poolSize(16).set(ConfigKeys.LEASE, LEASE.toMillis() + "ms")
        .gateway(pool -> gateways = new SwitchableGateway(new ScriptedGateway(pool))).start(vertx));
    db = stack.db;
    gateway = (ScriptedGateway) gateways.current();
    queue = stack.graph.queue;
    f = stack.f;
    dispatcher = stack.graph.dispatcher;
  }

  @AfterEach
  void stop() {
    await(Future.join(vertx.deploymentIDs().stream().map(id -> vertx.undeploy(id)).toList()).otherwiseEmpty());
    await(stack.stop());
  }

  Payout find(long id) {
    return await(f.payouts.repository().find(id)).orElseThrow();
  }

  @Test
  void eachAnswerThatDoesNotBelongToItsPayoutHoldsOnlyThatPayoutForReview() {
    // What each payout's answer is (in id order: the group asks the gateway in that order), and what
    // must become of the payout.
    Map<Step, String> script = new LinkedHashMap<>();
    script.put(Step.SUCCEED, "completed");
    script.put(Step.FEE_NOT_BELOW_AMOUNT, "is not less than the amount 10.00");
    script.put(Step.FEE_THREE_DECIMALS, "fee 0.255 has more than two decimals");
    script.put(Step.WRONG_AMOUNT, "amount 0.01 differs from the payout's 10.00");
    script.put(Step.WRONG_KEY, "the answer is for key ");
    script.put(Step.DECLINE_FINAL, "failed");
    script.put(Step.WRONG_REFERENCE, "payout reference ");
    script.put(Step.NO_TRANSACTION_ID, "a success without a transaction id");
    script.put(Step.DECLINE_RETRYABLE, "failed, retry pending");
    script.put(Step.KEY_REUSED, "already used for a different payment");
    List<Step> steps = new ArrayList<>(script.keySet());
    steps.add(Step.SUCCEED); // a second success after all of them

    UserAccount u = await(f.userWith("1000.00"));
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) ids.add(await(f.approved(u.id(), "10.00", PayoutMethod.STRIPE_BANK)).id());
    gateway.then(steps.toArray(Step[]::new));
    await(vertx.deployVerticle(stack.graph.processorVerticles().get(0)));

    // One batch job: one group, one claim, one batch call, one write-back transaction.
    PayoutDispatcher.BatchResult batch = await(dispatcher.batch(PayoutDispatcher.Action.PROCESS, ids, "admin"));
    eventually(Duration.ofSeconds(15), () -> "succeeded".equals(
        await(queue.taskStatus(batch.taskId())).map(t -> t.getString("state")).orElse("")), "the batch job ran");
    assertEquals(steps.size(), gateway.payCalls.size(), "each payout asked once, in one run");

    Set<Long> inReview = new java.util.TreeSet<>();
    for (int i = 0; i < steps.size(); i++) {
      Payout p = find(ids.get(i));
      String expected = i == steps.size() - 1 ? "completed" : script.get(steps.get(i));
      String what = steps.get(i) + " -> " + p.status() + " " + p.errorMessage();
      switch (expected) {
        case "completed" -> {
          assertEquals(PayoutStatus.COMPLETED, p.status(), what);
          assertNotNull(p.transactionId());
        }
        case "failed" -> {
          assertEquals(PayoutStatus.FAILED, p.status(), what);
          assertFalse(p.holdsFunds(), "a final decline releases its hold");
        }
        case "failed, retry pending" -> {
          assertEquals(PayoutStatus.FAILED, p.status(), what);
          assertTrue(p.holdsFunds());
          assertNotNull(p.nextRetryAt());
        }
        default -> {
          assertEquals(PayoutStatus.NEEDS_REVIEW, p.status(), what);
          assertTrue(p.holdsFunds(), what);
          assertNull(p.transactionId(), what);
          assertTrue(p.errorMessage().contains(expected), what);
          assertEquals(List.of("hold"), await(f.payouts.repository().ledger(p.id())).stream().map(l -> l.kind().wire()).toList(),
              "held: no settle, no release");
          inReview.add(p.id());
        }
      }
    }
    assertEquals(7, inReview.size());

    // The job reports each payout's outcome.
    JsonArray reported = await(queue.taskStatus(batch.taskId())).orElseThrow().getJsonObject("result").getJsonArray("payouts");
    assertEquals(7, reported.stream().map(o -> (JsonObject) o).filter(o -> "needs_review".equals(o.getString("status"))).count());

    // 11 x 10.00 asked; 2 paid, 1 released; 7 in review and 1 awaiting its retry stay held.
    UserAccount after = await(f.accounts.find(u.id()));
    assertEquals("80.00", after.held().toPlainString());
    assertEquals("900.00", after.available().toPlainString());

    List<LedgerVerifier.Violation> report = await(new LedgerVerifier(db.pool()).verify());
    assertEquals(List.of(LedgerVerifier.NEEDS_REVIEW), report.stream().map(LedgerVerifier.Violation::invariant).toList(),
        report::toString);
    assertEquals(inReview, report.get(0).sample().stream().map(r -> r.getLong("id")).collect(Collectors.toCollection(java.util.TreeSet::new)));

    // The recovery sweep finds nothing to pick up, however short its lease.
    assertEquals(0, await(new RecoverySweep(f.payouts.repository(), queue, Duration.ZERO).sweep()));
    assertTrue(inReview.stream().allMatch(id -> find(id).status() == PayoutStatus.NEEDS_REVIEW));
  }

  @Test
  void twoAnswersNamingOneTransactionCannotBothSettle() {
    UserAccount u = await(f.userWith("100.00"));
    Payout first = await(f.approved(u.id(), "10.00", PayoutMethod.STRIPE_BANK));
    Payout second = await(f.approved(u.id(), "10.00", PayoutMethod.STRIPE_BANK));
    Payout third = await(f.approved(u.id(), "10.00", PayoutMethod.STRIPE_BANK));
    // The first is paid; then the gateway answers the other two with the first one's transaction.
    await(f.payouts.process(List.of(first.id()), "processor"));
    String txn = find(first.id()).transactionId();
    PaymentGateway replaying = new PaymentGateway() {
      @Override
      public Future<GatewayResult> pay(PaymentInstruction in) {
        return Future.succeededFuture(GatewayResult.success(in, txn, new BigDecimal("0.25")));
      }

      @Override
      public Future<Optional<GatewayResult>> lookup(String key) {
        return Future.succeededFuture(Optional.empty());
      }
    };
    gateways.use(replaying);
    Fixtures g = stack.f;
    var results = await(g.payouts.process(List.of(second.id(), third.id()), "processor"));
    assertEquals(2, results.size());
    for (Payout p : List.of(find(second.id()), find(third.id()))) {
      assertEquals(PayoutStatus.NEEDS_REVIEW, p.status());
      assertTrue(p.errorMessage().contains("transaction id " + txn), p.errorMessage());
    }
    assertEquals(PayoutStatus.COMPLETED, find(first.id()).status());
    assertEquals("20.00", await(f.accounts.find(u.id())).held().toPlainString());
  }
}
