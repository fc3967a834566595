package com.payouts.http;

/**
 * Whether this node takes traffic: false once it is shutting down, so a load balancer stops
 * sending it requests while it finishes what it holds.
 */
public final class Readiness {
  private volatile boolean draining;

  public void drain() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }
}
