package com.payouts.security;

import com.payouts.app.ConfigKeys;
import com.payouts.support.TestStack;
import static com.payouts.support.Await.await;
import static org.junit.jupiter.api.Assertions.*;

import com.payouts.db.LedgerVerifier;
import com.payouts.domain.GatewayAnswerRule;
import com.payouts.domain.LedgerEntry;
import com.payouts.domain.Payout;
import com.payouts.domain.PayoutEvent;
import com.payouts.domain.PayoutMethod;
import com.payouts.domain.PayoutStatus;
import com.payouts.domain.RetryPolicy;
import com.payouts.domain.UserAccount;
import com.payouts.gateway.HttpPaymentGateway;
import com.payouts.mockgateway.MockGatewayConfig;
import com.payouts.mockgateway.MockGatewayVerticle;
import com.payouts.service.ProcessResult;
import com.payouts.support.Fixtures;
import com.payouts.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The outside review's finding, end to end over the real mock gateway: someone executes, under the
 * key a 50.00 payout is about to use, a payment of 0.01. The payout must never complete with that
 * execution's transaction: it goes to needs_review with its 50.00 held, says why, and
 * verify-ledger reports it; the rest of its group is paid as usual.
 */
@ExtendWith(VertxExtension.class)
class ForgedExecutionTest {
  TestDatabase db;
  TestStack stack;
  String apiKey;
  String gatewayUrl;
  WebClient stranger;
  Fixtures f;

  @BeforeEach
  void start(Vertx vertx) {
    // The real built-in gateway, every method always succeeding.
    stack = await(TestStack.builder().poolSize(16).builtInGateway().set(ConfigKeys.GATEWAY_SEED, 11)
        .set(ConfigKeys.GATEWAY_SUCCESS_RATES, "stripe_bank=1,paypal=1,check=1").set(ConfigKeys.GATEWAY_TIMEOUT, "10s")
        .start(vertx));
    db = stack.db;
    apiKey = stack.graph.gatewayApiKey;
    gatewayUrl = stack.graph.builtInGatewayUrl().orElseThrow();
    stranger = WebClient.create(vertx);
    f = stack.f;
  }

  @AfterEach
  void stop() {
    stranger.close();
    await(stack.stop());
  }

  String url(String path) {
    return gatewayUrl + path;
  }

  /** A direct create call at the gateway, as someone on its port would make it. */
  HttpResponse<Buffer> execute(String key, String authorization, String amount, long payoutRef, String destination) {
    HttpRequest<Buffer> req = stranger.postAbs(url("/v1/payouts")).putHeader("Idempotency-Key", key);
    if (authorization != null) req.putHeader("Authorization", authorization);
    return await(req.sendJsonObject(new JsonObject().put("method", "stripe_bank").put("amount", amount)
        .put("payoutRef", Long.toString(payoutRef)).put("destination", destination)));
  }

  long executions(String key) {
    return await(f.count("SELECT count(*) FROM gateway.executions WHERE idempotency_key = $1", key));
  }

  Payout find(long id) {
    return await(f.payouts.repository().find(id)).orElseThrow();
  }

