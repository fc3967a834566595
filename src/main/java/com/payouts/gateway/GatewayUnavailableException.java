package com.payouts.gateway;

/** The processor's answer did not arrive: the payment's outcome is unknown and must be looked up. */
public class GatewayUnavailableException extends RuntimeException {
  public GatewayUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public GatewayUnavailableException(String message) {
    super(message);
  }
}
