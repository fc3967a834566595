package com.payouts.app;

import java.time.Duration;

/**
 * Returns and the gateway's events: the built-in gateway's share of paid executions that the bank
 * sends back ({@code rate}) and after how long ({@code delay}); the secret the webhook is signed
 * with (null: the one generated for the database), where the built-in gateway posts it (null: this
 * service's own HTTP port), how far a signature's time may be from ours, and how often the
 * gateway's event list is read for webhooks that never arrived.
 */
public record ReturnSettings(double rate, Duration delay, String webhookSecret, String webhookUrl,
    Duration webhookTolerance, Duration pollInterval) {

  /** Without the secret: settings may be logged, secrets may not. */
  @Override
  public String toString() {
    return "ReturnSettings[rate=" + rate + ", delay=" + delay + ", webhookSecret="
        + (webhookSecret == null ? "generated" : "(set)") + ", webhookUrl=" + webhookUrl + ", webhookTolerance="
        + webhookTolerance + ", pollInterval=" + pollInterval + "]";
  }
}
