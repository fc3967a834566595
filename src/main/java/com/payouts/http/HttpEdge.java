package com.payouts.http;

import java.time.Duration;

/**
 * The bounds a stranger meets at the HTTP edge: how long a connection may sit idle, take to send a
 * request's headers or its body, how many connections one client address may hold, how many bridge
 * sockets one session may open, and whose X-Forwarded-For to believe.
 */
public record HttpEdge(Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout,
    int maxConnectionsPerClient, int maxSocketsPerSession, TrustedProxies trustedProxies) {
  /**
   * The settings' defaults. 256 connections per address: a browser uses six, but an API client may
   * hold many (the project's own loadtest keeps about 70 open), and each costs the server a few kB.
   */
  public static final HttpEdge DEFAULTS = new HttpEdge(Duration.ofSeconds(60), Duration.ofSeconds(10),
      Duration.ofSeconds(15), 256, 8, TrustedProxies.NONE);

  public HttpEdge {
    if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("idle timeout must be positive");
    if (headerTimeout.isNegative() || headerTimeout.isZero()) throw new IllegalArgumentException("header timeout must be positive");
    if (bodyTimeout.isNegative() || bodyTimeout.isZero()) throw new IllegalArgumentException("body timeout must be positive");
    if (maxConnectionsPerClient < 1) throw new IllegalArgumentException("connections per client must be at least 1");
    if (maxSocketsPerSession < 1) throw new IllegalArgumentException("sockets per session must be at least 1");
  }

  public HttpEdge withTrustedProxies(TrustedProxies proxies) {
    return new HttpEdge(idleTimeout, headerTimeout, bodyTimeout, maxConnectionsPerClient, maxSocketsPerSession, proxies);
  }
}
