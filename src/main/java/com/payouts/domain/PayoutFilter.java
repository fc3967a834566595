package com.payouts.domain;

import java.time.Instant;

/**
 * A page request over payouts. {@code after} is the decoded cursor: the sort value and id of the
 * last row of the previous page.
 */
public record PayoutFilter(
    PayoutStatus status, Priority priority, PayoutMethod method, Instant since, String query,
    Sort sort, boolean descending, int limit, Cursor after) {

  public static final int MAX_LIMIT = 200;

  /** Sort orders, each backed by an index together with the status filter. */
  public enum Sort {
    CREATED,
    AMOUNT,
    PRIORITY,
    STATUS,
    /** Longest waiting first when descending: the reverse of created. */
    DAYS_PENDING
  }

  public record Cursor(String value, long id) {}
}
