package com.payouts.domain;

/** The errors a payment processor answers with, and whether trying again later can help. */
public enum GatewayError {
  NETWORK_TIMEOUT("network_timeout", "Network timeout during processing", true),
  DAILY_LIMIT_EXCEEDED("daily_limit_exceeded", "Daily transfer limit exceeded", true),
  INVALID_ACCOUNT("invalid_account", "Invalid bank account details", false),
  ACCOUNT_RESTRICTED("account_restricted", "Account temporarily restricted", false);

  private final String code;
  private final String message;
  private final boolean retryable;

  GatewayError(String code, String message, boolean retryable) {
    this.code = code;
    this.message = message;
    this.retryable = retryable;
  }

  public String code() {
    return code;
  }

  public String message() {
    return message;
  }

  public boolean retryable() {
    return retryable;
  }

  public static GatewayError byCode(String code) {
    for (GatewayError e : values()) {
      if (e.code.equals(code)) return e;
    }
    throw new IllegalArgumentException("unknown gateway error '" + code + "'");
  }
}
