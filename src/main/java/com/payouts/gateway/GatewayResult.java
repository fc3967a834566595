package com.payouts.gateway;

import com.payouts.domain.GatewayAnswer;
import com.payouts.domain.GatewayAnswer.Status;
import java.math.BigDecimal;

/**
 * The processor's answer for one idempotency key, as received. When it succeeded the transaction
 * id and fee are set; when it failed errorCode, errorMessage and retryable say why and whether to
 * try again; KEY_REUSED means the processor refused the key as used for other parameters. amount,
 * method, payoutRef and destination echo what the execution under the key was made with. The
 * service checks all of it against the payout before believing it ({@link com.payouts.domain.GatewayAnswerRule}).
 */
public record GatewayResult(
    String idempotencyKey,
    Status status,
    String transactionId,
    BigDecimal fee,
    String errorCode,
    String errorMessage,
    boolean retryable,
    BigDecimal amount,
    String method,
    String payoutRef,
    String destination) implements GatewayAnswer {

  public boolean succeeded() {
    return status == Status.SUCCEEDED;
  }

  /** A success for {@code in}, echoing its parameters. */
  public static GatewayResult success(PaymentInstruction in, String transactionId, BigDecimal fee) {
    return new GatewayResult(in.idempotencyKey(), Status.SUCCEEDED, transactionId, fee, null, null, false,
        in.amount(), in.method().wire(), in.payoutRef(), in.destination());
  }

  /** A decline of {@code in}, echoing its parameters. */
  public static GatewayResult failure(PaymentInstruction in, String code, String message, boolean retryable) {
    return new GatewayResult(in.idempotencyKey(), Status.FAILED, null, null, code, message, retryable,
        in.amount(), in.method().wire(), in.payoutRef(), in.destination());
  }

  /** The processor refused {@code key}: it was already used with other parameters. */
  public static GatewayResult keyReused(String key, String code, String message) {
    return new GatewayResult(key, Status.KEY_REUSED, null, null, code, message, false, null, null, null, null);
  }
}
