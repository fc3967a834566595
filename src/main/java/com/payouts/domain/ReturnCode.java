package com.payouts.domain;

import java.util.Locale;

/**
 * Why a bank sends a paid transfer back, as processors report it (the catalogue of the mock
 * gateway; a real one may send codes of its own, which the service keeps as sent).
 */
public enum ReturnCode {
  ACCOUNT_CLOSED("the account was closed"),
  NO_ACCOUNT("no account under this number"),
  INVALID_ACCOUNT_NUMBER("the account number is not valid"),
  ACCOUNT_FROZEN("the account is frozen");

  private final String message;

  ReturnCode(String message) {
    this.message = message;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String message() {
    return message;
  }
}
