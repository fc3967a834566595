package com.payouts.support;

import com.payouts.domain.GatewayAnswer;
import com.payouts.gateway.GatewayResult;
import com.payouts.gateway.GatewayUnavailableException;
import com.payouts.gateway.PaymentGateway;
import com.payouts.gateway.PaymentInstruction;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A payment processor whose answers a test chooses, behaving like a real one: it executes a key
 * once and answers repeats with the first result. {@link Step#LOSE_ANSWER} executes the payment
 * but fails the call as if the answer was lost on the way back. The steps after
 * {@link Step#KEY_REUSED} answer a payment that was made (and recorded) normally with an answer
 * that does not belong to it, as a broken or hostile processor might; the same answer comes back
 * on a lookup. Steps are taken in call order, so a group's payouts take them in id order.
 */
public final class ScriptedGateway implements PaymentGateway {
  public enum Step {
    SUCCEED, DECLINE_RETRYABLE, DECLINE_FINAL, LOSE_ANSWER, UNREACHABLE, HANG,
    /** Refused: the key was used with other parameters; nothing executed. */
    KEY_REUSED,
    /** A success whose fee equals the amount (the payout would net nothing). */
    FEE_NOT_BELOW_AMOUNT,
    /** A success with a fee of three decimals. */
    FEE_THREE_DECIMALS,
    /** A success echoing 0.01 instead of the amount asked. */
    WRONG_AMOUNT,
    /** A success answered under another key. */
    WRONG_KEY,
    /** A success for another payout reference. */
    WRONG_REFERENCE,
    /** A success without a transaction id. */
    NO_TRANSACTION_ID
  }

  private final Deque<Step> script = new ArrayDeque<>();
  private Step otherwise = Step.SUCCEED;
  public final Map<String, GatewayResult> executed = new ConcurrentHashMap<>();
  public final List<String> payCalls = new CopyOnWriteArrayList<>();
  public final List<String> lookups = new CopyOnWriteArrayList<>();
  private final io.vertx.sqlclient.Pool record;

  /** Records executions in {@code record}'s gateway.executions, like the mock gateway does. */
  public ScriptedGateway(io.vertx.sqlclient.Pool record) {
    this.record = record;
  }

  /** Answers each payment of a batch as soon as it is settled, as a streaming batch API does. */
  @Override
  public List<Future<GatewayResult>> payEach(List<PaymentInstruction> instructions) {
    return instructions.stream().map(this::pay).toList();
  }

  public synchronized ScriptedGateway then(Step... steps) {
    script.addAll(List.of(steps));
    return this;
  }

  public synchronized ScriptedGateway otherwise(Step step) {
    otherwise = step;
    return this;
  }

  @Override
  public synchronized Future<GatewayResult> pay(PaymentInstruction in) {
    payCalls.add(in.idempotencyKey());
    GatewayResult earlier = executed.get(in.idempotencyKey());
    if (earlier != null) return Future.succeededFuture(earlier);
    Step step = script.isEmpty() ? otherwise : script.poll();
    if (step == Step.UNREACHABLE) return Future.failedFuture(new GatewayUnavailableException("connection refused"));
    if (step == Step.KEY_REUSED) {
      return Future.succeededFuture(GatewayResult.keyReused(in.idempotencyKey(), "idempotency_key_reused",
          "idempotency key " + in.idempotencyKey() + " was already used with different parameters"));
    }
    GatewayResult r = switch (step) {
      case DECLINE_RETRYABLE -> GatewayResult.failure(in, "network_timeout", "Network timeout during processing", true);
      case DECLINE_FINAL -> GatewayResult.failure(in, "invalid_account", "Invalid bank account details", false);
      default -> GatewayResult.success(in, transactionId(), in.method().fee(in.amount()));
    };
    Future<GatewayResult> recorded = record.preparedQuery("""
        INSERT INTO gateway.executions (idempotency_key, transaction_id, payout_ref, method, amount, fee, status,
          error_code, error_message, retryable, destination) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""")
        .execute(io.vertx.sqlclient.Tuple.from(new Object[] {in.idempotencyKey(), r.transactionId(), in.payoutRef(),
            in.method().wire(), in.amount(), r.fee(), r.succeeded() ? "succeeded" : "failed", r.errorCode(),
            r.errorMessage(), r.retryable(), in.destination()}))
        .map(rows -> r);
    GatewayResult answer = distorted(step, r);
    executed.put(in.idempotencyKey(), answer);
    if (step == Step.HANG) {
      // Executed, but the caller never hears back: like a worker stuck mid-call.
      return recorded.compose(x -> io.vertx.core.Promise.<GatewayResult>promise().future());
    }
    if (step == Step.LOSE_ANSWER) {
      return recorded.compose(x -> Future.failedFuture(new GatewayUnavailableException("answer lost")));
    }
    return recorded.map(answer);
  }

  /** The answer a broken processor gives for the payment {@code r} it actually made. */
  private static GatewayResult distorted(Step step, GatewayResult r) {
    BigDecimal amount = r.amount();
    return switch (step) {
      case FEE_NOT_BELOW_AMOUNT -> answer(r, r.idempotencyKey(), amount, r.payoutRef(), r.transactionId(), amount);
      case FEE_THREE_DECIMALS -> answer(r, r.idempotencyKey(), amount, r.payoutRef(), r.transactionId(), new BigDecimal("0.255"));
      case WRONG_AMOUNT -> answer(r, r.idempotencyKey(), new BigDecimal("0.01"), r.payoutRef(), r.transactionId(), r.fee());
      case WRONG_KEY -> answer(r, r.idempotencyKey() + "-other", amount, r.payoutRef(), r.transactionId(), r.fee());
      case WRONG_REFERENCE -> answer(r, r.idempotencyKey(), amount, r.payoutRef() + "0", r.transactionId(), r.fee());
      case NO_TRANSACTION_ID -> answer(r, r.idempotencyKey(), amount, r.payoutRef(), null, r.fee());
      default -> r;
    };
  }

  private static GatewayResult answer(GatewayResult r, String key, BigDecimal amount, String ref, String txn, BigDecimal fee) {
    return new GatewayResult(key, GatewayAnswer.Status.SUCCEEDED, txn, fee, null, null, false, amount, r.method(), ref,
        r.destination());
  }

  private static String transactionId() {
    return "po_20260101000000_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
  }

  @Override
  public Future<Optional<GatewayResult>> lookup(String key) {
    lookups.add(key);
    return Future.succeededFuture(Optional.ofNullable(executed.get(key)));
  }

  public long successfulExecutions() {
    return executed.values().stream().filter(GatewayResult::succeeded).count();
  }

  public static BigDecimal money(String s) {
    return new BigDecimal(s);
  }
}
