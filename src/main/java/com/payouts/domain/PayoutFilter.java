package com.payouts.domain;

import java.time.Instant;

/**
 * A page request over payouts. {@code after} is the decoded cursor: the sort value and id of the
 * last row of the previous page; {@code userId}, when set, keeps one user's payouts.
 */
public record PayoutFilter(
    PayoutStatus status, Priority priority, PayoutMethod method, Instant since, String query,
    Sort sort, boolean descending, int limit, Cursor after, Approval approval, Long approver, Long userId) {

  public static final int MAX_LIMIT = 200;

  public PayoutFilter(PayoutStatus status, Priority priority, PayoutMethod method, Instant since, String query,
      Sort sort, boolean descending, int limit, Cursor after) {
    this(status, priority, method, since, query, sort, descending, limit, after, null, null, null);
  }

  /** One user's payouts. */
  public PayoutFilter(PayoutStatus status, Priority priority, PayoutMethod method, Instant since, String query,
      Sort sort, boolean descending, int limit, Cursor after, Long userId) {
    this(status, priority, method, since, query, sort, descending, limit, after, null, null, userId);
  }

  /**
   * Pending payouts by where they stand in the approval policy: with a review reason, waiting for a
   * second approval, or ones {@code approver} (a staff user who may approve; null: nobody) may approve now.
   */
  public enum Approval {
    NEEDS_REVIEW, SECOND_APPROVAL, APPROVABLE;

    public static Approval parse(String s) {
      return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
  }

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
