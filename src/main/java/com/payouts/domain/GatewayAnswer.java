package com.payouts.domain;

import java.math.BigDecimal;

/**
 * What a payment processor answered about one idempotency key, as received: nothing in it is
 * trusted until {@link GatewayAnswerRule} has compared it with the payout. Fields the processor
 * left out, or sent in a form that could not be read, are null.
 */
public interface GatewayAnswer {
  /**
   * SUCCEEDED and FAILED: the processor executed the key (paid, or declined). KEY_REUSED: it
   * refused the key because it was already used with other parameters, so it executed nothing
   * for this request, and what it executed earlier under the key was not this payout.
   */
  enum Status { SUCCEEDED, FAILED, KEY_REUSED }

  String idempotencyKey();

  Status status();

  /** The parameters the execution under this key was made with, echoed back. */
  BigDecimal amount();

  String method();

  String payoutRef();

  /** The payee; null when the processor recorded none (executions from before destinations were sent). */
  String destination();

  /** For a success. */
  String transactionId();

  BigDecimal fee();

  /** For a decline or a refusal. */
  String errorCode();

  String errorMessage();

  boolean retryable();
}
