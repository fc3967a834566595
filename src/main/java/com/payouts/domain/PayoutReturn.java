package com.payouts.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The gateway's word that a paid transfer came back: event {@code eventId} (applied at most once)
 * says the execution for payout {@code payoutRef} with {@code transactionId} and {@code amount} was
 * returned at {@code returnedAt} with {@code returnCode}. {@code payload} is the event as received.
 */
public record PayoutReturn(String eventId, String eventType, String payoutRef, String transactionId,
    BigDecimal amount, String returnCode, Instant returnedAt, String payload) {

  public static final String EVENT_TYPE = "payout.returned";

  /** The payout's id, or null when the reference is not one of ours. */
  public Long payoutId() {
    return payoutRef != null && payoutRef.matches("[0-9]{1,18}") ? Long.parseLong(payoutRef) : null;
  }
}
