package com.payouts.loadtest;

import com.payouts.db.PgUri;
import java.net.URI;
import java.time.Duration;

/**
 * What one load run does: {@code payouts} requests spread over {@code users} users, created at
 * {@code rate} per second (0: as fast as {@code concurrency} requests in flight allow), approved in
 * batches of {@code batch} with {@code approveConcurrency} batches in flight. {@code pgUrl} may be null;
 * so may {@code dashboardPassword}: with it, a staff dashboard ({@code dashboardEmail}) watches the run.
 */
public record LoadOptions(URI url, String token, int users, int payouts, double rate, int concurrency,
    int batch, int approveConcurrency, Duration timeout, String pgUrl, String dashboardEmail,
    String dashboardPassword) {

  public LoadOptions {
    if (!"http".equals(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("--url must be http://host:port");
    }
    if (token == null || token.isBlank()) throw new IllegalArgumentException("give --token or set PAYOUTS_TOKEN");
    if (users < 1) throw new IllegalArgumentException("--users must be at least 1");
    if (payouts < 1) throw new IllegalArgumentException("--payouts must be at least 1");
    if (rate < 0) throw new IllegalArgumentException("--rate must be 0 (as fast as possible) or more");
    if (concurrency < 1 || concurrency > 4096) throw new IllegalArgumentException("--concurrency must be 1 to 4096");
    if (batch < 1 || batch > 1000) throw new IllegalArgumentException("--batch must be 1 to 1000");
    if (approveConcurrency < 1 || approveConcurrency > 64) {
      throw new IllegalArgumentException("--approve-concurrency must be 1 to 64");
    }
    if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("--timeout must be positive");
    if (dashboardPassword != null && (dashboardEmail == null || dashboardEmail.isBlank())) {
      throw new IllegalArgumentException("--dashboard-email is needed with a dashboard password");
    }
    if (pgUrl != null) {
      try {
        PgUri.parse(pgUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--pg-url " + e.getMessage());
      }
    }
  }
}
