package com.payouts.service;

/** The service has as much waiting as it holds; the request was not started (try again shortly). */
public class ServiceBusyException extends RuntimeException {
  public ServiceBusyException(String message) {
    super(message, null, false, false);
  }
}
