package com.payouts.gateway;

import java.math.BigDecimal;

/**
 * The processor's answer for one idempotency key. When {@code succeeded} the transaction id and
 * fee are set; otherwise errorCode, errorMessage and retryable say why and whether to try again.
 */
public record GatewayResult(
    String idempotencyKey,
    boolean succeeded,
    String transactionId,
    BigDecimal fee,
    String errorCode,
    String errorMessage,
    boolean retryable) {

  public static GatewayResult success(String key, String transactionId, BigDecimal fee) {
    return new GatewayResult(key, true, transactionId, fee, null, null, false);
  }

  public static GatewayResult failure(String key, String code, String message, boolean retryable) {
    return new GatewayResult(key, false, null, null, code, message, retryable);
  }
}
