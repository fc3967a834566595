package com.payouts.support;

import com.payouts.gateway.GatewayResult;
import com.payouts.gateway.PaymentGateway;
import com.payouts.gateway.PaymentInstruction;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The gateway of a test class's one stack, pointed by each test at the scripted gateway it configured. */
public final class SwitchableGateway implements PaymentGateway {
  private volatile PaymentGateway target;

  public SwitchableGateway(PaymentGateway initial) {
    this.target = initial;
  }

  public PaymentGateway current() {
    return target;
  }

  /** From now on, pay through {@code g}. */
  public <G extends PaymentGateway> G use(G g) {
    this.target = g;
    return g;
  }

  @Override
  public Future<GatewayResult> pay(PaymentInstruction instruction) {
    return target.pay(instruction);
  }

  @Override
  public Future<Map<String, GatewayResult>> payAll(List<PaymentInstruction> instructions) {
    return target.payAll(instructions);
  }

  @Override
  public List<Future<GatewayResult>> payEach(List<PaymentInstruction> instructions) {
    return target.payEach(instructions);
  }

  @Override
  public Future<Optional<GatewayResult>> lookup(String idempotencyKey) {
    return target.lookup(idempotencyKey);
  }
}
