package com.payouts.support;

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
 * but fails the call as if the answer was lost on the way back.
 */
public final class ScriptedGateway implements PaymentGateway {
  public enum Step { SUCCEED, DECLINE_RETRYABLE, DECLINE_FINAL, LOSE_ANSWER, UNREACHABLE, HANG }

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
    GatewayResult r = switch (step) {
      case SUCCEED, LOSE_ANSWER, HANG -> GatewayResult.success(in.idempotencyKey(),
          "po_20260101000000_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase(),
          in.method().fee(in.amount()));
      case DECLINE_RETRYABLE -> GatewayResult.failure(in.idempotencyKey(), "network_timeout",
          "Network timeout during processing", true);
      case DECLINE_FINAL -> GatewayResult.failure(in.idempotencyKey(), "invalid_account",
          "Invalid bank account details", false);
      case UNREACHABLE -> null;
    };
    if (r == null) return Future.failedFuture(new GatewayUnavailableException("connection refused"));
    executed.put(in.idempotencyKey(), r);
    Future<GatewayResult> recorded = record.preparedQuery("""
        INSERT INTO gateway.executions (idempotency_key, transaction_id, payout_ref, method, amount, fee, status,
          error_code, error_message, retryable) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""")
        .execute(io.vertx.sqlclient.Tuple.from(new Object[] {in.idempotencyKey(), r.transactionId(), in.payoutRef(),
            in.method().wire(), in.amount(), r.fee(), r.succeeded() ? "succeeded" : "failed", r.errorCode(),
            r.errorMessage(), r.retryable()}))
        .map(rows -> r);
    if (step == Step.HANG) {
      // Executed, but the caller never hears back: like a worker stuck mid-call.
      return recorded.compose(x -> io.vertx.core.Promise.<GatewayResult>promise().future());
    }
    if (step == Step.LOSE_ANSWER) {
      return recorded.compose(x -> Future.failedFuture(new GatewayUnavailableException("answer lost")));
    }
    return recorded;
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