  @Test
  void aPayoutWhoseKeyWasExecutedForAnotherAmountIsHeldForReviewAndTheRestOfItsGroupIsPaid() {
    UserAccount u = await(f.userWith("100.00"));
    Payout big = await(f.approved(u.id(), "50.00", PayoutMethod.STRIPE_BANK));
    Payout other = await(f.approved(u.id(), "20.00", PayoutMethod.STRIPE_BANK));
    String key = f.gatewayKey(big.id(), 0);

    // A stranger on the gateway's port executes nothing: no key, a wrong key, or the wrong scheme.
    for (String auth : new String[] {null, "Bearer not-the-key", "Basic " + apiKey, "Bearer " + apiKey + "x"}) {
      HttpResponse<Buffer> refused = execute(key, auth, "0.01", big.id(), "user-666");
      assertEquals(401, refused.statusCode(), String.valueOf(auth));
      assertEquals("unauthorized", refused.bodyAsJsonObject().getJsonObject("error").getString("code"));
    }
    assertEquals(401, await(stranger.getAbs(url("/v1/payouts/" + key)).send()).statusCode(), "no lookups either");
    assertEquals(401, await(stranger.postAbs(url("/v1/payout-batches")).sendJsonObject(new JsonObject())).statusCode());
    assertEquals(0, executions(key));

    // With the API key (another environment on the same processor account, say): 0.01 under the payout's key.
    HttpResponse<Buffer> forged = execute(key, "Bearer " + apiKey, "0.01", big.id(), "user-666");
    assertEquals(200, forged.statusCode(), forged.bodyAsString());
    assertEquals("succeeded", forged.bodyAsJsonObject().getString("status"));
    String forgedTxn = forged.bodyAsJsonObject().getString("transactionId");

    List<ProcessResult> results = await(f.payouts.process(List.of(big.id(), other.id()), "processor"));
    assertEquals(List.of(ProcessResult.Kind.NEEDS_REVIEW, ProcessResult.Kind.COMPLETED),
        results.stream().map(ProcessResult::kind).toList(), results::toString);

    Payout held = find(big.id());
    assertEquals(PayoutStatus.NEEDS_REVIEW, held.status());
    assertTrue(held.holdsFunds(), "its funds stay held");
    assertNull(held.transactionId(), "never the forged execution's transaction");
    assertNotEquals(forgedTxn, held.transactionId());
    assertEquals(GatewayAnswerRule.KEY_REUSED, held.errorCode());
    assertTrue(held.errorMessage().contains(key), held.errorMessage());
    assertEquals(PayoutStatus.COMPLETED, find(other.id()).status(), "the rest of the group is paid");

    // The wallet: 100.00 - 50.00 held - 20.00 paid; the ledger: the 50.00 hold and nothing else.
    UserAccount after = await(f.accounts.find(u.id()));
    assertEquals("30.00", after.available().toPlainString());
    assertEquals("50.00", after.held().toPlainString());
    List<LedgerEntry> ledger = await(f.payouts.repository().ledger(big.id()));
    assertEquals(List.of("hold 50.00"), ledger.stream().map(l -> l.kind().wire() + " " + l.amount().toPlainString()).toList());

    // The audit trail says why.
    List<PayoutEvent> events = await(f.payouts.repository().events(big.id()));
    PayoutEvent last = events.get(events.size() - 1);
    assertEquals(PayoutStatus.PROCESSING, last.from());
    assertEquals(PayoutStatus.NEEDS_REVIEW, last.to());
    assertEquals("processor", last.actor());
    assertTrue(last.detail().startsWith(GatewayAnswerRule.KEY_REUSED + ": "), last.detail());
    assertTrue(last.detail().contains("already used for a different payment"), last.detail());

    // Nothing was executed twice: the forged 0.01 is still the key's one execution.
    assertEquals(1, executions(key));
    assertEquals(1L, await(f.count("SELECT count(*) FROM gateway.executions WHERE idempotency_key = $1 AND amount = 0.01", key)));
    assertEquals(1, executions(find(other.id()).gatewayKey()));

    // verify-ledger: every invariant holds, and the payout is reported with what did not match.
    List<LedgerVerifier.Violation> report = await(new LedgerVerifier(db.pool()).verify());
    assertEquals(List.of(LedgerVerifier.NEEDS_REVIEW), report.stream().map(LedgerVerifier.Violation::invariant).toList(),
        report::toString);
    assertEquals(1, report.get(0).count());
    JsonObject row = report.get(0).sample().get(0);
    assertEquals(big.id(), row.getLong("id"));
    assertTrue(row.getString("error_message").contains("already used"), row.encode());

    // Nothing picks it up again: not stale for the recovery sweep, not resumed, not retried.
    assertTrue(await(f.payouts.repository().stale(Duration.ZERO, 100)).stream().noneMatch(s -> s.id() == big.id()));
    assertEquals(ProcessResult.Kind.SKIPPED, await(f.payouts.resume(List.of(big.id()), Duration.ZERO, "sweeper")).get(0).kind());
    assertEquals(ProcessResult.Kind.SKIPPED, await(f.payouts.retry(List.of(big.id()), "admin", false)).get(0).kind());
    assertEquals(PayoutStatus.NEEDS_REVIEW, find(big.id()).status());
    assertEquals(1, executions(key));
  }

  @Test
  void aResumedAttemptWhoseKeyLooksUpAnotherAmountIsHeldForReviewNotCompleted() {
    UserAccount u = await(f.userWith("200.00"));
    Payout big = await(f.approved(u.id(), "50.00", PayoutMethod.STRIPE_BANK));
    Payout other = await(f.approved(u.id(), "30.00", PayoutMethod.STRIPE_BANK));
    // A worker claimed both (their keys are fixed) and died before reaching the gateway.
    await(f.payouts.repository().startProcessing(List.of(big.id(), other.id()), "worker-that-died"));
    String key = find(big.id()).gatewayKey();
    assertEquals(f.gatewayKey(big.id(), 0), key);
    // Meanwhile 0.01 is executed under the first one's key, to the right payee even.
    assertEquals(200, execute(key, "Bearer " + apiKey, "0.01", big.id(), big.destination()).statusCode());

    List<ProcessResult> results = await(f.payouts.resume(List.of(big.id(), other.id()), Duration.ZERO, "sweeper"));
    assertEquals(List.of(ProcessResult.Kind.NEEDS_REVIEW, ProcessResult.Kind.COMPLETED),
        results.stream().map(ProcessResult::kind).toList(), results::toString);
    Payout held = find(big.id());
    assertEquals(PayoutStatus.NEEDS_REVIEW, held.status());
    assertEquals(GatewayAnswerRule.MISMATCH, held.errorCode());
    assertTrue(held.errorMessage().startsWith("amount 0.01 differs from the payout's 50.00"), held.errorMessage());
    assertTrue(held.holdsFunds());
    assertNull(held.transactionId());
    assertEquals("50.00", await(f.accounts.find(u.id())).held().toPlainString());
    assertEquals(1, executions(key), "looked up, not paid again");
    List<LedgerVerifier.Violation> report = await(new LedgerVerifier(db.pool()).verify());
    assertEquals(List.of(LedgerVerifier.NEEDS_REVIEW), report.stream().map(LedgerVerifier.Violation::invariant).toList());
  }
}
