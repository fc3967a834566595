package com.payouts.metrics;

import com.payouts.gateway.GatewayResult;
import com.payouts.gateway.PaymentGateway;
import com.payouts.gateway.PaymentInstruction;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Times every gateway call and counts its errors by code; an unknown outcome counts as "unavailable". */
public final class MeteredGateway implements PaymentGateway {
  static final String UNAVAILABLE = "unavailable";

  private final PaymentGateway gateway;
  private final ServiceMetrics metrics;

  public MeteredGateway(PaymentGateway gateway, ServiceMetrics metrics) {
    this.gateway = gateway;
    this.metrics = metrics;
  }

  /** The gateway this one measures (the ledger audit reads its report). */
  public PaymentGateway measured() {
    return gateway;
  }

  @Override
  public Future<GatewayResult> pay(PaymentInstruction instruction) {
    long started = System.nanoTime();
    return gateway.pay(instruction).andThen(ar -> {
      metrics.gatewayCall("pay", System.nanoTime() - started);
      if (ar.failed()) metrics.gatewayError(UNAVAILABLE);
      else if (!ar.result().succeeded()) metrics.gatewayError(ar.result().errorCode());
    });
  }

  @Override
  public Future<Map<String, GatewayResult>> payAll(List<PaymentInstruction> instructions) {
    long started = System.nanoTime();
    return gateway.payAll(instructions).andThen(ar -> {
      metrics.gatewayCall("pay", System.nanoTime() - started);
      if (ar.failed()) {
        instructions.forEach(i -> metrics.gatewayError(UNAVAILABLE));
        return;
      }
      for (PaymentInstruction i : instructions) {
        GatewayResult r = ar.result().get(i.idempotencyKey());
        if (r == null) metrics.gatewayError(UNAVAILABLE);
        else if (!r.succeeded()) metrics.gatewayError(r.errorCode());
      }
    });
  }

  /** Each payment of a streamed batch is timed from the call to its own answer. */
  @Override
  public List<Future<GatewayResult>> payEach(List<PaymentInstruction> instructions) {
    long started = System.nanoTime();
    List<Future<GatewayResult>> each = gateway.payEach(instructions);
    for (Future<GatewayResult> f : each) {
      f.onComplete(ar -> {
        metrics.gatewayCall("pay", System.nanoTime() - started);
        if (ar.failed()) metrics.gatewayError(UNAVAILABLE);
        else if (!ar.result().succeeded()) metrics.gatewayError(ar.result().errorCode());
      });
    }
    return each;
  }

  @Override
  public Future<Optional<GatewayResult>> lookup(String idempotencyKey) {
    long started = System.nanoTime();
    return gateway.lookup(idempotencyKey).andThen(ar -> {
      metrics.gatewayCall("lookup", System.nanoTime() - started);
      if (ar.failed()) metrics.gatewayError(UNAVAILABLE);
    });
  }
}
