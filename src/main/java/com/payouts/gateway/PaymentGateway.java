package com.payouts.gateway;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A payment processor as the service sees it. Swapping in a real Stripe or PayPal adapter means
 * writing one implementation of this interface.
 *
 * <p>Both calls are safe to repeat: {@link #pay} with an idempotency key that the processor has
 * already executed answers the first result instead of paying again. A future failed with
 * {@link GatewayUnavailableException} means the outcome is unknown (timeout, connection lost,
 * 5xx): the payment may or may not have happened, and the caller must find out with
 * {@link #lookup} before doing anything else.
 */
public interface PaymentGateway {

  /**
   * Pays one instruction; the result is succeeded (with a transaction id), failed, or key reused
   * (the processor refused the key as used with other parameters, and executed nothing).
   */
  Future<GatewayResult> pay(PaymentInstruction instruction);

  /**
   * Pays many instructions in one call, as processors' batch payout APIs do. The map holds, under
   * the key each instruction was sent with, the answer received for it (which may name another
   * key: the caller checks); an instruction missing from it has an unknown outcome and must be
   * looked up like a failed {@link #pay}. The default calls {@link #pay} for each.
   */
  default Future<Map<String, GatewayResult>> payAll(List<PaymentInstruction> instructions) {
    List<Future<GatewayResult>> calls = new ArrayList<>(instructions.size());
    for (PaymentInstruction i : instructions) calls.add(pay(i));
    return Future.join(calls).transform(ignored -> {
      Map<String, GatewayResult> known = new HashMap<>();
      for (int i = 0; i < calls.size(); i++) {
        if (calls.get(i).succeeded()) known.put(instructions.get(i).idempotencyKey(), calls.get(i).result());
      }
      return Future.succeededFuture(known);
    });
  }

  /**
   * Pays many instructions and answers each as soon as its own result is known: a future per
   * instruction, in their order. A future failed with {@link GatewayUnavailableException} is an
   * unknown outcome, to be looked up. The default waits for {@link #payAll}, so every answer
   * arrives with the slowest; a gateway that can stream its batch answers overrides it.
   */
  default List<Future<GatewayResult>> payEach(List<PaymentInstruction> instructions) {
    Future<Map<String, GatewayResult>> all = payAll(instructions);
    List<Future<GatewayResult>> each = new ArrayList<>(instructions.size());
    for (PaymentInstruction i : instructions) {
      each.add(all.compose(known -> {
        GatewayResult r = known.get(i.idempotencyKey());
        return r != null ? Future.succeededFuture(r) : Future.failedFuture(new GatewayUnavailableException(
            "no answer for " + i.idempotencyKey() + " in the batch; outcome unknown", null));
      }));
    }
    return each;
  }

  /** What the processor did with this key (with the parameters it ran with), or empty when it never executed it. */
  Future<Optional<GatewayResult>> lookup(String idempotencyKey);
}
